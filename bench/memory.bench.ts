/**
 * Memory: Awasi's resident set while 10,000 distinct citizens send 100,000 updates (each starts a report and
 * stops part-way, so every one has a draft in its session: sessions live in Redis, not in the process). RSS is
 * sampled every 10% of the run; flat means the last sample is close to the one after the first 10%, and the peak
 * stays ≤ 250 MB. Quick mode: 3,000 updates from 300 citizens.
 *
 *   npx tsx bench/memory.bench.ts [--quick]      # or: npm run bench -- --only memory
 */
import { pathToFileURL } from "node:url";
import { draftingCitizen } from "./support/citizens.ts";
import { closedLoop } from "./support/load.ts";
import { type Bench, openBench } from "./support/pair.ts";
import { memoryMb } from "./support/proc-stats.ts";
import type { Figures } from "./support/report.ts";

/** Updates each citizen sends (see draftingCitizen). */
const UPDATES_PER_CITIZEN = 10;

export async function runMemoryBench(options: { quick: boolean; bench?: Bench }): Promise<Figures> {
  const bench = options.bench ?? (await openBench({ measureIdle: !options.quick }));
  const updates = options.quick ? 3_000 : 100_000;
  const citizens = updates / UPDATES_PER_CITIZEN;
  const out: Figures = {};
  try {
    await bench.withBot("awasi", async (bot) => {
      const idle = memoryMb(bot.pid).rss;
      const samples: number[] = [];
      const figures = await closedLoop({
        bot,
        concurrency: 64,
        // 64 workers × citizensPerWorker citizens in flight; each finishes after 10 updates and a new one starts.
        citizensPerWorker: 4,
        newCitizen: () => draftingCitizen(),
        // A cap on a slow (shared) machine: the figures then say how many updates were reached.
        seconds: options.quick ? 60 : 150,
        warmupSeconds: 0,
        maxUpdates: updates,
        onProgress: { every: updates / 10, call: () => samples.push(memoryMb(bot.pid).rss) },
      });
      const first = samples[0] ?? idle;
      const last = samples.at(-1) ?? idle;
      out[`updates (of ${updates})`] = figures.updates;
      out[`distinct citizens (of ${citizens})`] = Math.ceil(figures.updates / UPDATES_PER_CITIZEN);
      out["upd/s"] = figures.updatesPerSecond;
      out["rss idle MB"] = Math.round(idle);
      out["rss every 10% MB"] = samples.map(Math.round).join(" ");
      out["rss growth, first 10% to end MB"] = Math.round(last - first);
      out["peak rss MB (target <= 250)"] =
        `${figures.peakRssMb} ${figures.peakRssMb <= 250 ? "met" : "NOT met"}`;
      if (figures.failures > 0) out["non-200 answers"] = figures.failures;
    });
  } finally {
    if (!options.bench) await bench.close();
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runMemoryBench({ quick: process.argv.includes("--quick") });
  for (const [name, value] of Object.entries(figures)) console.log(`memory ${name}: ${value}`);
}
