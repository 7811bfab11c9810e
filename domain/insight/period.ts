/**
 * Reporting periods of the officers' insight commands (`/peta`, `/rekap`, `/ekspor`), read from what an officer
 * types: `7h`, `30h`, `7d`, `2024-11-01..2024-11-27`, `hari ini` / `today`, `minggu ini` / `this week`, `kemarin` /
 * `yesterday`. A period is a range of calendar days in the office's time zone (`TZ`), both ends included.
 */
import { addDays, daysBetween, type IsoDate, isIsoDate } from "../report/dates.ts";

/** Calendar days `from`..`to` (both included) in time zone `timeZone`. */
export interface Period {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly timeZone: string;
}

/** The longest period a command accepts: a little over a year. */
export const MAX_PERIOD_DAYS = 400;

/** What an officer may type for a period; each maps to a function of today. */
const NAMED: ReadonlyArray<[RegExp, (today: IsoDate) => [IsoDate, IsoDate]]> = [
  [/^(hari ini|today)$/, (today) => [today, today]],
  [/^(kemarin|yesterday)$/, (today) => [addDays(today, -1), addDays(today, -1)]],
  // Weeks start on Monday (Senin), as in Indonesian calendars.
  [/^(minggu ini|pekan ini|this week)$/, (today) => [addDays(today, -mondayOffset(today)), today]],
  [/^(bulan ini|this month)$/, (today) => [`${today.slice(0, 8)}01`, today]],
];

function mondayOffset(day: IsoDate): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Why a typed period was refused (a locale key under `insight:errors`). */
export type PeriodError = "periodMalformed" | "periodReversed" | "periodTooLong" | "periodInFuture";

/**
 * Reads a period. `null` when the text is not a period at all (the caller may read it as something else, like an
 * area name); an error when it clearly meant to be one but cannot be used.
 *
 * @example parsePeriod("7h", new Date("2024-11-27T03:00:00Z"), "Asia/Jakarta") // { from: "2024-11-21", to: "2024-11-27" }
 */
export function parsePeriod(
  text: string,
  now: Date,
  timeZone: string,
): { ok: true; period: Period } | { ok: false; error: PeriodError } | null {
  const input = text.trim().toLowerCase().replace(/\s+/g, " ");
  const today = localDay(now, timeZone);
  const make = (from: IsoDate, to: IsoDate) => checked({ from, to, timeZone }, today);
  for (const [pattern, range] of NAMED) {
    if (pattern.test(input)) return make(...range(today));
  }
  const days = /^(\d{1,3})\s?(h|hr|hari|d|day|days)$/.exec(input);
  if (days) {
    const count = Number(days[1]);
    if (count < 1) return { ok: false, error: "periodMalformed" };
    return make(addDays(today, -(count - 1)), today);
  }
  const range = /^(\d{4}-\d{2}-\d{2})\s?(?:\.\.|–|—|-|s\/d|sd|to)\s?(\d{4}-\d{2}-\d{2})$/.exec(input);
  if (range) {
    const [, from, to] = range as unknown as [string, string, string];
    if (!isIsoDate(from) || !isIsoDate(to)) return { ok: false, error: "periodMalformed" };
    return make(from, to);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(input)) {
    return isIsoDate(input) ? make(input, input) : { ok: false, error: "periodMalformed" };
  }
  // Looks like a period but is not one we read ("7x", "2024-11-01..", "30 jam").
  if (/^\d+\s?[a-z]{0,5}$/.test(input) || input.includes(".."))
    return { ok: false, error: "periodMalformed" };
  return null;
}

function checked(
  period: Period,
  today: IsoDate,
): { ok: true; period: Period } | { ok: false; error: PeriodError } {
  if (daysBetween(period.from, period.to) < 0) return { ok: false, error: "periodReversed" };
  if (daysBetween(period.from, period.to) + 1 > MAX_PERIOD_DAYS) return { ok: false, error: "periodTooLong" };
  if (daysBetween(today, period.from) > 0) return { ok: false, error: "periodInFuture" };
  return { ok: true, period };
}

/** The last `days` days up to today: the default period of the commands. */
export function lastDays(days: number, now: Date, timeZone: string): Period {
  const today = localDay(now, timeZone);
  return { from: addDays(today, -(days - 1)), to: today, timeZone };
}

/** Number of days in a period. */
export function periodDays(period: Period): number {
  return daysBetween(period.from, period.to) + 1;
}

/** The calendar day at instant `now` in `timeZone`. */
export function localDay(now: Date, timeZone: string): IsoDate {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** Minutes since local midnight at instant `now` in `timeZone`. */
export function localMinutes(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  })
    .formatToParts(now)
    .reduce<Record<string, string>>((acc, part) => Object.assign(acc, { [part.type]: part.value }), {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/** The instant local midnight starts day `day` in `timeZone` (zones without DST, and most with it). */
export function startOfLocalDay(day: IsoDate, timeZone: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const offsetMs = zoneOffsetMs(new Date(utcMidnight), timeZone);
  const guess = utcMidnight - offsetMs;
  // Correct once when the offset differs at the guessed instant (a DST change that day).
  return new Date(utcMidnight - zoneOffsetMs(new Date(guess), timeZone));
}

/** The UTC instants `[start, end)` that a period covers. */
export function periodBounds(period: Period): { start: Date; end: Date } {
  return {
    start: startOfLocalDay(period.from, period.timeZone),
    end: startOfLocalDay(addDays(period.to, 1), period.timeZone),
  };
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, part) => Object.assign(acc, { [part.type]: part.value }), {});
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}
