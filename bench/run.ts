/**
 * `npm run bench`: runs every benchmark module's exported run function, one after the other, and prints plain
 * result lines `<bench> <figure>: <value>` (no tables, no colours), so that CI and people can read them alike.
 *
 * The broadcast benchmark uses TEST_DATABASE_URL when set (a throwaway database on that server), else an embedded
 * PGlite; BENCH_BROADCAST_RATE and BENCH_BROADCAST_SIZES tune it (see bench/broadcast.bench.ts). The export benchmark
 * (bench/export.ts) likewise; BENCH_EXPORT_TICKETS sets its size. `npm run bench -- export` runs only the named ones.
 */
import { runBroadcastBench } from "./broadcast.bench.ts";
import { runExportBench } from "./export.ts";
import { runRegionsBench } from "./regions.bench.ts";

type Figures = Record<string, number | string>;

const BENCHES: Array<[name: string, run: () => Promise<Figures>]> = [
  ["regions", runRegionsBench],
  ["broadcast", () => runBroadcastBench((line) => console.log(`broadcast progress: ${line}`))],
  ["export", runExportBench],
];

const only = process.argv.slice(2);
let failed = false;
for (const [name, run] of BENCHES.filter(([name]) => only.length === 0 || only.includes(name))) {
  const started = performance.now();
  try {
    const figures = await run();
    for (const [figure, value] of Object.entries(figures)) console.log(`${name} ${figure}: ${value}`);
    console.log(`${name} bench seconds: ${((performance.now() - started) / 1000).toFixed(1)}`);
  } catch (error) {
    failed = true;
    console.log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
