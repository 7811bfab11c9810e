/**
 * Every legal time limit the bot counts, in one place, each with its legal basis.
 *
 * | rule                     | limit                      | basis |
 * | ------------------------ | -------------------------- | ----- |
 * | pemiluFollowUp           | 7 working days             | UU 7/2017 Pasal 454 ayat (7): Bawaslu decides within 7 days of receiving a report; Perbawaslu 7/2022 counts these "hari" as working days |
 * | pemiluFollowUpExtended   | 14 working days            | UU 7/2017 Pasal 454 ayat (8): 14 days when Bawaslu needs more information from the reporter |
 * | pilkadaFollowUp          | 3 calendar days            | UU 10/2016 Pasal 134 ayat (5): follow-up within 3 days of receipt |
 * | pilkadaFollowUpExtended  | 3 + 2 calendar days        | UU 10/2016 Pasal 134 ayat (6): 2 more days when more information is needed; starts when an officer asks the reporter |
 * | urgentFollowUp           | 1×24 hours                 | Perbawaslu 7/2022: reports in the quiet period (masa tenang) and on voting day may be handled within 1×24 hours |
 * | pemiluFormalReport       | 7 working days             | UU 7/2017 Pasal 454 ayat (6): a formal report within 7 days of the violation becoming known |
 * | pilkadaFormalReport      | 7 calendar days            | UU 10/2016 Pasal 134 ayat (4) |
 *
 * Days are Jakarta (WIB) calendar days: a limit of N days ends at midnight WIB after the N-th day counted from the
 * day after receipt. Working days skip Saturdays, Sundays and the holiday calendar's days (national holidays and
 * cuti bersama, holiday-calendar.ts). Pure: no I/O, the caller passes the clock's instants.
 */
import { addDays, dayOfWeek, type IsoDate, todayInJakarta } from "../report/dates.ts";
import type { Holiday, HolidayCalendar } from "./holiday-calendar.ts";

/** Which election a deployment serves. */
export type ElectionKind = "pemilu" | "pilkada";

export type Counting = "working" | "calendar" | "hours";

export interface LegalRule {
  /** How much time: days, or hours when `counting` is "hours". */
  amount: number;
  counting: Counting;
  /** The legal citation shown to officers as it is written in Indonesian law (not translated). */
  basis: string;
}

export const RULES = {
  pemiluFollowUp: { amount: 7, counting: "working", basis: "UU 7/2017 Pasal 454; Perbawaslu 7/2022" },
  pemiluFollowUpExtended: {
    amount: 14,
    counting: "working",
    basis: "UU 7/2017 Pasal 454 ayat (8); Perbawaslu 7/2022",
  },
  pilkadaFollowUp: { amount: 3, counting: "calendar", basis: "UU 10/2016 Pasal 134 ayat (5)" },
  pilkadaFollowUpExtended: { amount: 5, counting: "calendar", basis: "UU 10/2016 Pasal 134 ayat (5)–(6)" },
  urgentFollowUp: {
    amount: 24,
    counting: "hours",
    basis: "Perbawaslu 7/2022 (masa tenang, hari pemungutan suara)",
  },
  pemiluFormalReport: { amount: 7, counting: "working", basis: "UU 7/2017 Pasal 454 ayat (6)" },
  pilkadaFormalReport: { amount: 7, counting: "calendar", basis: "UU 10/2016 Pasal 134 ayat (4)" },
} as const satisfies Record<string, LegalRule>;

export type RuleId = keyof typeof RULES;

/** The Pilkada extension: days added to the 3-day follow-up when an officer asks the reporter. */
export const PILKADA_EXTENSION_DAYS = 2;

const HOUR_MS = 3_600_000;
/** Days of quiet period (masa tenang) before each voting day. */
export const QUIET_PERIOD_DAYS = 3;

/** A deadline with the rule that produced it and the days off it passed over. */
export interface LegalDeadline {
  /** The instant the limit ends. */
  at: Date;
  /** The last day of the limit (WIB). */
  lastDay: IsoDate;
  rule: RuleId;
  /** Holidays and collective leave days inside the window (weekends are not listed). */
  skipped: Holiday[];
}

/** Midnight WIB at the end of `day`. */
export function endOfDayWib(day: IsoDate): Date {
  return new Date(Date.parse(`${addDays(day, 1)}T00:00:00+07:00`));
}

/** A Monday-to-Friday day that is not a holiday or collective leave day. */
export function isWorkingDay(date: IsoDate, calendar: Pick<HolidayCalendar, "has">): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !calendar.has(date);
}

/**
 * The last day of a limit of `days` days counted from the day after `from`: working days skip weekends and
 * holidays; calendar days count every day. Also returns the holidays passed over (weekdays only for working
 * days, every listed day inside the window for calendar days).
 */
export function countDays(
  from: IsoDate,
  days: number,
  counting: "working" | "calendar",
  calendar: HolidayCalendar,
): { lastDay: IsoDate; skipped: Holiday[] } {
  const skipped: Holiday[] = [];
  let date = from;
  for (let counted = 0; counted < days; ) {
    date = addDays(date, 1);
    const holiday = calendar.holidayOn(date);
    if (counting === "calendar") {
      counted += 1;
      continue;
    }
    const weekend = dayOfWeek(date) === 0 || dayOfWeek(date) === 6;
    if (holiday && !weekend) skipped.push(holiday);
    if (!weekend && !holiday) counted += 1;
  }
  return { lastDay: date, skipped };
}

