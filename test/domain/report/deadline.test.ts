import { describe, expect, it } from "vitest";
import {
  type ElectionCalendar,
  FORMAL_REPORT_WORKING_DAYS,
  formalReportDeadline,
  formalReportWindow,
  isUrgentPeriod,
  isWorkingDay,
  workingDaysLeft,
} from "../../../domain/report/deadline.ts";

// November 2026: Monday 23, Friday 27, Saturday 28, Sunday 29, Monday 30; December 2026: Wednesday 2.
const CHRISTMAS_2026 = new Set(["2026-12-25"]);
const YEAR_END_2026 = new Set(["2026-12-24", "2026-12-25", "2027-01-01"]);

describe("isWorkingDay", () => {
  it("is Monday to Friday, minus holidays", () => {
    expect(isWorkingDay("2026-11-23")).toBe(true);
    expect(isWorkingDay("2026-11-27")).toBe(true);
    expect(isWorkingDay("2026-11-28")).toBe(false);
    expect(isWorkingDay("2026-11-29")).toBe(false);
    expect(isWorkingDay("2026-12-25", CHRISTMAS_2026)).toBe(false);
    expect(isWorkingDay("2026-12-24", CHRISTMAS_2026)).toBe(true);
  });
});

describe("formalReportDeadline", () => {
  it(`is the ${FORMAL_REPORT_WORKING_DAYS}th working day after the day the violation became known`, () => {
    expect(formalReportDeadline("2026-11-23")).toBe("2026-12-02");
  });

  it("skips weekends, whatever day the violation became known", () => {
    expect(formalReportDeadline("2026-11-27")).toBe("2026-12-08");
    expect(formalReportDeadline("2026-11-28")).toBe("2026-12-08");
    expect(formalReportDeadline("2026-11-29")).toBe("2026-12-08");
    expect(formalReportDeadline("2026-11-18")).toBe("2026-11-27");
  });

  it("skips national holidays and collective leave", () => {
    expect(formalReportDeadline("2026-12-21")).toBe("2026-12-30");
    expect(formalReportDeadline("2026-12-21", CHRISTMAS_2026)).toBe("2026-12-31");
    expect(formalReportDeadline("2026-12-21", YEAR_END_2026)).toBe("2027-01-04");
  });

  it("is not moved by a holiday that falls on a weekend", () => {
    expect(formalReportDeadline("2026-11-23", new Set(["2026-11-28"]))).toBe("2026-12-02");
  });
});

describe("workingDaysLeft", () => {
  const learnedOn = "2026-11-23";

  it("is 7 on the day the violation became known and on the first working day after", () => {
    expect(workingDaysLeft(learnedOn, "2026-11-23")).toBe(7);
    expect(workingDaysLeft(learnedOn, "2026-11-24")).toBe(7);
  });

  it("counts down one per working day and not at the weekend", () => {
    expect(workingDaysLeft(learnedOn, "2026-11-25")).toBe(6);
    expect(workingDaysLeft(learnedOn, "2026-11-27")).toBe(4);
    expect(workingDaysLeft(learnedOn, "2026-11-28")).toBe(3);
    expect(workingDaysLeft(learnedOn, "2026-11-29")).toBe(3);
    expect(workingDaysLeft(learnedOn, "2026-11-30")).toBe(3);
  });

  it("is 1 on the deadline itself: today is the last day", () => {
    expect(workingDaysLeft(learnedOn, "2026-12-02")).toBe(1);
  });

  it("is negative once the deadline has passed, by the working days late", () => {
    expect(workingDaysLeft(learnedOn, "2026-12-03")).toBe(-1);
    expect(workingDaysLeft(learnedOn, "2026-12-04")).toBe(-2);
    expect(workingDaysLeft(learnedOn, "2026-12-05")).toBe(-2);
  });

  it("is 0 when only a weekend has passed since a Friday deadline", () => {
    expect(formalReportDeadline("2026-11-18")).toBe("2026-11-27");
    expect(workingDaysLeft("2026-11-18", "2026-11-28")).toBe(0);
    expect(workingDaysLeft("2026-11-18", "2026-11-29")).toBe(0);
    expect(workingDaysLeft("2026-11-18", "2026-11-30")).toBe(-1);
  });

  it("does not count holidays", () => {
    expect(workingDaysLeft("2026-12-21", "2026-12-25", CHRISTMAS_2026)).toBe(4);
    expect(workingDaysLeft("2026-12-21", "2026-12-24", CHRISTMAS_2026)).toBe(5);
  });

  it("gives the full period for a day before the violation became known", () => {
    expect(workingDaysLeft(learnedOn, "2026-11-20")).toBe(7);
  });
});

describe("isUrgentPeriod", () => {
  const pemilu2024: ElectionCalendar = {
    votingDays: ["2024-02-14"],
    quietDays: ["2024-02-11", "2024-02-12", "2024-02-13"],
  };

  it("is true on voting day and in the quiet period", () => {
    expect(isUrgentPeriod("2024-02-14", pemilu2024)).toBe(true);
    expect(isUrgentPeriod("2024-02-11", pemilu2024)).toBe(true);
    expect(isUrgentPeriod("2024-02-13", pemilu2024)).toBe(true);
  });

  it("is false during the campaign and after the vote", () => {
    expect(isUrgentPeriod("2024-02-10", pemilu2024)).toBe(false);
    expect(isUrgentPeriod("2024-02-15", pemilu2024)).toBe(false);
    expect(isUrgentPeriod("2024-02-14", { votingDays: [], quietDays: [] })).toBe(false);
  });
});

describe("formalReportWindow", () => {
  it("counts 7 working days for a Pemilu", () => {
    expect(formalReportWindow("2026-11-23", "2026-11-28", "pemilu")).toEqual({
      deadline: "2026-12-02",
      daysLeft: 3,
      counting: "working",
    });
  });

  it("counts 7 days, weekends included, for a Pilkada (UU 10/2016 Pasal 134 ayat (4))", () => {
    const learnedOn = "2026-11-23";
    expect(formalReportWindow(learnedOn, "2026-11-23", "pilkada")).toEqual({
      deadline: "2026-11-30",
      daysLeft: 7,
      counting: "calendar",
    });
    expect(formalReportWindow(learnedOn, "2026-11-28", "pilkada").daysLeft).toBe(3);
    expect(formalReportWindow(learnedOn, "2026-11-30", "pilkada").daysLeft).toBe(1);
    expect(formalReportWindow(learnedOn, "2026-12-01", "pilkada").daysLeft).toBe(-1);
    expect(formalReportWindow(learnedOn, "2026-12-05", "pilkada").daysLeft).toBe(-5);
  });
});
