/*
 * Error keys (locale `report:errors.*`):
 *   report:errors.dateMalformed  not a date we can read
 *   report:errors.dateImpossible a day that does not exist (31-02-2024, 13/13)
 *   report:errors.dateInFuture   after today in Jakarta (also `besok`, `lusa`, `tomorrow`)
 *   report:errors.dateTooOld     more than two years ago
 */
import { fail, ok, type ParseResult } from "./parse-result.ts";

/**
 * A calendar day as `YYYY-MM-DD`. Incidents happen on days in Indonesia, not at instants: a plain string
 * compares and sorts correctly, survives JSON drafts, and cannot drift by a time zone.
 */
export type IsoDate = string;

/** Reports about incidents older than this many years are refused (they can no longer be acted on). */
export const MAX_REPORT_AGE_YEARS = 2;

const DAY_MS = 86_400_000;
/** WIB, UTC+7, with no daylight saving time. */
const JAKARTA_OFFSET_MS = 7 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's calendar day in Asia/Jakarta (WIB) at the instant `now`. */
export function todayInJakarta(now: Date): IsoDate {
  return fromEpochDay(Math.floor((now.getTime() + JAKARTA_OFFSET_MS) / DAY_MS));
}

/** Whether `text` is a `YYYY-MM-DD` day that exists in the calendar. */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  return match !== null && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The day `days` days after `date` (before it when negative). Throws RangeError on a malformed date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Days from `from` to `to`: positive when `to` is later, 0 for the same day. Throws RangeError on a malformed date. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Day of the week of `date`: 0 = Sunday (Minggu) … 6 = Saturday (Sabtu), as `Date#getUTCDay`. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toEpochDay(date) * DAY_MS).getUTCDay();
}

const DATE_FORMAT = {
  id: new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
  en: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
} as const;

/**
 * Formats a day for a message: `24 Agu 2026` (id) or `24 Aug 2026` (en). The day is formatted in UTC because an
 * IsoDate is a plain calendar day, not an instant; formatting it in a local zone could move it a day back.
 */
export function formatDate(date: IsoDate, locale: "id" | "en"): string {
  return DATE_FORMAT[locale].format(new Date(toEpochDay(date) * DAY_MS));
}

const TODAY_WORDS = new Set(["hari ini", "hr ini", "today", "tadi", "barusan"]);
const YESTERDAY_WORDS = new Set(["kemarin", "kemaren", "kmrn", "kmarin", "yesterday"]);
const DAY_BEFORE_YESTERDAY_WORDS = new Set(["kemarin lusa", "kemaren lusa", "the day before yesterday"]);
const FUTURE_WORDS = new Set(["besok", "besuk", "lusa", "besok lusa", "tomorrow"]);

const RELATIVE =
  /^(?:(?<count>\d{1,4}) ?|(?<one>se|an? |one ))(?<unit>hari|hr|minggu|pekan|days?|weeks?) (?:yang )?(?:lalu|ago)$/;
