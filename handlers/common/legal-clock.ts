import {
  type ElectionCalendar,
  type ElectionKind,
  electionCalendar,
  type FollowUpTicket,
  type FormalReportWindow,
  followUpDeadline,
  formalReportWindow,
  isUrgentTicket,
  type LegalDeadline,
} from "../../domain/legal-clock/deadlines.ts";
import { createHolidayCalendar, type HolidayCalendar } from "../../domain/legal-clock/holiday-calendar.ts";
import { todayInJakarta } from "../../domain/report/dates.ts";
import { isOpen, type ReportStatus } from "../../domain/ticket/workflow.ts";
import type { FeatureConfig } from "./context.ts";

/** The deployment's legal clock: its election, holiday calendar (with HOLIDAYS) and voting days. */
export interface LegalClock {
  kind: ElectionKind;
  calendar: HolidayCalendar;
  election: ElectionCalendar;
  /** Officers' follow-up deadline of a ticket. */
  followUp(ticket: FollowUpTicket): LegalDeadline;
  isUrgent(ticket: Pick<FollowUpTicket, "occurredOn" | "createdAt">): boolean;
  /** A reporter's formal-report window, seen at `now`. */
  formalReport(learnedOn: Date | string, now: Date): FormalReportWindow;
}

const built = new WeakMap<FeatureConfig, LegalClock>();
const day = (value: Date | string) => (typeof value === "string" ? value : value.toISOString().slice(0, 10));

/** The legal clock of this configuration (one per process). */
export function legalClockOf(config: FeatureConfig): LegalClock {
  const existing = built.get(config);
  if (existing) return existing;
  const calendar = createHolidayCalendar(config.holidays);
  const election = electionCalendar(config.votingDays);
  const kind = config.electionKind;
  const clock: LegalClock = {
    kind,
    calendar,
    election,
    followUp: (ticket) => followUpDeadline(ticket, kind, calendar, election),
    isUrgent: (ticket) => isUrgentTicket(day(ticket.occurredOn), ticket.createdAt, election),
    formalReport: (learnedOn, now) => formalReportWindow(day(learnedOn), todayInJakarta(now), kind, calendar),
  };
  built.set(config, clock);
  return clock;
}

/** Callback data of the formal-report step (`frm:`), shared by /status (my-reports) and its handler (triage). */
export const FORMAL_CALLBACK = {
  explain: (code: string) => `frm:i:${code}`,
  start: (code: string) => `frm:y:${code}`,
  cancel: "frm:n",
  skip: "frm:s",
} as const;

/** Whether a ticket can still become a formal report: anonymous, open, and within the reporter's legal limit. */
export function canBecomeFormal(
  ticket: { anonymous: boolean; status: ReportStatus; learnedOn: Date },
  config: FeatureConfig,
  now = new Date(),
): boolean {
  if (!ticket.anonymous || !isOpen(ticket.status)) return false;
  return legalClockOf(config).formalReport(ticket.learnedOn, now).daysLeft > 0;
}
