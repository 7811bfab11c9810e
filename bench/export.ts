/**
 * The insight benchmark: a 100,000-ticket export to CSV and XLSX (time, peak heap and RSS, against a 10,000-ticket
 * export to show that memory stays flat), and the pictures over a year of 50,000 tickets (SQL aggregation plus
 * rendering, per picture). Runs on TEST_DATABASE_URL when set (a throwaway database), else an in-memory PGlite.
 * BENCH_EXPORT_TICKETS changes the export's size.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExportFormat } from "../domain/insight/insight-args.ts";
import { countByRegion, summarize } from "../domain/insight/insight-queries.ts";
import type { Period } from "../domain/insight/period.ts";
import { renderCountryMap, renderSummaryChart } from "../domain/insight/render/insight-charts.ts";
import { exportTickets } from "../domain/insight/ticket-export.ts";
import { getRegionCatalog } from "../domain/regions/region-catalog.ts";
import { insertInsightTickets, insightTickets } from "../test/support/insight-seed.ts";
import { migratedDatabase } from "../test/support/migrated-database.ts";
import { forceGc } from "./gc.ts";

type Figures = Record<string, number | string>;
const MB = 2 ** 20;
const NOW = new Date("2024-12-31T05:00:00Z");
const TZ = "Asia/Jakarta";

/** Peak heap and RSS while `work` runs, sampled every 20 ms after a full GC. */
async function peakMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; heapMb: number; rssMb: number }> {
  forceGc()();
  let heap = process.memoryUsage().heapUsed;
  let rss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    heap = Math.max(heap, usage.heapUsed);
    rss = Math.max(rss, usage.rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - started) / 1000, heapMb: heap / MB, rssMb: rss / MB };
  } finally {
    clearInterval(timer);
  }
}

export async function runExportBench(): Promise<Figures> {
  const total = Number(process.env.BENCH_EXPORT_TICKETS ?? 100_000);
  const figures: Figures = {};
  const db = await migratedDatabase();
  const dir = await mkdtemp(join(tmpdir(), "awasi-export-bench-"));
  try {
    const seedStarted = performance.now();
    const chunk = 5_000;
    for (let first = 0; first < total; first += chunk) {
      await insertInsightTickets(db.prisma, insightTickets(Math.min(chunk, total - first), NOW, 365, first));
    }
    await db.prisma.$executeRawUnsafe("ANALYZE");
    figures["seeded tickets"] = total;
    figures["seed seconds"] = ((performance.now() - seedStarted) / 1000).toFixed(1);
    const regions = await getRegionCatalog();
    const year: Period = { from: "2023-12-01", to: "2024-12-31", timeZone: TZ };
    const month: Period = { from: "2024-11-26", to: "2024-12-31", timeZone: TZ };
    for (const format of ["csv", "xlsx"] as ExportFormat[]) {
      for (const [label, period] of [
        ["small", month],
        ["all", year],
      ] as const) {
        const path = join(dir, `${label}.${format}`);
        const run = await peakMemory(() =>
          exportTickets({ db: db.prisma, filter: { period }, regions, followUpDays: 7, format, path }),
        );
        const prefix = `${format} ${run.result.rows} rows`;
        figures[`${prefix} seconds`] = run.seconds.toFixed(2);
        figures[`${prefix} peak heap MB`] = run.heapMb.toFixed(0);
        figures[`${prefix} peak RSS MB`] = run.rssMb.toFixed(0);
        figures[`${prefix} file MB`] = ((await stat(path)).size / MB).toFixed(1);
        await rm(path, { force: true });
      }
    }
    // Pictures over a year of (about) 50,000 tickets: half of the seeded ones, one category out of two.
    const rules = { votingDays: ["2024-11-27"], followUpDays: 7, now: NOW };
    const filter = { period: year, category: "MONEY_POLITICS" as const };
    renderCountryMap([], { title: "warm-up", subtitle: "", source: "", legendNone: "0" }); // module and font load
    const counted = (await summarize(db.prisma, { period: year }, rules)).total;
    figures["picture period tickets"] = counted;
    for (const [name, f] of [
      ["map all categories", { period: year }],
      ["map one category", filter],
    ] as const) {
      const started = performance.now();
      const counts = await countByRegion(db.prisma, f, rules, "province");
      const sqlMs = performance.now() - started;
      renderCountryMap(counts, { title: "Peta", subtitle: "", source: "", legendNone: "0" });
      figures[`${name} sql ms`] = sqlMs.toFixed(0);
      figures[`${name} total ms`] = (performance.now() - started).toFixed(0);
    }
    const started = performance.now();
    const summary = await summarize(db.prisma, { period: year }, rules);
    const sqlMs = performance.now() - started;
    renderSummaryChart(
      summary.byCategory.map((c) => ({ label: c.category, count: c.count })),
      summary.byStatus.map((s) => ({ label: s.status, count: s.count })),
      summary.daily.map((d) => ({ label: d.day, count: d.count })),
      { title: "Rekap", subtitle: "", source: "", categories: "", statuses: "", trend: "" },
    );
    figures["summary sql ms"] = sqlMs.toFixed(0);
    figures["summary total ms"] = (performance.now() - started).toFixed(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.close();
  }
  return figures;
}