const NUMERIC_WITH_YEAR = /^(?<day>\d{1,2})(?<sep>[-/.])(?<month>\d{1,2})\k<sep>(?<year>\d{4}|\d{2})$/;
const ISO_LIKE = /^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})$/;
const NUMERIC_NO_YEAR = /^(?<day>\d{1,2})[-/.](?<month>\d{1,2})$/;
const WITH_MONTH_NAME = /^(?<day>\d{1,2})[ -](?<name>[a-z]+)\.?(?:[ -](?<year>\d{4}|\d{2}))?$/;
const LEADING_NOISE =
  /^(?:(?:tanggal|tgl\.?|pada|on) )?(?:(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?/;

const MONTHS: ReadonlyMap<string, number> = new Map(
  (
    [
      [1, "jan januari january"],
      [2, "feb februari pebruari february"],
      [3, "mar maret march"],
      [4, "apr april"],
      [5, "mei may"],
      [6, "jun juni june"],
      [7, "jul juli july"],
      [8, "agu agt agus agustus aug august"],
      [9, "sep sept september"],
      [10, "okt oktober oct october"],
      [11, "nov nopember november"],
      [12, "des desember dec december"],
    ] as const
  ).flatMap(([month, names]) => names.split(" ").map((name) => [name, month] as const)),
);

/**
 * Reads the day an incident happened, as a reporter would type it, relative to today in Jakarta.
 *
 * Accepts `dd-mm-yyyy`, `dd/mm/yyyy`, `dd.mm.yyyy`, `dd-mm-yy` (20yy), `yyyy-mm-dd`, `12 Februari 2024`,
 * `12 feb`, `dd/mm` (this year, or last year when that day is still to come), `3 hari lalu`,
 * `3 hari yang lalu`, `seminggu lalu`, `3 days ago`, `kemarin`/`yesterday`, `kemarin lusa`, `hari ini`/`today`;
 * an optional leading `tanggal` or weekday name is ignored. Refuses days after today and days more than
 * {@link MAX_REPORT_AGE_YEARS} years ago.
 *
 * @example parseReportDate("3 hari lalu", new Date("2026-11-24T03:00:00Z")) // { ok: true, value: "2026-11-21" }
 */
export function parseReportDate(text: string, now: Date): ParseResult<IsoDate> {
  const input = text.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");
  if (input === "" || input.length > 60) return fail("report:errors.dateMalformed");
  const today = todayInJakarta(now);

  const daysAgo = relativeDaysAgo(input);
  if (daysAgo === "future") return fail("report:errors.dateInFuture");
  if (daysAgo !== undefined) return checkRange(addDays(today, -daysAgo), today);

  const absolute = input.replace(LEADING_NOISE, "");
  const match =
    NUMERIC_WITH_YEAR.exec(absolute) ??
    ISO_LIKE.exec(absolute) ??
    NUMERIC_NO_YEAR.exec(absolute) ??
    WITH_MONTH_NAME.exec(absolute);
  const groups = match?.groups;
  if (!groups?.day) return fail("report:errors.dateMalformed");

  const day = Number(groups.day);
  const month = groups.name === undefined ? Number(groups.month) : MONTHS.get(groups.name);
  if (month === undefined) return fail("report:errors.dateMalformed");
  if (month < 1 || month > 12 || day < 1 || day > 31) return fail("report:errors.dateImpossible");

  if (groups.year === undefined) return checkRange(recentDayMonth(day, month, today), today);
  const year = groups.year.length === 2 ? 2000 + Number(groups.year) : Number(groups.year);
  if (!isRealDay(year, month, day)) return fail("report:errors.dateImpossible");
  return checkRange(isoOf(year, month, day), today);
}

/** Days back for a relative phrase, "future" for tomorrow-like words, undefined when not relative. */
function relativeDaysAgo(input: string): number | "future" | undefined {
  if (TODAY_WORDS.has(input)) return 0;
  if (YESTERDAY_WORDS.has(input)) return 1;
  if (DAY_BEFORE_YESTERDAY_WORDS.has(input)) return 2;
  if (FUTURE_WORDS.has(input)) return "future";
  const groups = RELATIVE.exec(input)?.groups;
  if (!groups?.unit) return undefined;
  const count = groups.count === undefined ? 1 : Number(groups.count);
  return /^(?:minggu|pekan|weeks?)$/.test(groups.unit) ? count * 7 : count;
}

/**
 * A day and month without a year: the most recent such day that is not in the future, this year or last.
 * Returns an impossible marker for 29 February when neither year has one.
 */
function recentDayMonth(day: number, month: number, today: IsoDate): IsoDate | "impossible" {
  const thisYear = Number(today.slice(0, 4));
  for (const year of [thisYear, thisYear - 1]) {
    if (isRealDay(year, month, day) && isoOf(year, month, day) <= today) return isoOf(year, month, day);
  }
  return "impossible";
}

function checkRange(date: IsoDate | "impossible", today: IsoDate): ParseResult<IsoDate> {
  if (date === "impossible") return fail("report:errors.dateImpossible");
  if (date > today) return fail("report:errors.dateInFuture");
  if (date < yearsBefore(today, MAX_REPORT_AGE_YEARS)) return fail("report:errors.dateTooOld");
  return ok(date);
}

/** The same day and month `years` years earlier; 29 February becomes 28 February in a common year. */
function yearsBefore(date: IsoDate, years: number): IsoDate {
  const year = Number(date.slice(0, 4)) - years;
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return isoOf(year, month, Math.min(day, daysInMonth(year, month)));
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isRealDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isoOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function toEpochDay(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || !isRealDay(year, month, day)) throw new RangeError(`Not a YYYY-MM-DD calendar day: ${date}`);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return Math.round(utc.getTime() / DAY_MS);
}

function fromEpochDay(epochDay: number): IsoDate {
  const utc = new Date(epochDay * DAY_MS);
  return isoOf(utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate());
}
