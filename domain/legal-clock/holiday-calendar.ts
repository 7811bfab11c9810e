import { createRequire } from "node:module";
import type Holidays from "date-holidays";
import type { IsoDate } from "../report/dates.ts";
import { type HolidayKind, SKB_HOLIDAYS, SKB_YEARS } from "./skb-holidays.ts";

/** A day off: a national holiday, a collective leave day, or one added by the HOLIDAYS setting. */
export interface Holiday {
  date: IsoDate;
  kind: HolidayKind | "configured";
  name: string;
}

/** Which days offices of the Indonesian state (Bawaslu among them) do not work, besides weekends. */
export interface HolidayCalendar {
  /** The day off on `date`, or undefined on a day that is not a holiday (weekends are not holidays here). */
  holidayOn(date: IsoDate): Holiday | undefined;
  /** Whether `date` is a holiday (so the calendar passes wherever a `ReadonlySet<IsoDate>` of holidays is read). */
  has(date: IsoDate): boolean;
}

/**
 * The HOLIDAYS setting: comma-separated days. `2026-03-20` adds a day off (a decree that came after the
 * release); `-2026-03-20` removes one (a collective leave day the government cancelled).
 */
export interface HolidayOverrides {
  add: readonly IsoDate[];
  remove: readonly IsoDate[];
}

const OVERRIDE = /^(-?)(\d{4}-\d{2}-\d{2})$/;

/**
 * Reads HOLIDAYS (`2026-03-20,-2026-12-24`). Returns the first entry that is not a day (to name in the error)
 * instead of throwing, so bot/config.ts can give its own hint.
 */
export function parseHolidayOverrides(text: string): HolidayOverrides | { invalid: string } {
  const add: IsoDate[] = [];
  const remove: IsoDate[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const match = OVERRIDE.exec(entry);
    const date = match?.[2];
    if (
      !match ||
      !date ||
      Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
    ) {
      return { invalid: entry };
    }
    (match[1] === "-" ? remove : add).push(date);
  }
  return { add, remove };
}

const SKB_BY_DATE = new Map(SKB_HOLIDAYS.map((holiday) => [holiday.date, holiday]));

/**
 * date-holidays, loaded on the first year the SKB table does not cover, not at start: the library carries every
 * country's rules and its parser moment-timezone's zone data (about 8 MB of live heap and 20 MB of RSS in a
 * process that, within the SKB years, never asks it anything). `require` keeps {@link HolidayCalendar.holidayOn}
 * synchronous.
 */
function loadHolidayLibrary(): typeof Holidays {
  return createRequire(import.meta.url)("date-holidays") as typeof Holidays;
}

/**
 * The holiday calendar: the SKB table (skb-holidays.ts) for the years it covers, the `date-holidays` library's
 * Indonesian public holidays for other years, then the HOLIDAYS overrides (a removal wins over everything, an
 * addition over the sources).
 */
export function createHolidayCalendar(
  overrides: HolidayOverrides = { add: [], remove: [] },
): HolidayCalendar {
  const removed = new Set(overrides.remove);
  const added = new Set(overrides.add);
  const libraryYears = new Map<number, Map<IsoDate, Holiday>>();
  let library: Holidays | undefined;

  function fromLibrary(year: number): Map<IsoDate, Holiday> {
    let days = libraryYears.get(year);
    if (days) return days;
    library ??= new (loadHolidayLibrary())("ID", { types: ["public"] });
    days = new Map();
    for (const entry of library.getHolidays(year)) {
      const date = entry.date.slice(0, 10);
      if (!days.has(date)) days.set(date, { date, kind: "public", name: entry.name });
    }
    libraryYears.set(year, days);
    return days;
  }

  function holidayOn(date: IsoDate): Holiday | undefined {
    if (removed.has(date)) return undefined;
    const year = Number(date.slice(0, 4));
    const listed = SKB_YEARS.includes(year) ? SKB_BY_DATE.get(date) : fromLibrary(year).get(date);
    if (listed) return { ...listed };
    if (added.has(date)) return { date, kind: "configured", name: "HOLIDAYS" };
    return undefined;
  }

  return { holidayOn, has: (date) => holidayOn(date) !== undefined };
}
