import { randomBytes } from "node:crypto";

/**
 * Characters of a ticket code: digits and capitals without the look-alikes 0/O, 1/I/L, so a code read aloud or
 * copied from a screenshot is typed back right. 31 characters, 6 of them: about 887 million codes per prefix.
 */
export const TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const TICKET_CODE_LENGTH = 6;

/** The code prefix of each report category (the Prisma `Category` enum), in Indonesian: Politik Uang, … */
export const TICKET_PREFIX = {
  MONEY_POLITICS: "PU",
  HOAX: "HK",
  ASN_NEUTRALITY: "AS",
  OTHER: "LN",
} as const satisfies Record<"MONEY_POLITICS" | "HOAX" | "ASN_NEUTRALITY" | "OTHER", string>;

export type TicketCategory = keyof typeof TICKET_PREFIX;

/** A source of cryptographically strong random bytes; tests pass a fixed sequence. */
export type RandomBytes = (size: number) => Uint8Array;

/** The largest multiple of the alphabet size that fits in a byte: bytes at or above it are drawn again. */
const UNBIASED_LIMIT = 256 - (256 % TICKET_ALPHABET.length);

/**
 * A new ticket code such as `PU-7K3Q9M`: the prefix, a dash and 6 random characters of {@link TICKET_ALPHABET}.
 * The code is what a reporter uses to follow a ticket, so it must not be guessable: bytes come from a CSPRNG
 * and bytes ≥ 248 are rejected so that every character is equally likely (a plain `byte % 31` would favour the
 * first 8). Codes are not unique by construction: the store retries on a unique-constraint conflict.
 */
export function generateTicketCode(prefix: string, random: RandomBytes = randomBytes): string {
  if (!/^[A-Z]{2,3}$/.test(prefix)) {
    throw new RangeError(`A ticket prefix is 2–3 capital letters, got "${prefix}"`);
  }
  let code = "";
  while (code.length < TICKET_CODE_LENGTH) {
    for (const byte of random(TICKET_CODE_LENGTH * 2)) {
      if (byte < UNBIASED_LIMIT && code.length < TICKET_CODE_LENGTH) {
        code += TICKET_ALPHABET[byte % TICKET_ALPHABET.length];
      }
    }
  }
  return `${prefix}-${code}`;
}

const PREFIXES: readonly string[] = Object.values(TICKET_PREFIX);
const CODE_BODY = new RegExp(`^[${TICKET_ALPHABET}]{${TICKET_CODE_LENGTH}}$`);

/**
 * Reads a ticket code typed by a reporter or an officer: case-insensitive, with or without the dash, with
 * spaces or a leading `#` (`pu 7k3q9m`, `#PU7K3Q9M`). Returns the canonical `PU-7K3Q9M`, or null when the text
 * is not a code with a known prefix and 6 characters of the alphabet. Look-alikes are not guessed: `O`, `0`,
 * `I`, `L` and `1` never appear in a code, so a code containing them is refused rather than corrected.
 */
export function parseTicketCode(text: string): string | null {
  if (text.length > 64) return null;
  const compact = text
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s#_\-\u2010-\u2015]/g, "");
  const prefix = PREFIXES.find((candidate) => compact.startsWith(candidate));
  if (prefix === undefined) return null;
  const body = compact.slice(prefix.length);
  return CODE_BODY.test(body) ? `${prefix}-${body}` : null;
}
