import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countByRegion,
  digestNumbers,
  pins,
  summarize,
  urgentDays,
} from "../../../domain/insight/insight-queries.ts";
import type { Period } from "../../../domain/insight/period.ts";
import { insertInsightTickets, insightTickets, type SeededTicket } from "../../support/insight-seed.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

const NOW = new Date("2024-11-28T05:00:00Z"); // 12:00 WIB
const TZ = "Asia/Jakarta";
const PERIOD: Period = { from: "2024-11-01", to: "2024-11-28", timeZone: TZ };
const RULES = { votingDays: ["2024-11-27"], followUpDays: 7, now: NOW };
const OPEN = new Set(["NEW", "IN_REVIEW", "NEEDS_INFO", "VERIFIED"]);
const URGENT = new Set(urgentDays(RULES.votingDays));

let db: MigratedDatabase;
let tickets: SeededTicket[];

const wib = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
const inPeriod = (t: SeededTicket) => wib(t.createdAt) >= PERIOD.from && wib(t.createdAt) <= PERIOD.to;
const overdue = (t: SeededTicket) =>
  OPEN.has(t.status) && t.createdAt.getTime() < NOW.getTime() - 7 * 86_400_000;
const urgent = (t: SeededTicket) => URGENT.has(t.occurredOn);

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** PostgreSQL's percentile_cont(0.5): the middle value, or the mean of the two middle ones. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return Math.round((sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2);
}

