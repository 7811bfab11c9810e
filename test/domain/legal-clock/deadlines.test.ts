import { describe, expect, it } from "vitest";
import {
  electionCalendar,
  followUpDeadline,
  formalReportWindow,
  type RuleId,
} from "../../../domain/legal-clock/deadlines.ts";
import {
  createHolidayCalendar,
  type HolidayOverrides,
  parseHolidayOverrides,
} from "../../../domain/legal-clock/holiday-calendar.ts";
import { reminderDue } from "../../../domain/ticket/deadlines.ts";

/** 10:00 WIB on a day. */
const at10 = (day: string) => new Date(`${day}T10:00:00+07:00`);
const NO_VOTING = electionCalendar([]);

describe("officers' follow-up deadline, one row per rule", () => {
  const rows: Array<{
    rule: string;
    kind: "pemilu" | "pilkada";
    received: string;
    asked?: boolean;
    holidays?: HolidayOverrides;
    lastDay: string;
    ruleId: RuleId;
    skipped: string[];
  }> = [
    {
      rule: "weekends are not working days (Mon 23 Nov → Wed 2 Dec)",
      kind: "pemilu",
      received: "2026-11-23",
      lastDay: "2026-12-02",
      ruleId: "pemiluFollowUp",
      skipped: [],
    },
    {
      rule: "a national holiday inside the window (17 August)",
      kind: "pemilu",
      received: "2026-08-12",
      lastDay: "2026-08-24",
      ruleId: "pemiluFollowUp",
      skipped: ["2026-08-17"],
    },
    {
      rule: "a collective-leave day (cuti bersama after Ascension)",
      kind: "pemilu",
      received: "2026-05-13",
      lastDay: "2026-05-26",
      ruleId: "pemiluFollowUp",
      skipped: ["2026-05-14", "2026-05-15"],
    },
    {
      rule: "Nyepi and Idul Fitri with their collective leave (SKB 2026)",
      kind: "pemilu",
      received: "2026-03-16",
      lastDay: "2026-04-01",
      ruleId: "pemiluFollowUp",
      skipped: ["2026-03-18", "2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24"],
    },
    {
      rule: "the extension: 14 working days once the reporter is asked",
      kind: "pemilu",
      received: "2026-11-23",
      asked: true,
      lastDay: "2026-12-11",
      ruleId: "pemiluFollowUpExtended",
      skipped: [],
    },
    {
      rule: "a Pilkada: 3 calendar days",
      kind: "pilkada",
      received: "2026-11-27",
      lastDay: "2026-11-30",
      ruleId: "pilkadaFollowUp",
      skipped: [],
    },
    {
      rule: "a Pilkada with the extension: 3 + 2 calendar days",
      kind: "pilkada",
      received: "2026-11-27",
      asked: true,
      lastDay: "2026-12-02",
      ruleId: "pilkadaFollowUpExtended",
      skipped: [],
    },
    {
      rule: "HOLIDAYS adds a day the decree came late for",
      kind: "pemilu",
      received: "2026-11-23",
      holidays: { add: ["2026-12-01"], remove: [] },
      lastDay: "2026-12-03",
      ruleId: "pemiluFollowUp",
      skipped: ["2026-12-01"],
    },
    {
      rule: "HOLIDAYS removes a collective-leave day the government cancelled",
      kind: "pemilu",
      received: "2026-05-13",
      holidays: { add: [], remove: ["2026-05-15"] },
      lastDay: "2026-05-25",
      ruleId: "pemiluFollowUp",
      skipped: ["2026-05-14"],
    },
  ];

  it.each(rows)("$rule", (row) => {
    const calendar = createHolidayCalendar(row.holidays);
    const deadline = followUpDeadline(
      {
        createdAt: at10(row.received),
        occurredOn: row.received,
        infoRequestedAt: row.asked ? at10(row.received) : null,
      },
      row.kind,
      calendar,
      NO_VOTING,
    );
    expect(deadline.rule).toBe(row.ruleId);
    expect(deadline.lastDay).toBe(row.lastDay);
    // The limit ends at midnight WIB after its last day: 17:00 UTC of that day.
    expect(deadline.at.toISOString()).toBe(`${row.lastDay}T17:00:00.000Z`);
    expect(deadline.skipped.map((holiday) => holiday.date)).toEqual(row.skipped);
  });

  it("the quiet period and voting day: 1×24 hours from receipt, for Pemilu and Pilkada alike", () => {
    const election = electionCalendar(["2026-11-25"]);
    for (const kind of ["pemilu", "pilkada"] as const) {
      const deadline = followUpDeadline(
        { createdAt: at10("2026-11-23"), occurredOn: "2026-11-23" },
        kind,
        createHolidayCalendar(),
        election,
      );
      expect(deadline.rule).toBe("urgentFollowUp");
      expect(deadline.at.toISOString()).toBe(at10("2026-11-24").toISOString());
    }
  });

  it("a quiet-period incident reported a week later runs on the ordinary clock", () => {
    const deadline = followUpDeadline(
      { createdAt: at10("2026-12-02"), occurredOn: "2026-11-23" },
      "pemilu",
      createHolidayCalendar(),
      electionCalendar(["2026-11-25"]),
    );
    expect(deadline.rule).toBe("pemiluFollowUp");
  });
});

