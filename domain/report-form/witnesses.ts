import { z } from "zod";
import type { DataCipher } from "../crypto/data-cipher.ts";

/** A witness of a formal report: a name and, optionally, how to reach them (free text). */
export const witnessSchema = z.object({
  name: z.string().min(1).max(200),
  contact: z.string().max(200).nullable().optional(),
});
export type Witness = z.infer<typeof witnessSchema>;

export const MAX_WITNESSES = 3;
const witnessList = z.array(witnessSchema).max(MAX_WITNESSES);

/** Witnesses are personal data of third parties: stored as one encrypted JSON list (`Report.witnessesEnc`). */
export function encryptWitnesses(cipher: DataCipher, witnesses: Witness[]): string | null {
  return witnesses.length === 0 ? null : cipher.encrypt(JSON.stringify(witnessList.parse(witnesses)));
}

export function decryptWitnesses(cipher: DataCipher, encrypted: string | null): Witness[] {
  if (!encrypted) return [];
  const parsed = witnessList.safeParse(JSON.parse(cipher.decrypt(encrypted)));
  return parsed.success ? parsed.data : [];
}
