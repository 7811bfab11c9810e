/*
 * Error keys (locale `report:errors.*`):
 *   report:errors.tooShort              a short answer below its minimum length
 *   report:errors.tooLong               a short answer above its maximum length
 *   report:errors.chronologyTooShort    a chronology under 20 characters
 *   report:errors.chronologyTooFewWords a chronology under 3 words (e.g. one long string of letters)
 *   report:errors.chronologyTooLong     a chronology over 3500 characters
 *   report:errors.countMalformed        not a number of people
 *   report:errors.countZero             zero people
 *   report:errors.countNegative         a negative number of people
 *   report:errors.countTooLarge         more than 10 million people
 */
import { parseLocalizedNumber } from "./localized-number.ts";
import { fail, ok, type ParseResult } from "./parse-result.ts";

/** Length limits of a one-line answer, in characters (Unicode code points, so an emoji counts once). */
export type TextLimits = { min: number; max: number };

export const CHRONOLOGY_MIN_LENGTH = 20;
export const CHRONOLOGY_MIN_WORDS = 3;
/** Leaves room under Telegram's 4096-character message limit for the ticket card around it. */
export const CHRONOLOGY_MAX_LENGTH = 3500;
export const MAX_COUNT = 10_000_000;

/**
 * Control characters (NUL breaks PostgreSQL text columns), bidirectional overrides (they can make a message read
 * differently to officers than it was written) and lone surrogates (half an emoji: UTF-8 cannot encode it) are
 * dropped from every answer.
 */
const INVISIBLE = /[^\P{Cc}\s]|[\u202A-\u202E\u2066-\u2069\uFEFF]|[\uD800-\uDFFF]/gu;

/**
 * Reads a one-line answer such as a name or a place: trims, turns every run of spaces and line breaks into one
 * space, drops invisible control characters, and checks the length in characters.
 */
export function parseShortText(text: string, limits: TextLimits): ParseResult<string> {
  const clean = text.replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  const length = codePoints(clean);
  if (length < limits.min) return fail("report:errors.tooShort");
  if (length > limits.max) return fail("report:errors.tooLong");
  return ok(clean);
}

/**
 * Reads the chronology of an incident. Paragraphs are kept (at most one blank line between them) while spaces
 * inside a line are collapsed. It must be a meaningful sentence: at least 20 characters and 3 words (a word has
 * a letter), so that `ok`, `.....` or one long run of letters is sent back; and at most 3500 characters.
 */
export function parseChronology(text: string): ParseResult<string> {
  const clean = text
    .replace(INVISIBLE, "")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (codePoints(clean) < CHRONOLOGY_MIN_LENGTH) return fail("report:errors.chronologyTooShort");
  const words = clean.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length;
  if (words < CHRONOLOGY_MIN_WORDS) return fail("report:errors.chronologyTooFewWords");
  if (codePoints(clean) > CHRONOLOGY_MAX_LENGTH) return fail("report:errors.chronologyTooLong");
  return ok(clean);
}

const APPROXIMATELY =
  /^(?:sekitar|kira-kira|kira2|kurang lebih|kurleb|krg lbh|lebih dari|lebih|hampir|setidaknya|minimal|paling sedikit|sebanyak|ada|about|around|approximately|approx\.?|roughly|more than|over|almost|nearly|at least|±|\+\/-|\+-|~|>=|≥|>)\s*/;
const UNIT =
  /\s*(?<![a-z])(?:orang|org|jiwa|warga|pemilih|kk|keluarga|people|persons?|voters?|residents?|families|households?|lebih|or so|\+|(?<=\d)-?an)$/;
const RANGE =
  /^(?<low>\d[\d.,]*)(?: ?(?:-|–|—|sampai|s\/d|sd|hingga|to) ?)(?<high>\d[\d.,]*)(?: ?(?<unit>ribu|rb|k|juta|jt))?$/;
const COUNT = /^(?<number>\d[\d.,]*|[a-z]+)(?: ?(?<unit>ribu|rb|k|juta|jt))?$/;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ["ribu", 1_000n],
  ["rb", 1_000n],
  ["k", 1_000n],
  ["juta", 1_000_000n],
  ["jt", 1_000_000n],
]);

/** Number words, and the vague quantities people use when they did not count: "puluhan" (tens) is 20. */
const NUMBER_WORDS: ReadonlyMap<string, bigint> = new Map([
  ["seorang", 1n],
  ["satu", 1n],
  ["dua", 2n],
  ["tiga", 3n],
  ["empat", 4n],
  ["lima", 5n],
  ["enam", 6n],
  ["tujuh", 7n],
  ["delapan", 8n],
  ["sembilan", 9n],
  ["sepuluh", 10n],
  ["seratus", 100n],
  ["seribu", 1_000n],
  ["one", 1n],
  ["two", 2n],
  ["three", 3n],
  ["four", 4n],
  ["five", 5n],
  ["six", 6n],
  ["seven", 7n],
  ["eight", 8n],
  ["nine", 9n],
  ["ten", 10n],
  ["belasan", 10n],
  ["puluhan", 20n],
  ["dozens", 20n],
  ["ratusan", 100n],
  ["hundreds", 100n],
  ["ribuan", 1_000n],
  ["thousands", 1_000n],
]);

/**
 * Reads "how many people received it" as a whole number. Accepts `15`, `1.500`, `2 ribu`, `sekitar 20`,
 * `±30`, `20 orang`, `20an`, `50+`, `20-30` (the lower bound: a report should not overstate), number words
 * (`lima`, `seratus`) and vague amounts (`belasan` → 10, `puluhan` → 20, `ratusan` → 100, `ribuan` → 1000,
 * `puluhan ribu` → 20 000). Refuses zero, negative numbers, fractions and more than 10 million.
 */
export function parseCount(text: string): ParseResult<number> {
  let rest = text.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ").replaceAll("\u2212", "-");
  if (rest === "" || rest.length > 64) return fail("report:errors.countMalformed");
  for (let previous = ""; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(APPROXIMATELY, "").replace(UNIT, "").trim();
  }
  const negative = /^(?:-|minus )\s*/.exec(rest);
  if (negative) rest = rest.slice(negative[0].length);

  const value = countValue(rest);
  if (value === undefined) return fail("report:errors.countMalformed");
  if (value === 0n) return fail("report:errors.countZero");
  if (negative) return fail("report:errors.countNegative");
  if (value > BigInt(MAX_COUNT)) return fail("report:errors.countTooLarge");
  return ok(Number(value));
}

function countValue(text: string): bigint | undefined {
  const range = RANGE.exec(text)?.groups;
  if (range?.low && range.high) {
    const multiplier = range.unit === undefined ? 1n : UNITS.get(range.unit);
    const low = wholeNumber(range.low, multiplier);
    const high = wholeNumber(range.high, multiplier);
    if (low === undefined || high === undefined || high < low) return undefined;
    return low;
  }
  const groups = COUNT.exec(text)?.groups;
  if (!groups?.number) return undefined;
  const multiplier = groups.unit === undefined ? 1n : UNITS.get(groups.unit);
  if (multiplier === undefined) return undefined;
  const word = NUMBER_WORDS.get(groups.number);
  if (word !== undefined) return word * multiplier;
  return wholeNumber(groups.number, multiplier);
}

function wholeNumber(text: string, multiplier: bigint | undefined): bigint | undefined {
  if (multiplier === undefined) return undefined;
  const parsed = parseLocalizedNumber(text, multiplier);
  return parsed?.exact ? parsed.value : undefined;
}

function codePoints(text: string): number {
  return [...text].length;
}
