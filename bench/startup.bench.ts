/**
 * Start-up: wall time from spawning the process to its "bot started" line, and the resident set once idle, with
 * PostgreSQL and Redis (migrations already applied), for the compiled bot (`node dist/bot/main.js`, production)
 * against the same bot from source through tsx (`node --import tsx bot/main.ts`), and the bare bot for scale.
 *
 *   npx tsx bench/startup.bench.ts [--quick]      # or: npm run bench -- --only startup
 */
import { pathToFileURL } from "node:url";
import { sleep } from "./support/load.ts";
import { type Bench, openBench } from "./support/pair.ts";
import { cpuMs, memoryMb } from "./support/proc-stats.ts";
import type { Figures } from "./support/report.ts";

export async function runStartupBench(options: { quick: boolean; bench?: Bench }): Promise<Figures> {
  const bench = options.bench ?? (await openBench({ measureIdle: false }));
  const rounds = options.quick ? 1 : 2;
  const out: Figures = {};
  try {
    // The first start applies the migrations to the fresh database; it is not counted (quick runs count it).
    if (!options.quick) await bench.withBot("awasi", async () => undefined);
    for (const kind of options.quick ? (["awasi"] as const) : (["awasi", "awasi-tsx", "bare"] as const)) {
      const startups: number[] = [];
      const idle: number[] = [];
      /** CPU ms per second with no updates: the background workers' polling. */
      const idleCpu: number[] = [];
      for (let round = 0; round < rounds; round++) {
        await bench.withBot(kind, async (bot) => {
          startups.push(bot.startupMs);
          await sleep(options.quick ? 1_000 : 3_000);
          idle.push(memoryMb(bot.pid).rss);
          const cpuBefore = cpuMs(bot.pid);
          await sleep(options.quick ? 1_000 : 3_000);
          idleCpu.push((cpuMs(bot.pid) - cpuBefore) / (options.quick ? 1 : 3));
        });
      }
      const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
      const label = {
        awasi: "compiled (node dist/bot/main.js)",
        "awasi-tsx": "tsx (node --import tsx bot/main.ts)",
        bare: "bare grammY bot",
      }[kind];
      out[`${label} start-up ms (median of ${rounds})`] = Math.round(median(startups));
      out[`${label} idle rss MB`] = Math.round(median(idle));
      out[`${label} idle cpu ms/s`] = Math.round(median(idleCpu));
    }
  } finally {
    if (!options.bench) await bench.close();
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runStartupBench({ quick: process.argv.includes("--quick") });
  for (const [name, value] of Object.entries(figures)) console.log(`startup ${name}: ${value}`);
}
