import { describe, expect, it } from "vitest";
import {
  addDays,
  dayOfWeek,
  daysBetween,
  formatDate,
  isIsoDate,
  parseReportDate,
  todayInJakarta,
} from "../../../domain/report/dates.ts";

/** Tuesday 24 November 2026, 10:00 in Jakarta. */
const NOW = new Date("2026-11-24T03:00:00Z");

describe("todayInJakarta", () => {
  it("is the Jakarta calendar day, seven hours ahead of UTC", () => {
    expect(todayInJakarta(NOW)).toBe("2026-11-24");
    expect(todayInJakarta(new Date("2026-11-23T17:00:00Z"))).toBe("2026-11-24");
    expect(todayInJakarta(new Date("2026-11-23T16:59:59.999Z"))).toBe("2026-11-23");
  });

  it("crosses a year boundary at midnight WIB", () => {
    expect(todayInJakarta(new Date("2026-12-31T17:00:00Z"))).toBe("2027-01-01");
  });
});

describe("addDays, daysBetween, dayOfWeek, isIsoDate", () => {
  it("moves across months, years and leap days", () => {
    expect(addDays("2026-11-24", 7)).toBe("2026-12-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-11-24", 0)).toBe("2026-11-24");
  });

  it("counts days signed, from the first to the second", () => {
    expect(daysBetween("2026-11-24", "2026-12-01")).toBe(7);
    expect(daysBetween("2026-12-01", "2026-11-24")).toBe(-7);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
  });

  it("names the weekday with 0 for Sunday", () => {
    expect(dayOfWeek("2026-11-24")).toBe(2);
    expect(dayOfWeek("2026-11-29")).toBe(0);
    expect(dayOfWeek("2024-02-14")).toBe(3);
  });

  it("throws on a malformed date, which is a programming error", () => {
    expect(() => addDays("24-11-2026", 1)).toThrow(RangeError);
    expect(() => daysBetween("2026-02-30", "2026-03-01")).toThrow(RangeError);
  });

  it("recognises real YYYY-MM-DD days only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-1-5")).toBe(false);
  });
});

describe("formatDate", () => {
  it("writes short month names in each language", () => {
    expect(formatDate("2026-11-24", "id")).toBe("24 Nov 2026");
    expect(formatDate("2026-11-24", "en")).toBe("24 Nov 2026");
    expect(formatDate("2026-08-17", "id")).toBe("17 Agu 2026");
    expect(formatDate("2026-08-17", "en")).toBe("17 Aug 2026");
    expect(formatDate("2026-05-01", "id")).toBe("1 Mei 2026");
  });

  it("does not move the day whatever the process time zone", () => {
    expect(formatDate("2026-01-01", "en")).toBe("1 Jan 2026");
    expect(formatDate("2026-12-31", "en")).toBe("31 Dec 2026");
  });
});

