/**
 * Follow-up deadlines and reminders for officers.
 *
 * Bawaslu must act on a report within 7 days (UU 7/2017; 14 working days when it needs more information), and
 * within 3 + 2 days for a Pilkada. The bot counts calendar days from the moment the ticket was created: it is a
 * reminder, not a legal computation, and calendar days are never later than working days, so it errs on the
 * early side. (In the quiet period and on voting day reports are handled within 1×24 hours: pass
 * `followUpDays: 1` then.)
 *
 * Pure: the scheduler reads open tickets, calls {@link reminderDue}, posts the reminders in the staff group and
 * records `lastReminderAt` (a `REMINDER_SENT` event) for each ticket it reminded.
 */
import type { ElectionKind } from "../legal-clock/deadlines.ts";
import { isOpen, type ReportStatus } from "./workflow.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** One calendar day. */
export const DAY_MS = 24 * HOUR_MS;

export type { ElectionKind };

/**
 * Days Bawaslu has to follow up a report: 7 for a Pemilu, 5 (3 + 2) for a Pilkada.
 *
 * @example followUpDaysFor("pilkada") // → 5
 */
export function followUpDaysFor(kind: ElectionKind): number {
  return kind === "pilkada" ? 5 : 7;
}

/** Epoch milliseconds of a time given as a Date or a number. */
function toMs(time: Date | number): number {
  return typeof time === "number" ? time : time.getTime();
}

/** The moment the follow-up period of a ticket created at `createdAt` ends. */
export function followUpDeadline(createdAt: Date | number, followUpDays: number): number {
  return toMs(createdAt) + followUpDays * DAY_MS;
}

/**
 * Milliseconds left until the follow-up deadline; negative when it has passed.
 *
 * @example remainingMs(new Date("2024-02-01T00:00:00Z"), 7, Date.parse("2024-02-07T21:00:00Z")) // → 3 hours
 */
export function remainingMs(createdAt: Date | number, followUpDays: number, now: Date | number): number {
  return followUpDeadline(createdAt, followUpDays) - toMs(now);
}

const WORDS = {
  id: {
    day: () => "hari",
    hour: () => "jam",
    minute: () => "menit",
    lessThanAMinute: "kurang dari 1 menit",
    overdue: (text: string) => `lewat ${text}`,
  },
  en: {
    day: (n: number) => (n === 1 ? "day" : "days"),
    hour: (n: number) => (n === 1 ? "hour" : "hours"),
    minute: (n: number) => (n === 1 ? "minute" : "minutes"),
    lessThanAMinute: "less than a minute",
    overdue: (text: string) => `overdue by ${text}`,
  },
} as const;

/**
 * A remaining time for the staff card, in the two largest units, rounded down (never promises more time than is
 * left): "2 hari 3 jam" / "2 days 3 hours", "5 jam 10 menit", "lewat 5 jam" / "overdue by 5 hours".
 *
 * Units that are zero are left out ("2 days", not "2 days 0 hours").
 */
