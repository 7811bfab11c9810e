import type { ElectionKind } from "../ticket/deadlines.ts";
import { addDays, dayOfWeek, daysBetween, type IsoDate } from "./dates.ts";

/*
 * How long a citizen has to turn a violation they learned of into a formal report (laporan). Pemilu: UU 7/2017
 * Pasal 454 ayat (6), 7 working days. Pilkada: UU 1/2015 as amended by UU 10/2016, Pasal 134 ayat (4), 7 days.
 * The legal basis of every limit is tabled in domain/legal-clock/deadlines.ts (RULES), which counts officers'
 * follow-up deadlines; this module keeps the reporter-side helpers the review screen uses.
 */
export const FORMAL_REPORT_LIMIT = {
  pemilu: { days: 7, counting: "working" },
  pilkada: { days: 7, counting: "calendar" },
} as const satisfies Record<ElectionKind, { days: number; counting: "working" | "calendar" }>;

/** Working days a citizen has to file a formal report about a Pemilu violation. */
export const FORMAL_REPORT_WORKING_DAYS = FORMAL_REPORT_LIMIT.pemilu.days;

/** The days off a count skips: a Set of days, or the legal clock's holiday calendar. */
export type HolidayLookup = { has(date: IsoDate): boolean };

const NO_HOLIDAYS: HolidayLookup = new Set<IsoDate>();

/** A Monday-to-Friday day that is not in `holidays` (national holidays and cuti bersama, as the caller decides). */
export function isWorkingDay(date: IsoDate, holidays: HolidayLookup = NO_HOLIDAYS): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/**
 * The last day to file a formal report about a violation learned of on `learnedOn`: the 7th working day counted
 * from the day after, skipping weekends and `holidays`.
 *
 * @example formalReportDeadline("2026-11-23") // "2026-12-02" (Monday → Wednesday of the next week)
 */
export function formalReportDeadline(learnedOn: IsoDate, holidays: HolidayLookup = NO_HOLIDAYS): IsoDate {
  let date = learnedOn;
  for (let counted = 0; counted < FORMAL_REPORT_WORKING_DAYS; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date, holidays)) counted += 1;
  }
  return date;
}

/**
 * Working days left to file a formal report, to tell a reporter how much time remains.
 *
 * Positive: the working days from today (or from the day after `learnedOn`, whichever is later) up to and
 * including the deadline, so 7 on the day the violation became known and 1 on the last day.
 * Zero or negative: the deadline has passed; `-n` means n working days late, and 0 means only weekend days or
 * holidays have gone by since the deadline.
 */
export function workingDaysLeft(
  learnedOn: IsoDate,
  today: IsoDate,
  holidays: HolidayLookup = NO_HOLIDAYS,
): number {
  const deadline = formalReportDeadline(learnedOn, holidays);
  if (today <= deadline) {
    const from = today > learnedOn ? today : addDays(learnedOn, 1);
    return countWorkingDays(from, deadline, holidays);
  }
  // `0 - late`, not `-late`, which is -0 when only a weekend has passed.
  return 0 - countWorkingDays(addDays(deadline, 1), today, holidays);
}

/** Voting days and quiet-period (masa tenang) days of the elections the bot covers, from configuration. */
export type ElectionCalendar = { votingDays: readonly IsoDate[]; quietDays: readonly IsoDate[] };

/**
 * Whether an incident happened on a voting day or in the quiet period (masa tenang), when Bawaslu may handle a
 * report within 1×24 hours, so the ticket must reach officers first.
 */
export function isUrgentPeriod(occurredOn: IsoDate, calendar: ElectionCalendar): boolean {
  return calendar.votingDays.includes(occurredOn) || calendar.quietDays.includes(occurredOn);
}

/** A citizen's time to file a formal report: the last day, and the days left counted as the law counts them. */
export interface FormalReportWindow {
  deadline: IsoDate;
  /** As {@link workingDaysLeft}, in working or calendar days (`counting`): ≤ 0 once the deadline has passed. */
  daysLeft: number;
  counting: "working" | "calendar";
}

/**
 * The formal-report window of a violation learned of on `learnedOn`, seen on `today`, for this kind of election.
 *
 * @example formalReportWindow("2026-11-23", "2026-11-24", "pilkada") // → { deadline: "2026-11-30", daysLeft: 7, … }
 */
export function formalReportWindow(
  learnedOn: IsoDate,
  today: IsoDate,
  kind: ElectionKind,
  holidays: HolidayLookup = NO_HOLIDAYS,
): FormalReportWindow {
  const { days, counting } = FORMAL_REPORT_LIMIT[kind];
  if (counting === "working") {
    const deadline = formalReportDeadline(learnedOn, holidays);
    return { deadline, daysLeft: workingDaysLeft(learnedOn, today, holidays), counting };
  }
  const deadline = addDays(learnedOn, days);
  const from = today > learnedOn ? today : addDays(learnedOn, 1);
  const daysLeft = today <= deadline ? daysBetween(from, deadline) + 1 : -daysBetween(deadline, today);
  return { deadline, daysLeft, counting };
}

/** Working days in the inclusive range [from, to]; 0 when `from` is after `to`. */
function countWorkingDays(from: IsoDate, to: IsoDate, holidays: HolidayLookup): number {
  let count = 0;
  for (let date = from; date <= to; date = addDays(date, 1)) {
    if (isWorkingDay(date, holidays)) count += 1;
  }
  return count;
}
