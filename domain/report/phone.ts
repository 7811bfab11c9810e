/*
 * Error keys (locale `report:errors.*`):
 *   report:errors.phoneMalformed a character that is not part of a phone number, or no usable country code
 *   report:errors.phoneTooShort  fewer than 8 digits including the country code
 *   report:errors.phoneTooLong   more than 15 digits including the country code (the E.164 maximum)
 */
import { fail, ok, type ParseResult } from "./parse-result.ts";

const MIN_DIGITS = 8;
/** E.164 allows at most 15 digits after the `+`. */
const MAX_DIGITS = 15;
const INDONESIA = "62";

/**
 * Normalises a phone number typed by a reporter to E.164 (`+6281234567890`), so officers can call or match it.
 *
 * Indonesian forms: `0812-3456-7890`, `(021) 5550123`, `62812…`, `+62 812 …`, `+62 0812…` (a stray trunk 0),
 * `0062 812…` and `812 3456 7890` (the 0 forgotten). Other countries need `+` or `00` before the country code:
 * without it, digits are read as an Indonesian number. Telegram's contact button gives `phone_number` without
 * the `+` for every country, so pass `"+" + contact.phone_number` when the number comes from a shared contact.
 * Spaces, dashes, dots, slashes and brackets are ignored; the result has 8–15 digits.
 */
export function normalizeIndonesianPhone(text: string): ParseResult<string> {
  const compact = text
    .normalize("NFKC")
    .trim()
    .replace(/[\s\-./()]/g, "");
  if (!/^\+?\d+$/.test(compact) || compact.length > 32) return fail("report:errors.phoneMalformed");

  let digits: string;
  if (compact.startsWith("+") || compact.startsWith("00")) {
    digits = compact.replace(/^(?:\+|00)/, "");
    if (digits.startsWith("0")) return fail("report:errors.phoneMalformed");
    if (digits.startsWith(INDONESIA)) digits = INDONESIA + digits.slice(INDONESIA.length).replace(/^0/, "");
  } else if (compact.startsWith("0")) {
    digits = INDONESIA + compact.slice(1);
  } else if (compact.startsWith(INDONESIA)) {
    digits = INDONESIA + compact.slice(INDONESIA.length).replace(/^0/, "");
  } else if (compact.startsWith("8")) {
    digits = INDONESIA + compact;
  } else {
    return fail("report:errors.phoneMalformed");
  }

  if (digits.length < MIN_DIGITS) return fail("report:errors.phoneTooShort");
  if (digits.length > MAX_DIGITS) return fail("report:errors.phoneTooLong");
  return ok(`+${digits}`);
}
