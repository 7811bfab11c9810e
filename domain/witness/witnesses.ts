import { z } from "zod";
import type { DataCipher } from "../crypto/data-cipher.ts";
import type { ParseResult } from "../report/parse-result.ts";
import { WITNESS_ANSWER_IDS } from "../report/steps.ts";
import { parseShortText } from "../report/text.ts";

/**
 * Witnesses of an identified report, as reusable step data: the formal-report step from /status uses it, and the
 * main report flow can put the same two questions after the reporter's contact. Up to {@link WITNESS_LIMIT}
 * witnesses, each a name and an optional way to reach them; stored as one AES-GCM ciphertext of the JSON list
 * (`Report.witnessesEnc`), with the same cipher as the reporter's contact data.
 */
export const WITNESS_LIMIT = 3;

export const witnessSchema = z.object({
  name: z.string().min(2).max(100),
  contact: z.string().min(3).max(100).optional(),
});
export type Witness = z.infer<typeof witnessSchema>;
export const witnessListSchema = z.array(witnessSchema).max(WITNESS_LIMIT);

/** One question about a witness: its locale key, and its parser. Skip ends the list (name) or leaves it out (contact). */
export interface WitnessStep {
  id: "witness_name" | "witness_contact";
  promptKey: string;
  parse: (text: string) => ParseResult<string>;
}

export const WITNESS_STEPS: readonly WitnessStep[] = [
  {
    id: "witness_name",
    promptKey: "legalClock:formal.askWitness",
    parse: (text) => parseShortText(text, { min: 2, max: 100 }),
  },
  {
    id: "witness_contact",
    promptKey: "legalClock:formal.askWitnessContact",
    parse: (text) => parseShortText(text, { min: 3, max: 100 }),
  },
];

/** Encrypts the list; `null` when there is nobody (the column stays empty). */
export function sealWitnesses(
  cipher: Pick<DataCipher, "encrypt">,
  witnesses: readonly Witness[],
): string | null {
  if (witnesses.length === 0) return null;
  return cipher.encrypt(JSON.stringify(witnessListSchema.parse(witnesses)));
}

/** Decrypts a list written by {@link sealWitnesses}; an empty list for null or an unreadable value. */
export function openWitnesses(
  cipher: Pick<DataCipher, "decrypt">,
  sealed: string | null | undefined,
): Witness[] {
  if (!sealed) return [];
  const parsed = witnessListSchema.safeParse(JSON.parse(cipher.decrypt(sealed)));
  return parsed.success ? parsed.data : [];
}

/**
 * A witness as the report flow asks for one, in one free text: "Sulastri, warung depan TPS 12" is a name and how
 * to reach them (split at the first comma or semicolon, or a dash between spaces); a text without one is a name.
 */
export function witnessFromText(text: string): Witness {
  const match = /^(.+?)\s*(?:[,;]|\s[-–—]\s)\s*(.+)$/.exec(text.trim());
  const name = (match?.[1] ?? text).trim().slice(0, 100);
  const contact = match?.[2]?.trim().slice(0, 100);
  if (name.length < 2) return { name: text.trim().slice(0, 100) };
  return contact && contact.length >= 3 ? { name, contact } : { name };
}

/** The witnesses an identified report's draft names (its witness answers, each encrypted), sealed as one list. */
export function sealAnsweredWitnesses(
  cipher: DataCipher,
  answers: Readonly<Record<string, unknown>>,
): string | null {
  if (answers.identity !== "IDENTIFIED") return null;
  const witnesses = WITNESS_ANSWER_IDS.map((id) => answers[id])
    .filter((value): value is string => typeof value === "string")
    .map((sealed) => witnessFromText(cipher.decrypt(sealed)));
  return sealWitnesses(cipher, witnesses);
}