describe("parseReportDate", () => {
  it.each([
    ["24-11-2026", "2026-11-24"],
    ["01/02/2025", "2025-02-01"],
    ["1/2/2025", "2025-02-01"],
    ["17.08.2026", "2026-08-17"],
    ["17-08-26", "2026-08-17"],
    ["2026-08-17", "2026-08-17"],
    ["17 Agustus 2026", "2026-08-17"],
    ["17 agt 2026", "2026-08-17"],
    ["12 Februari 2025", "2025-02-12"],
    ["12 Feb. 25", "2025-02-12"],
    ["3 Dec 2025", "2025-12-03"],
    ["1 Mei", "2026-05-01"],
    ["tanggal 17/08/2026", "2026-08-17"],
    ["tgl. 17/08/2026", "2026-08-17"],
    ["Senin, 23 November 2026", "2026-11-23"],
  ])("reads the date %j", (text, expected) => {
    expect(parseReportDate(text, NOW)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["hari ini", "2026-11-24"],
    ["Hari Ini", "2026-11-24"],
    ["today", "2026-11-24"],
    ["tadi", "2026-11-24"],
    ["kemarin", "2026-11-23"],
    ["kemaren", "2026-11-23"],
    ["yesterday", "2026-11-23"],
    ["kemarin lusa", "2026-11-22"],
    ["3 hari lalu", "2026-11-21"],
    ["3 hari yang lalu", "2026-11-21"],
    ["3hari lalu", "2026-11-21"],
    ["3 days ago", "2026-11-21"],
    ["1 day ago", "2026-11-23"],
    ["sehari lalu", "2026-11-23"],
    ["seminggu yang lalu", "2026-11-17"],
    ["2 minggu lalu", "2026-11-10"],
    ["a week ago", "2026-11-17"],
    ["0 hari lalu", "2026-11-24"],
  ])("reads the relative day %j", (text, expected) => {
    expect(parseReportDate(text, NOW)).toEqual({ ok: true, value: expected });
  });

  it("counts relative days from the Jakarta day, not the UTC one", () => {
    const lateEveningUtc = new Date("2026-11-23T18:00:00Z");
    expect(parseReportDate("hari ini", lateEveningUtc)).toEqual({ ok: true, value: "2026-11-24" });
    expect(parseReportDate("kemarin", lateEveningUtc)).toEqual({ ok: true, value: "2026-11-23" });
  });

  describe("a day and month without a year", () => {
    it("is this year when that day has come", () => {
      expect(parseReportDate("17/08", NOW)).toEqual({ ok: true, value: "2026-08-17" });
      expect(parseReportDate("24-11", NOW)).toEqual({ ok: true, value: "2026-11-24" });
    });

    it("is last year when that day is still to come this year", () => {
      expect(parseReportDate("25/11", NOW)).toEqual({ ok: true, value: "2025-11-25" });
      expect(parseReportDate("31.12", NOW)).toEqual({ ok: true, value: "2025-12-31" });
    });

    it("takes 29 February from the last leap year within the past twelve months", () => {
      const spring2025 = new Date("2025-01-10T03:00:00Z");
      expect(parseReportDate("29/02", spring2025)).toEqual({ ok: true, value: "2024-02-29" });
      expect(parseReportDate("29/02", NOW)).toEqual({ ok: false, errorKey: "report:errors.dateImpossible" });
    });
  });

  it("reads 29 February of a leap year", () => {
    const spring2025 = new Date("2025-03-10T03:00:00Z");
    expect(parseReportDate("29-02-2024", spring2025)).toEqual({ ok: true, value: "2024-02-29" });
  });

  it.each([
    "",
    "   ",
    "kapan-kapan",
    "minggu lalu",
    "24/11/2026/1",
    "24-11/2026",
    "2026/11/24",
    "24 11 2026",
    "12 Abc 2026",
    "17 Agustusan 2026",
    "24-11-202",
    "x".repeat(80),
  ])("refuses %j as not a date", (text) => {
    expect(parseReportDate(text, NOW)).toEqual({ ok: false, errorKey: "report:errors.dateMalformed" });
  });

  it.each([
    "31-02-2024",
    "29-02-2025",
    "31/04/2026",
    "00-01-2026",
    "13/13/2026",
    "32-01-2026",
    "30 Feb 2024",
  ])("refuses the impossible day %j", (text) => {
    expect(parseReportDate(text, NOW)).toEqual({ ok: false, errorKey: "report:errors.dateImpossible" });
  });

  it.each(["25-11-2026", "01-01-2027", "25-11-99", "besok", "lusa", "tomorrow"])(
    "refuses the future day %j",
    (text) => {
      expect(parseReportDate(text, NOW)).toEqual({ ok: false, errorKey: "report:errors.dateInFuture" });
    },
  );

  it("accepts the day exactly two years back and refuses the day before it", () => {
    expect(parseReportDate("24-11-2024", NOW)).toEqual({ ok: true, value: "2024-11-24" });
    expect(parseReportDate("23-11-2024", NOW)).toEqual({ ok: false, errorKey: "report:errors.dateTooOld" });
  });

  it.each(["01-01-2020", "17-08-1945", "1000 hari lalu", "200 minggu lalu"])(
    "refuses the too-old day %j",
    (text) => {
      expect(parseReportDate(text, NOW)).toEqual({ ok: false, errorKey: "report:errors.dateTooOld" });
    },
  );
});