beforeAll(async () => {
  db = await migratedDatabase();
  tickets = insightTickets(4_000, NOW);
  await insertInsightTickets(db.prisma, tickets);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("insight aggregation in SQL over 4,000 seeded tickets", () => {
  it("counts reports per province with the urgent and the past-deadline ones, most first", async () => {
    const inside = tickets.filter(inPeriod);
    expect(inside.length).toBeLessThan(tickets.length); // some were created before the period
    const counts = await countByRegion(db.prisma, { period: PERIOD }, RULES, "province");
    const expected = [...countBy(inside, (t) => t.provinceCode)].map(([code, count]) => ({
      code,
      count,
      urgent: inside.filter((t) => t.provinceCode === code && urgent(t)).length,
      overdue: inside.filter((t) => t.provinceCode === code && overdue(t)).length,
    }));
    expected.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    expect(counts).toEqual(expected);
    expect(counts[0]!.code).toBe("64");
    expect(counts.some((c) => c.urgent > 0 && c.overdue > 0)).toBe(true);
  });

  it("filters by category and by province, and counts regencies/cities of a province", async () => {
    const filter = { period: PERIOD, category: "HOAX" as const, provinceCode: "32" };
    const inside = tickets.filter((t) => inPeriod(t) && t.category === "HOAX" && t.provinceCode === "32");
    const counts = await countByRegion(db.prisma, filter, RULES, "regency");
    expect(Object.fromEntries(counts.map((c) => [c.code, c.count]))).toEqual(
      Object.fromEntries(countBy(inside, (t) => t.regencyCode)),
    );
  });

  it("returns the pins of a province's tickets as stored", async () => {
    const found = await pins(db.prisma, { period: PERIOD, provinceCode: "64" });
    const expected = tickets.filter((t) => inPeriod(t) && t.provinceCode === "64" && t.latitude !== null);
    expect(found).toHaveLength(expected.length);
    const key = (p: { latitude: number | null; longitude: number | null }) => `${p.latitude},${p.longitude}`;
    expect([...countBy(found, key)].sort()).toEqual([...countBy(expected, key)].sort());
  });

  it("summarises by category, status and day, with medians, late and forwarded tickets", async () => {
    const inside = tickets.filter(inPeriod);
    const summary = await summarize(db.prisma, { period: PERIOD }, RULES);
    expect(summary.total).toBe(inside.length);
    expect(summary.incidents).toBe(inside.length); // no ticket is in a case
    expect(Object.fromEntries(summary.byCategory.map((c) => [c.category, c.count]))).toEqual(
      Object.fromEntries(countBy(inside, (t) => t.category)),
    );
    expect(Object.fromEntries(summary.byStatus.map((s) => [s.status, s.count]))).toEqual(
      Object.fromEntries(countBy(inside, (t) => t.status)),
    );
    const perDay = countBy(inside, (t) => wib(t.createdAt));
    expect(summary.daily).toHaveLength(28);
    expect(summary.daily.map((d) => d.count)).toEqual(summary.daily.map((d) => perDay.get(d.day) ?? 0));
    expect(summary.daily.reduce((sum, d) => sum + d.count, 0)).toBe(inside.length);
    expect(summary.medianClaimSeconds).toBe(
      median(
        inside.filter((t) => t.claimedAt).map((t) => (t.claimedAt!.getTime() - t.createdAt.getTime()) / 1000),
      ),
    );
    expect(summary.medianCloseSeconds).toBe(
      median(
        inside.filter((t) => t.closedAt).map((t) => (t.closedAt!.getTime() - t.createdAt.getTime()) / 1000),
      ),
    );
    expect(summary.overdue).toBe(inside.filter(overdue).length);
    expect(summary.urgent).toBe(inside.filter(urgent).length);
    expect(Object.fromEntries(summary.forwarded.map((f) => [f.destination, f.count]))).toEqual(
      Object.fromEntries(
        countBy(
          inside.filter((t) => t.forwardedTo),
          (t) => t.forwardedTo!,
        ),
      ),
    );
  });

  it("summarises one regency/city only", async () => {
    const summary = await summarize(db.prisma, { period: PERIOD, regencyCode: "64.71" }, RULES);
    expect(summary.total).toBe(tickets.filter((t) => inPeriod(t) && t.regencyCode === "64.71").length);
  });

  it("gives the digest's numbers for a day", async () => {
    const numbers = await digestNumbers(db.prisma, "2024-11-28", TZ, RULES, 5);
    const open = tickets.filter((t) => OPEN.has(t.status));
    const deadline = (t: SeededTicket) => t.createdAt.getTime() + 7 * 86_400_000;
    const todayStart = Date.parse("2024-11-27T17:00:00Z");
    expect(numbers.newSinceYesterday).toBe(
      tickets.filter((t) => t.createdAt.getTime() >= NOW.getTime() - 86_400_000).length,
    );
    expect(numbers.open).toBe(open.length);
    expect(numbers.unclaimedTotal).toBe(tickets.filter((t) => t.status === "NEW").length);
    expect(numbers.unclaimed).toHaveLength(5);
    expect(numbers.dueToday).toBe(
      open.filter((t) => deadline(t) >= todayStart && deadline(t) < todayStart + 86_400_000).length,
    );
    expect(numbers.overdue).toBe(open.filter((t) => deadline(t) < NOW.getTime()).length);
    expect(numbers.closedYesterday).toBe(
      tickets.filter((t) => t.closedAt && wib(t.closedAt) === "2024-11-27").length,
    );
    expect(numbers.trend).toHaveLength(14);
    expect(numbers.trend.at(-1)).toEqual({
      day: "2024-11-27",
      count: tickets.filter((t) => wib(t.createdAt) === "2024-11-27").length,
    });
  });

  it("counts a case of linked tickets as one incident", async () => {
    const linked = await db.prisma.report.findMany({
      where: {
        createdAt: {
          gte: new Date(`${PERIOD.from}T00:00:00+07:00`),
          lte: new Date(`${PERIOD.to}T23:59:59+07:00`),
        },
      },
      take: 3,
      select: { id: true },
    });
    const incident = await db.prisma.case.create({ data: {} });
    await db.prisma.report.updateMany({
      where: { id: { in: linked.map((r) => r.id) } },
      data: { caseId: incident.id },
    });
    const summary = await summarize(db.prisma, { period: PERIOD }, RULES);
    expect(summary.incidents).toBe(summary.total - 2);
    await db.prisma.report.updateMany({ where: { caseId: incident.id }, data: { caseId: null } });
  });
});
