import { describe, expect, it } from "vitest";
import { digestDueDay } from "../../../domain/insight/digest-schedule.ts";
import { parseInsightArgs } from "../../../domain/insight/insight-args.ts";
import { localMinutes, parsePeriod, periodBounds, startOfLocalDay } from "../../../domain/insight/period.ts";
import { TtlCache } from "../../../domain/insight/ttl-cache.ts";

const NOW = new Date("2024-11-27T20:00:00Z"); // Thursday 28 Nov 2024, 03:00 WIB
const TZ = "Asia/Jakarta";
const range = (text: string, tz = TZ) => {
  const parsed = parsePeriod(text, NOW, tz);
  return parsed?.ok ? [parsed.period.from, parsed.period.to] : parsed;
};

describe("periods", () => {
  it("reads day counts, named periods and ranges in the office's time zone", () => {
    expect(range("7h")).toEqual(["2024-11-22", "2024-11-28"]);
    expect(range("30h")).toEqual(["2024-10-30", "2024-11-28"]);
    expect(range("7d")).toEqual(["2024-11-22", "2024-11-28"]);
    expect(range("hari ini")).toEqual(["2024-11-28", "2024-11-28"]);
    expect(range("today")).toEqual(["2024-11-28", "2024-11-28"]);
    expect(range("Minggu  Ini")).toEqual(["2024-11-25", "2024-11-28"]);
    expect(range("this week")).toEqual(["2024-11-25", "2024-11-28"]);
    expect(range("kemarin")).toEqual(["2024-11-27", "2024-11-27"]);
    expect(range("2024-11-01..2024-11-27")).toEqual(["2024-11-01", "2024-11-27"]);
    // In UTC it is still the 27th.
    expect(range("hari ini", "UTC")).toEqual(["2024-11-27", "2024-11-27"]);
  });

  it("refuses what looks like a period but cannot be one, and leaves other words alone", () => {
    expect(parsePeriod("7x", NOW, TZ)).toEqual({ ok: false, error: "periodMalformed" });
    expect(parsePeriod("0h", NOW, TZ)).toEqual({ ok: false, error: "periodMalformed" });
    expect(parsePeriod("2024-02-30..2024-03-01", NOW, TZ)).toEqual({ ok: false, error: "periodMalformed" });
    expect(parsePeriod("2024-11-27..2024-11-01", NOW, TZ)).toEqual({ ok: false, error: "periodReversed" });
    expect(parsePeriod("2022-01-01..2024-11-01", NOW, TZ)).toEqual({ ok: false, error: "periodTooLong" });
    expect(parsePeriod("2025-01-01..2025-01-02", NOW, TZ)).toEqual({ ok: false, error: "periodInFuture" });
    expect(parsePeriod("Jawa Barat", NOW, TZ)).toBeNull();
  });

  it("turns a period into UTC bounds from local midnight to local midnight", () => {
    expect(startOfLocalDay("2024-11-28", TZ).toISOString()).toBe("2024-11-27T17:00:00.000Z");
    expect(startOfLocalDay("2024-11-28", "Asia/Jayapura").toISOString()).toBe("2024-11-27T15:00:00.000Z");
    const bounds = periodBounds({ from: "2024-11-01", to: "2024-11-01", timeZone: "Asia/Makassar" });
    expect([bounds.start.toISOString(), bounds.end.toISOString()]).toEqual([
      "2024-10-31T16:00:00.000Z",
      "2024-11-01T16:00:00.000Z",
    ]);
    expect(localMinutes(NOW, TZ)).toBe(180);
  });
});

describe("command arguments", () => {
  it("reads period, category and area in order", () => {
    const parsed = parseInsightArgs("30h politik-uang Kalimantan Timur", NOW, TZ);
    expect(parsed.ok && parsed.args.category).toBe("MONEY_POLITICS");
    expect(parsed.ok && parsed.args.area).toBe("Kalimantan Timur");
    expect(parsed.ok && parsed.args.period?.from).toBe("2024-10-30");
    const two = parseInsightArgs("minggu ini Kota Bandung", NOW, TZ);
    expect(two.ok && [two.args.period?.from, two.args.area]).toEqual(["2024-11-25", "Kota Bandung"]);
    const format = parseInsightArgs("7h xlsx", NOW, TZ);
    expect(format.ok && format.args.format).toBe("xlsx");
    expect(parseInsightArgs("", NOW, TZ)).toEqual({ ok: true, args: {} });
  });

  it("reports a bad period instead of searching it as an area", () => {
    expect(parseInsightArgs("99x hoaks", NOW, TZ)).toEqual({ ok: false, error: "periodMalformed" });
    expect(parseInsightArgs("2024-11-27..2024-11-01 csv", NOW, TZ)).toEqual({
      ok: false,
      error: "periodReversed",
    });
  });
});

describe("digest schedule", () => {
  it("is due from DIGEST_TIME for three hours, on the local day", () => {
    const seven = 7 * 60;
    expect(digestDueDay(new Date("2024-11-28T00:00:00Z"), TZ, seven)).toBe("2024-11-28"); // 07:00 WIB
    expect(digestDueDay(new Date("2024-11-27T23:59:00Z"), TZ, seven)).toBeNull(); // 06:59
    expect(digestDueDay(new Date("2024-11-28T02:59:00Z"), TZ, seven)).toBe("2024-11-28"); // 09:59
    expect(digestDueDay(new Date("2024-11-28T03:00:00Z"), TZ, seven)).toBeNull(); // 10:00
    expect(digestDueDay(new Date("2024-11-27T22:00:00Z"), "Asia/Jayapura", seven)).toBe("2024-11-28"); // 07:00 WIT
  });
});

describe("TTL cache", () => {
  it("serves a value until it expires, shares one load, and evicts the least recently used", async () => {
    let clock = 0;
    const cache = new TtlCache<number>(1_000, 2, () => clock);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("a", load), cache.get("a", load)])).toEqual([1, 1]);
    clock = 999;
    expect(await cache.get("a", load)).toBe(1);
    clock = 1_000;
    expect(await cache.get("a", load)).toBe(2);
    await cache.get("b", load);
    await cache.get("a", load);
    await cache.get("c", load);
    expect(cache.size).toBe(2);
    expect(await cache.get("b", load)).toBe(5); // "b" was evicted, loaded again
    await expect(cache.get("x", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("x", load)).toBe(6); // a failure is not cached
  });
});
