import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  followUpDaysFor,
  formatRemaining,
  type ReminderTicket,
  remainingMs,
  reminderDue,
} from "../../../domain/ticket/deadlines.ts";
import type { ReportStatus } from "../../../domain/ticket/workflow.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = Date.parse("2024-02-01T00:00:00Z");
const OPTIONS = { unclaimedAfterMs: 2 * HOUR, followUpDays: 7, warnBeforeMs: DAY_MS };

function row(
  id: string,
  status: ReportStatus,
  ageMs: number,
  now: number,
  lastReminderAgoMs: number | null = null,
): ReminderTicket {
  return {
    id,
    status,
    createdAt: new Date(now - ageMs),
    lastReminderAt: lastReminderAgoMs === null ? null : new Date(now - lastReminderAgoMs),
  };
}

const ids = (tickets: ReminderTicket[]): string[] => tickets.map((t) => t.id);

describe("followUpDaysFor", () => {
  it("gives 7 days for a Pemilu and 3 + 2 for a Pilkada", () => {
    expect(followUpDaysFor("pemilu")).toBe(7);
    expect(followUpDaysFor("pilkada")).toBe(5);
  });
});

describe("remainingMs", () => {
  it("counts calendar days from creation, negative once overdue", () => {
    expect(remainingMs(new Date(T0), 7, T0 + 6 * DAY_MS + 21 * HOUR)).toBe(3 * HOUR);
    expect(remainingMs(new Date(T0), 5, new Date(T0 + 5 * DAY_MS + 5 * HOUR))).toBe(-5 * HOUR);
    expect(remainingMs(T0, 7, T0)).toBe(7 * DAY_MS);
  });
});

describe("formatRemaining", () => {
  it.each([
    [2 * DAY_MS + 3 * HOUR + 59 * MINUTE, "2 hari 3 jam", "2 days 3 hours"],
    [2 * DAY_MS, "2 hari", "2 days"],
    [DAY_MS + HOUR, "1 hari 1 jam", "1 day 1 hour"],
    [5 * HOUR + 10 * MINUTE + 30_000, "5 jam 10 menit", "5 hours 10 minutes"],
    [HOUR, "1 jam", "1 hour"],
    [45 * MINUTE, "45 menit", "45 minutes"],
    [1 * MINUTE, "1 menit", "1 minute"],
    [59_000, "kurang dari 1 menit", "less than a minute"],
    [0, "kurang dari 1 menit", "less than a minute"],
    [-5 * HOUR - 20 * MINUTE, "lewat 5 jam 20 menit", "overdue by 5 hours 20 minutes"],
    [-5 * HOUR, "lewat 5 jam", "overdue by 5 hours"],
    [-3 * DAY_MS - 2 * HOUR, "lewat 3 hari 2 jam", "overdue by 3 days 2 hours"],
    [-30_000, "lewat kurang dari 1 menit", "overdue by less than a minute"],
  ])("%d ms → %s / %s", (ms, id, en) => {
    expect(formatRemaining(ms, "id")).toBe(id);
    expect(formatRemaining(ms, "en")).toBe(en);
  });
});