export function formatRemaining(ms: number, locale: "id" | "en"): string {
  const words = WORDS[locale];
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY_MS);
  const hours = Math.floor((abs % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((abs % HOUR_MS) / MINUTE_MS);
  const part = (n: number, unit: (n: number) => string): string => `${n} ${unit(n)}`;
  const parts: string[] = [];
  if (days > 0) {
    parts.push(part(days, words.day));
    if (hours > 0) parts.push(part(hours, words.hour));
  } else if (hours > 0) {
    parts.push(part(hours, words.hour));
    if (minutes > 0) parts.push(part(minutes, words.minute));
  } else if (minutes > 0) {
    parts.push(part(minutes, words.minute));
  }
  const text = parts.length > 0 ? parts.join(" ") : words.lessThanAMinute;
  return ms < 0 ? words.overdue(text) : text;
}

/** What {@link reminderDue} needs of a ticket; database rows with more fields pass as they are. */
export interface ReminderTicket {
  id: string;
  status: ReportStatus;
  createdAt: Date;
  /** Accepted so rows pass straight through; the rules do not use it (a NEW ticket is unclaimed by definition). */
  claimedAt?: Date | null;
  /** When officers were last reminded of this ticket, of either kind. */
  lastReminderAt?: Date | null;
}

/** Reminder settings. */
export interface ReminderOptions<T extends ReminderTicket = ReminderTicket> {
  /** A NEW ticket older than this is "unclaimed"; its reminder repeats at this interval. */
  unclaimedAfterMs: number;
  /** Days to follow up ({@link followUpDaysFor}); a function when tickets of several kinds share a queue. */
  followUpDays?: number | ((ticket: T) => number);
  /**
   * The ticket's legal deadline (domain/legal-clock followUpDeadline), epoch ms, and whether it is the urgent
   * 1×24-hour clock; wins over `followUpDays`.
   */
  deadlineOf?: (ticket: T) => { at: number; urgent: boolean };
  /** How long before the follow-up deadline the "deadline near" reminder is due. */
  warnBeforeMs: number;
  /** The same for urgent (1×24 h) tickets; their reminder is its own kind, `urgentNear`. Default: 6 hours. */
  urgentWarnBeforeMs?: number;
}

/** The tickets to remind officers of, by kind. A ticket is in at most one list. */
export interface RemindersDue<T> {
  /** NEW for longer than `unclaimedAfterMs`, and not reminded within the last `unclaimedAfterMs`. */
  unclaimed: T[];
  /** Within `warnBeforeMs` of the follow-up deadline (or past it), and not reminded since entering that window. */
  deadlineNear: T[];
  /** Urgent tickets (quiet period, voting day) within `urgentWarnBeforeMs` of their 1×24-hour deadline. */
  urgentNear: T[];
}

/**
 * Which open tickets need a reminder now.
 *
 * - **unclaimed**: status NEW, created at least `unclaimedAfterMs` ago, and `lastReminderAt` unset or at least
 *   `unclaimedAfterMs` ago: one reminder per interval while nobody claims it.
 * - **deadline near**: any open status (NEW, IN_REVIEW, NEEDS_INFO, VERIFIED), `now` at or after
 *   `deadline − warnBeforeMs`, and `lastReminderAt` unset or before that moment: exactly one reminder per
 *   ticket for entering the window. A ticket first seen after its deadline is reminded once too (overdue is
 *   the most urgent case); it is not reminded again.
 *
 * `lastReminderAt` is shared by both kinds, so a ticket due for both appears only under `deadlineNear` (its
 * message should say it is still unclaimed: `status === "NEW"`), and the unclaimed interval restarts from that
 * reminder. Tickets that are not open (FORWARDED, CLOSED, REJECTED) are skipped.
 *
 * @param now epoch milliseconds or a Date, from the caller's injected clock
 */
export function reminderDue<T extends ReminderTicket>(
  tickets: Iterable<T>,
  now: Date | number,
  options: ReminderOptions<T>,
): RemindersDue<T> {
  const { unclaimedAfterMs, warnBeforeMs } = options;
  if (!(unclaimedAfterMs > 0) || !(warnBeforeMs >= 0)) {
    throw new RangeError("unclaimedAfterMs must be positive and warnBeforeMs not negative");
  }
  const nowMs = toMs(now);
  const urgentWarnBeforeMs = options.urgentWarnBeforeMs ?? 6 * HOUR_MS;
  const due: RemindersDue<T> = { unclaimed: [], deadlineNear: [], urgentNear: [] };
  for (const ticket of tickets) {
    if (!isOpen(ticket.status)) continue;
    const lastReminder = ticket.lastReminderAt ? ticket.lastReminderAt.getTime() : null;
    let deadline: number;
    let urgent = false;
    if (options.deadlineOf) {
      ({ at: deadline, urgent } = options.deadlineOf(ticket));
    } else {
      const days =
        typeof options.followUpDays === "function"
          ? options.followUpDays(ticket)
          : (options.followUpDays ?? 7);
      deadline = followUpDeadline(ticket.createdAt, days);
    }
    const windowStart = deadline - (urgent ? urgentWarnBeforeMs : warnBeforeMs);
    if (nowMs >= windowStart && (lastReminder === null || lastReminder < windowStart)) {
      (urgent ? due.urgentNear : due.deadlineNear).push(ticket);
      continue;
    }
    if (
      ticket.status === "NEW" &&
      nowMs - ticket.createdAt.getTime() >= unclaimedAfterMs &&
      (lastReminder === null || nowMs - lastReminder >= unclaimedAfterMs)
    ) {
      due.unclaimed.push(ticket);
    }
  }
  return due;
}
