/**
 * A number read from user text and scaled by a multiplier: `value` is rounded half up to an integer,
 * `exact` is false when rounding was needed (a count of people must be exact, an amount of rupiah need not).
 */
export type ScaledNumber = { value: bigint; exact: boolean };

const DIGITS = /^\d+$/;
const ID_GROUPED = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;
const EN_GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const DECIMAL = /^\d+[.,]\d+$/;

/**
 * Reads the digits of a number written the Indonesian way (`1.500.000`, `25.000,00`, `1,5`) or the English way
 * (`1,500,000`, `1.5`) and multiplies it by `multiplier` with exact BigInt arithmetic.
 *
 * Indonesian comes first: `.` followed by groups of three digits is a thousands separator and `,` is the decimal
 * separator. English grouping (`1,500,000`) is accepted when it cannot be an Indonesian decimal: two or more
 * comma groups, a `.` decimal part, or no multiplier (nobody means 100 rupiah by `100,000`). A single separator
 * followed by one, two or more than three digits is a decimal point either way (`1.5 jt`, `1,5 jt`).
 * Returns null when the text is not a number in one of these shapes.
 *
 * @example parseLocalizedNumber("1,5", 1_000_000n) // { value: 1500000n, exact: true }
 */
export function parseLocalizedNumber(text: string, multiplier = 1n): ScaledNumber | null {
  let integerPart: string;
  let fractionPart = "";
  if (DIGITS.test(text)) {
    integerPart = text;
  } else if (ID_GROUPED.test(text)) {
    [integerPart = "", fractionPart = ""] = text.split(",");
    integerPart = integerPart.replaceAll(".", "");
  } else if (EN_GROUPED.test(text) && isUnambiguousEnglish(text, multiplier)) {
    [integerPart = "", fractionPart = ""] = text.split(".");
    integerPart = integerPart.replaceAll(",", "");
  } else if (DECIMAL.test(text)) {
    [integerPart = "", fractionPart = ""] = text.split(/[.,]/);
  } else {
    return null;
  }
  const numerator = BigInt(integerPart + fractionPart) * multiplier;
  const denominator = 10n ** BigInt(fractionPart.length);
  return {
    value: (numerator * 2n + denominator) / (2n * denominator),
    exact: numerator % denominator === 0n,
  };
}

function isUnambiguousEnglish(text: string, multiplier: bigint): boolean {
  const commas = text.split(",").length - 1;
  return commas >= 2 || text.includes(".") || multiplier === 1n;
}
