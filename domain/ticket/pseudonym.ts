/**
 * Reporter pseudonyms: the short label officers see instead of any identity (e.g. "A7F2"), one per report.
 *
 * Derived from the HMAC (purpose `reportPseudonym`) of the report's random id, not of the person: two reports of
 * one citizen carry unrelated labels, so an anonymous tip cannot be matched to the same person's formal report
 * from the cards or the database, and nothing (not even a purge followed by a new report) recreates an old label.
 * The alphabet leaves out 0/O, 1/I/L so a label read aloud or typed is unambiguous.
 *
 * Pure: the store owns the unique index and the retries.
 */

/** 31 characters: digits 2–9 and A–Z without I, L, O. */
export const PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Length of the first candidate: 31^4 ≈ 920 thousand labels. */
export const PSEUDONYM_LENGTH = 4;

/** Length of the last candidate: 31^8 ≈ 850 billion labels. */
export const PSEUDONYM_MAX_LENGTH = 8;

/** Enough hex digits (64 bits) for {@link PSEUDONYM_MAX_LENGTH} base-31 digits with negligible bias. */
const MIN_HEX_LENGTH = 16;

const HEX = /^[0-9a-f]+$/i;

function assertHmacHex(hmacHex: string): void {
  if (hmacHex.length < MIN_HEX_LENGTH || !HEX.test(hmacHex)) {
    throw new RangeError(`a pseudonym needs at least ${MIN_HEX_LENGTH} hex digits of an HMAC`);
  }
}

/** Candidates of growing length, from the base-31 digits of the hash, least significant first. */
function* candidates(hmacHex: string): Generator<string, void, undefined> {
  const base = BigInt(PSEUDONYM_ALPHABET.length);
  let value = BigInt(`0x${hmacHex}`);
  let label = "";
  for (let length = 1; length <= PSEUDONYM_MAX_LENGTH; length++) {
    label += PSEUDONYM_ALPHABET.charAt(Number(value % base));
    value /= base;
    if (length >= PSEUDONYM_LENGTH) yield label;
  }
}

/**
 * The successive pseudonyms to try for one report: 4 characters, then 5, 6, … up to 8. Each candidate extends
 * the previous one ("A7F2", "A7F2K", …).
 *
 * The store inserts with the first candidate and, on a unique-index violation of `pseudonym` only, retries with
 * the next. With 31^4 labels, collisions start to be likely around a thousand reports (birthday bound), and a
 * 5-character retry makes a second collision rare; running out of all five candidates means something else is wrong
 * (e.g. retrying on a violation of another unique column) and the store should throw.
 *
 * @param hmacHex the report pseudonym HMAC in hex (at least 16 digits; a SHA-256 HMAC has 64)
 * @throws RangeError when `hmacHex` is not hex or too short
 */
export function pseudonymCandidates(hmacHex: string): Generator<string, void, undefined> {
  assertHmacHex(hmacHex);
  return candidates(hmacHex);
}

/**
 * The 4-character pseudonym for a report pseudonym HMAC, e.g. "A7F2": the first of {@link pseudonymCandidates}.
 *
 * @throws RangeError when `hmacHex` is not hex or too short
 */
export function pseudonymFromHash(hmacHex: string): string {
  const first = pseudonymCandidates(hmacHex).next();
  return first.done ? "" : first.value;
}