describe("reminderDue", () => {
  const now = T0 + 30 * DAY_MS;

  it("reminds of NEW tickets unclaimed for too long, once per interval", () => {
    const due = reminderDue(
      [
        row("fresh", "NEW", HOUR, now),
        row("old", "NEW", 3 * HOUR, now),
        row("exactly", "NEW", 2 * HOUR, now),
        row("remindedRecently", "NEW", 5 * HOUR, now, HOUR),
        row("remindedLongAgo", "NEW", 5 * HOUR, now, 2 * HOUR),
        row("claimed", "IN_REVIEW", 5 * HOUR, now),
      ],
      now,
      OPTIONS,
    );
    expect(ids(due.unclaimed)).toEqual(["old", "exactly", "remindedLongAgo"]);
    expect(due.deadlineNear).toEqual([]);
  });

  it("reminds once when a ticket enters the last day before its deadline", () => {
    const due = reminderDue(
      [
        row("notYet", "IN_REVIEW", 6 * DAY_MS - MINUTE, now),
        row("entered", "IN_REVIEW", 6 * DAY_MS, now),
        row("waiting", "NEEDS_INFO", 6 * DAY_MS + 5 * HOUR, now),
        row("verified", "VERIFIED", 6 * DAY_MS + 5 * HOUR, now),
        row("alreadyReminded", "IN_REVIEW", 6 * DAY_MS + 5 * HOUR, now, HOUR),
        row("remindedBeforeWindow", "IN_REVIEW", 6 * DAY_MS + 5 * HOUR, now, 6 * HOUR),
        row("overdue", "IN_REVIEW", 9 * DAY_MS, now),
        row("overdueReminded", "IN_REVIEW", 9 * DAY_MS, now, 2 * DAY_MS),
      ],
      now,
      OPTIONS,
    );
    expect(ids(due.deadlineNear)).toEqual([
      "entered",
      "waiting",
      "verified",
      "remindedBeforeWindow",
      "overdue",
    ]);
    expect(due.unclaimed).toEqual([]);
  });

  it("puts an unclaimed ticket near its deadline only under deadlineNear", () => {
    const due = reminderDue([row("both", "NEW", 6 * DAY_MS + HOUR, now)], now, OPTIONS);
    expect(ids(due.deadlineNear)).toEqual(["both"]);
    expect(due.unclaimed).toEqual([]);
    const later = now + 2 * HOUR;
    const next = reminderDue(
      [{ ...row("both", "NEW", 6 * DAY_MS + HOUR, now), lastReminderAt: new Date(now) }],
      later,
      OPTIONS,
    );
    expect(ids(next.unclaimed)).toEqual(["both"]);
    expect(next.deadlineNear).toEqual([]);
  });

  it("skips tickets that are handed over or final", () => {
    const due = reminderDue(
      (["FORWARDED", "CLOSED", "REJECTED"] as const).map((status) => row(status, status, 20 * DAY_MS, now)),
      now,
      OPTIONS,
    );
    expect(due).toEqual({ unclaimed: [], deadlineNear: [], urgentNear: [] });
  });

  it("uses the Pilkada's shorter deadline, per ticket when asked", () => {
    const ticket = row("pilkada", "IN_REVIEW", 4 * DAY_MS + HOUR, now);
    expect(reminderDue([ticket], now, OPTIONS).deadlineNear).toEqual([]);
    expect(
      ids(reminderDue([ticket], now, { ...OPTIONS, followUpDays: followUpDaysFor("pilkada") }).deadlineNear),
    ).toEqual(["pilkada"]);
    const perTicket = reminderDue([ticket], now, {
      ...OPTIONS,
      followUpDays: (t) => (t.id === "pilkada" ? 5 : 7),
    });
    expect(ids(perTicket.deadlineNear)).toEqual(["pilkada"]);
  });

  it("accepts a Date for now and returns the caller's own rows", () => {
    const ticket = { ...row("x", "NEW", 3 * HOUR, now), code: "PU-7K3Q9M" };
    const due = reminderDue([ticket], new Date(now), OPTIONS);
    expect(due.unclaimed[0]?.code).toBe("PU-7K3Q9M");
  });

  it("a sweep every 10 minutes sends one deadline reminder and unclaimed reminders at the interval", () => {
    let ticket: ReminderTicket = { id: "t", status: "NEW", createdAt: new Date(T0), lastReminderAt: null };
    const sent: Array<[string, number]> = [];
    for (let t = T0; t <= T0 + 8 * DAY_MS; t += 10 * MINUTE) {
      const due = reminderDue([ticket], t, OPTIONS);
      const kind = due.deadlineNear.length > 0 ? "deadline" : due.unclaimed.length > 0 ? "unclaimed" : null;
      if (kind) {
        sent.push([kind, t]);
        ticket = { ...ticket, lastReminderAt: new Date(t) };
      }
    }
    const deadline = sent.filter(([kind]) => kind === "deadline");
    expect(deadline).toEqual([["deadline", T0 + 6 * DAY_MS]]);
    const unclaimed = sent.filter(([kind]) => kind === "unclaimed").map(([, t]) => t);
    expect(unclaimed[0]).toBe(T0 + 2 * HOUR);
    for (let i = 1; i < unclaimed.length; i++)
      expect(unclaimed[i]! - unclaimed[i - 1]!).toBeGreaterThanOrEqual(2 * HOUR);
  });

  it("refuses nonsensical settings", () => {
    expect(() => reminderDue([], T0, { ...OPTIONS, unclaimedAfterMs: 0 })).toThrow(RangeError);
    expect(() => reminderDue([], T0, { ...OPTIONS, warnBeforeMs: -1 })).toThrow(RangeError);
  });
});