/** The voting days of the elections served and the quiet period (the 3 days before each). */
export interface ElectionCalendar {
  votingDays: readonly IsoDate[];
  quietDays: readonly IsoDate[];
}

export function electionCalendar(votingDays: readonly IsoDate[]): ElectionCalendar {
  const quietDays = votingDays.flatMap((day) =>
    Array.from({ length: QUIET_PERIOD_DAYS }, (_, i) => addDays(day, -(i + 1))),
  );
  return { votingDays, quietDays };
}

/** Whether a day is a voting day or in the quiet period. */
export function isUrgentPeriod(day: IsoDate, calendar: ElectionCalendar): boolean {
  return calendar.votingDays.includes(day) || calendar.quietDays.includes(day);
}

/**
 * Whether a ticket gets the 1×24-hour clock: the incident happened in the quiet period or on voting day, and the
 * report came in by the day after the incident (the short clock exists to act while the period lasts; a report
 * of such an incident a week later is handled on the ordinary clock).
 */
export function isUrgentTicket(occurredOn: IsoDate, receivedAt: Date, calendar: ElectionCalendar): boolean {
  if (!isUrgentPeriod(occurredOn, calendar)) return false;
  return todayInJakarta(receivedAt) <= addDays(occurredOn, 1);
}

/** What the follow-up clock reads of a ticket. */
export interface FollowUpTicket {
  /** When the report was received (the ticket's creation). */
  createdAt: Date;
  occurredOn: Date | IsoDate;
  /** When an officer first asked the reporter for more information (NEEDS_INFO); starts the extension. */
  infoRequestedAt?: Date | null;
}

/**
 * Officers' follow-up deadline of a ticket: the urgent 1×24 hours, else the Pemilu or Pilkada limit, extended
 * once an officer has asked the reporter for more information.
 *
 * @example followUpDeadline({ createdAt: new Date("2026-03-16T03:00:00Z"), occurredOn: "2026-03-15" }, "pemilu", cal, election)
 * // → last day 2026-03-30: Mon 16 received; 17, 25–27, 30 count after Nyepi 18–19 and Idul Fitri 20–24
 */
export function followUpDeadline(
  ticket: FollowUpTicket,
  kind: ElectionKind,
  calendar: HolidayCalendar,
  election: ElectionCalendar,
): LegalDeadline {
  const occurredOn =
    typeof ticket.occurredOn === "string" ? ticket.occurredOn : ticket.occurredOn.toISOString().slice(0, 10);
  const received = todayInJakarta(ticket.createdAt);
  if (isUrgentTicket(occurredOn, ticket.createdAt, election)) {
    const at = new Date(ticket.createdAt.getTime() + RULES.urgentFollowUp.amount * HOUR_MS);
    return { at, lastDay: todayInJakarta(at), rule: "urgentFollowUp", skipped: [] };
  }
  const extended = ticket.infoRequestedAt != null;
  const rule: RuleId =
    kind === "pemilu"
      ? extended
        ? "pemiluFollowUpExtended"
        : "pemiluFollowUp"
      : extended
        ? "pilkadaFollowUpExtended"
        : "pilkadaFollowUp";
  const { amount, counting } = RULES[rule];
  const { lastDay, skipped } = countDays(received, amount, counting, calendar);
  return { at: endOfDayWib(lastDay), lastDay, rule, skipped };
}

/** A citizen's time to file a formal report: the last day and the days left, counted as the law counts them. */
export interface FormalReportWindow {
  deadline: IsoDate;
  /** Days left including today and the last day; ≤ 0 once the deadline has passed. */
  daysLeft: number;
  counting: "working" | "calendar";
  rule: RuleId;
}

/**
 * The formal-report window of a violation learned of on `learnedOn`, seen on `today` (UU 7/2017 Pasal 454
 * ayat (6): 7 working days; UU 10/2016 Pasal 134 ayat (4): 7 days).
 */
export function formalReportWindow(
  learnedOn: IsoDate,
  today: IsoDate,
  kind: ElectionKind,
  calendar: HolidayCalendar,
): FormalReportWindow {
  const rule: RuleId = kind === "pemilu" ? "pemiluFormalReport" : "pilkadaFormalReport";
  const { amount, counting } = RULES[rule];
  const { lastDay: deadline } = countDays(learnedOn, amount, counting, calendar);
  const counts = (date: IsoDate) => counting === "calendar" || isWorkingDay(date, calendar);
  let daysLeft = 0;
  if (today <= deadline) {
    const from = today > learnedOn ? today : addDays(learnedOn, 1);
    for (let date = from; date <= deadline; date = addDays(date, 1)) if (counts(date)) daysLeft += 1;
  } else {
    for (let date = addDays(deadline, 1); date <= today; date = addDays(date, 1))
      if (counts(date)) daysLeft -= 1;
  }
  return { deadline, daysLeft, counting, rule };
}
