/*
 * Error keys (locale `report:errors.*`):
 *   report:errors.amountEmpty      nothing was typed
 *   report:errors.amountMalformed  not an amount of money (no number, unknown unit, stray words)
 *   report:errors.amountNegative   a minus sign
 *   report:errors.amountZero       zero (or less than half a rupiah)
 *   report:errors.amountTooLarge   more than Rp 1 trillion, surely a typo
 */
import { parseLocalizedNumber } from "./localized-number.ts";
import { fail, ok, type ParseResult } from "./parse-result.ts";

/** The largest amount accepted: Rp 1 trillion. Anything above is a typo, not a bribe. */
export const MAX_RUPIAH = 1_000_000_000_000;

const MAX_INPUT_LENGTH = 64;

/**
 * Unit words after the number. `M` is *miliar* (10^9) as Indonesians write it, not the English "million";
 * the review step shows the formatted amount so a reporter who meant a million can correct it.
 */
const MULTIPLIERS: ReadonlyMap<string, bigint> = new Map([
  ["k", 1_000n],
  ["rb", 1_000n],
  ["rbu", 1_000n],
  ["ribu", 1_000n],
  ["rebu", 1_000n],
  ["thousand", 1_000n],
  ["jt", 1_000_000n],
  ["juta", 1_000_000n],
  ["million", 1_000_000n],
  ["m", 1_000_000_000n],
  ["miliar", 1_000_000_000n],
  ["milyar", 1_000_000_000n],
  ["billion", 1_000_000_000n],
  ["t", 1_000_000_000_000n],
  ["triliun", 1_000_000_000_000n],
  ["trilyun", 1_000_000_000_000n],
  ["trillion", 1_000_000_000_000n],
]);

const AMOUNT = /^(?<number>\d[\d.,]*)\s*(?<unit>[a-z]+(?:-an)?)?\.?$/;

/**
 * Reads an amount of money typed by a reporter and returns whole rupiah.
 *
 * Accepts the forms people actually type: `50rb`, `50 ribu`, `250k`, `Rp 100.000`, `Rp100.000,-`,
 * `Rp 25.000,00`, `100000`, `1,5 juta`, `1.5jt`, `2 jt`, `2juta`, `1 M`, `1 miliar`, `IDR 50,000`, and
 * "about" forms such as `50ribuan` / `100rb-an`. `.` followed by three digits groups thousands and `,` is the
 * decimal separator, but a single `.` followed by one or two digits is a decimal point too (`1.5 jt` is
 * 1,500,000), and `1,500,000` is read the English way. Fractions of a rupiah are rounded.
 *
 * @example parseRupiah("Rp 1,5 juta") // { ok: true, value: 1500000 }
 */
export function parseRupiah(text: string): ParseResult<number> {
  let rest = text.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ").replaceAll("\u2212", "-");
  if (rest === "") return fail("report:errors.amountEmpty");
  if (rest.length > MAX_INPUT_LENGTH) return fail("report:errors.amountMalformed");

  let negative = false;
  const takeSign = (): void => {
    const sign = /^(?:-|minus )\s*/.exec(rest);
    if (sign) {
      negative = true;
      rest = rest.slice(sign[0].length);
    }
  };
  takeSign();
  rest = rest.replace(/^(?:rp\.?|idr)\s*/, "");
  takeSign();
  rest = rest
    .replace(/\s*(?:rupiah|idr|rp)$/, "")
    .replace(/[.,]?-$/, "")
    .trim();

  const match = AMOUNT.exec(rest);
  if (!match?.groups?.number) return fail("report:errors.amountMalformed");
  const multiplier = unitMultiplier(match.groups.unit);
  if (multiplier === undefined) return fail("report:errors.amountMalformed");
  const parsed = parseLocalizedNumber(match.groups.number, multiplier);
  if (!parsed) return fail("report:errors.amountMalformed");

  if (parsed.value === 0n) return fail("report:errors.amountZero");
  if (negative) return fail("report:errors.amountNegative");
  if (parsed.value > BigInt(MAX_RUPIAH)) return fail("report:errors.amountTooLarge");
  return ok(Number(parsed.value));
}

/** `undefined` for an unknown unit; `ribuan` and `100rb-an` ("about 100 thousand") count as the plain unit. */
function unitMultiplier(unit: string | undefined): bigint | undefined {
  if (unit === undefined) return 1n;
  const plain = unit.replace(/-an$/, "");
  if (plain === "an") return 1n;
  return MULTIPLIERS.get(plain) ?? (plain.endsWith("an") ? MULTIPLIERS.get(plain.slice(0, -2)) : undefined);
}

const RUPIAH_FORMAT = {
  id: new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }),
} as const;

/**
 * Formats whole rupiah for a message: `Rp 1.500.000` in Indonesian, `IDR 1,500,000` in English
 * (the ISO code reads better than "Rp" to an English reader).
 */
export function formatRupiah(amount: number, locale: "id" | "en"): string {
  const digits = RUPIAH_FORMAT[locale].format(amount);
  return locale === "id" ? `Rp ${digits}` : `IDR ${digits}`;
}