describe("the holiday calendar", () => {
  it("uses the SKB table for 2024–2026, cuti bersama included", () => {
    const calendar = createHolidayCalendar();
    expect(calendar.holidayOn("2026-03-20")).toMatchObject({ kind: "collective" });
    expect(calendar.holidayOn("2024-04-08")).toMatchObject({ kind: "collective" });
    expect(calendar.holidayOn("2025-03-31")).toMatchObject({ kind: "public", name: "Idul Fitri" });
    expect(calendar.has("2026-03-25")).toBe(false);
  });

  it("falls back to the date-holidays library for other years", () => {
    const calendar = createHolidayCalendar();
    expect(calendar.holidayOn("2027-08-17")).toMatchObject({ kind: "public" });
    expect(calendar.has("2027-08-18")).toBe(false);
  });

  it("reads HOLIDAYS with additions and removals, and names a bad entry", () => {
    expect(parseHolidayOverrides("2026-12-01, -2026-03-20,")).toEqual({
      add: ["2026-12-01"],
      remove: ["2026-03-20"],
    });
    expect(parseHolidayOverrides("2026-02-30")).toEqual({ invalid: "2026-02-30" });
    expect(parseHolidayOverrides("besok")).toEqual({ invalid: "besok" });
    expect(createHolidayCalendar({ add: [], remove: ["2026-03-20"] }).has("2026-03-20")).toBe(false);
  });
});

describe("reporters' formal-report limit, same calendar", () => {
  it.each([
    { kind: "pemilu", learned: "2026-08-12", today: "2026-08-12", deadline: "2026-08-24", left: 7 },
    { kind: "pemilu", learned: "2026-08-12", today: "2026-08-21", deadline: "2026-08-24", left: 2 },
    { kind: "pemilu", learned: "2026-08-12", today: "2026-08-25", deadline: "2026-08-24", left: 0 },
    { kind: "pemilu", learned: "2026-08-12", today: "2026-08-26", deadline: "2026-08-24", left: -1 },
    { kind: "pilkada", learned: "2026-11-23", today: "2026-11-24", deadline: "2026-11-30", left: 7 },
  ] as const)("$kind learned $learned, seen $today: $left left", (row) => {
    const window = formalReportWindow(row.learned, row.today, row.kind, createHolidayCalendar());
    expect(window.deadline).toBe(row.deadline);
    expect(window.daysLeft).toBe(row.left);
  });
});

describe("reminders on the legal clock", () => {
  it("an urgent ticket gets its own reminder, hours before its 1×24-hour deadline", () => {
    const created = at10("2026-11-23");
    const ticket = { id: "u", status: "IN_REVIEW" as const, createdAt: created, lastReminderAt: null };
    const options = {
      unclaimedAfterMs: 3_600_000,
      warnBeforeMs: 24 * 3_600_000,
      urgentWarnBeforeMs: 6 * 3_600_000,
      deadlineOf: () => ({ at: created.getTime() + 24 * 3_600_000, urgent: true }),
    };
    expect(reminderDue([ticket], created.getTime() + 17 * 3_600_000, options).urgentNear).toEqual([]);
    const due = reminderDue([ticket], created.getTime() + 19 * 3_600_000, options);
    expect(due.urgentNear.map((t) => t.id)).toEqual(["u"]);
    expect(due.deadlineNear).toEqual([]);
  });
});
