/**
 * The report conversation through the webhook: simulated citizens walk the whole flow (category, a multi-select,
 * texts, two dates, region search and pick or a location pin, place note, chronology, an album of 3 photos, Done,
 * anonymous, review, Submit) against the real process on PostgreSQL and Redis. Throughput at saturation (closed
 * loop, 16 citizens at once) next to the bare bot answering the same updates, and latency at a fixed offered load
 * (open loop, 200 and 500 updates/s).
 *
 *   npx tsx bench/report-flow.bench.ts [--quick]      # or: npm run bench -- --only report
 */
import { pathToFileURL } from "node:url";
import { reportingCitizen } from "./support/citizens.ts";
import { closedLoop, type LoadFigures, openLoop } from "./support/load.ts";
import { type Bench, openBench } from "./support/pair.ts";
import { compare, type Figures, record } from "./support/report.ts";

export async function runReportFlowBench(options: { quick: boolean; bench?: Bench }): Promise<Figures> {
  const bench = options.bench ?? (await openBench({ measureIdle: !options.quick }));
  const seconds = options.quick ? 3 : 12;
  const out: Figures = {};
  const citizen = () => reportingCitizen(bench.api.submitButton);
  try {
    const measured: Record<string, LoadFigures> = {};
    for (const kind of ["bare", "awasi"] as const) {
      measured[kind] = await bench.withBot(kind, async (bot) => {
        const saturated = await closedLoop({
          bot,
          // 16 citizens at once saturate both bots here, and each gets far enough to submit within the window.
          concurrency: 16,
          citizensPerWorker: 1,
          newCitizen: citizen,
          seconds,
          warmupSeconds: options.quick ? 1.5 : 3,
        });
        if (kind === "awasi") {
          for (const rate of options.quick ? [200] : [200, 500]) {
            const open = await openLoop({
              bot,
              ratePerSecond: rate,
              seconds,
              newCitizen: citizen,
              warmupSeconds: 1,
            });
            out[`open loop ${rate} upd/s offered: achieved upd/s`] = open.updatesPerSecond;
            out[`open loop ${rate} upd/s offered: p50/p95/p99 ms`] =
              `${open.p50} / ${open.p95} / ${open.p99}`;
            out[`open loop ${rate} upd/s offered: cpu ms/update`] = open.cpuMsPerUpdate;
            out[`open loop ${rate} upd/s offered: peak rss MB`] = open.peakRssMb;
            if (open.backlog > 0)
              out[`open loop ${rate} upd/s offered: updates due but not sent by the end`] = open.backlog;
          }
        }
        if (kind === "awasi")
          out["awasi tickets filed (saturation and open loop)"] = await bench.countReports();
        return saturated;
      });
      record(out, `saturation ${kind}`, measured[kind]);
    }
    compare(out, "saturation", measured.awasi!, measured.bare!);
  } finally {
    if (!options.bench) await bench.close();
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runReportFlowBench({ quick: process.argv.includes("--quick") });
  for (const [name, value] of Object.entries(figures)) console.log(`report ${name}: ${value}`);
}
