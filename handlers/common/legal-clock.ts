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
