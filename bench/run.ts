/**
 * `npm run bench`: runs the benchmarks one after the other and prints plain result lines
 * `<bench> <figure>: <value>` (no tables, no colours), so that CI and people can read them alike.
 *
 *   npm run bench                       # everything, under 10 minutes
 *   npm run bench -- --quick            # shorter runs and smaller sizes, under a minute
 *   npm run bench -- --only webhook,report
 *
 * Benchmarks: webhook (Awasi vs the bare grammY bot, /start + texts + /help), report (the whole report
 * conversation: saturation and open loop), submit (tickets/s through Submit), memory (RSS over 100,000 updates
 * from 10,000 citizens), broadcast (announcement delivery), regions (region catalog search).
 * The webhook ones run the compiled bot (dist/, built first when stale, as `npm start` does) on PostgreSQL and
 * Redis: BENCH_DATABASE_URL / TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) and
 * BENCH_REDIS_URL / TEST_REDIS_URL (default redis://127.0.0.1:6379). A benchmark whose server does not answer is
 * skipped with a message saying which one and how to point at it. See bench/RESULTS.md.
 * The export benchmark (bench/export.ts, a 100,000-ticket CSV and XLSX export; BENCH_EXPORT_TICKETS sets the size)
 * takes minutes: it runs only when named, `npm run bench -- --only export`.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { runBroadcastBench } from "./broadcast.bench.ts";
import { runExportBench } from "./export.ts";
import { runMemoryBench } from "./memory.bench.ts";
import { runRegionsBench } from "./regions.bench.ts";
import { runReportFlowBench } from "./report-flow.bench.ts";
import { runStartupBench } from "./startup.bench.ts";
import { runSubmitBench } from "./submit.bench.ts";
import { ensureBuilt } from "./support/bot-processes.ts";
import type { Figures } from "./support/report.ts";
import { POSTGRES_URL, requireServers, ServerMissing } from "./support/servers.ts";
import { runWebhookBench } from "./webhook.bench.ts";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const quick = values.quick;

/** Benchmarks that need the compiled bot and the servers. */
const SERVER_BENCHES = new Set(["startup", "webhook", "report", "submit", "memory"]);

const BENCHES: Array<[name: string, run: () => Promise<Figures>]> = [
  ["regions", runRegionsBench],
  ["startup", () => runStartupBench({ quick })],
  ["webhook", () => runWebhookBench({ quick })],
  ["report", () => runReportFlowBench({ quick })],
  ["submit", () => runSubmitBench({ quick })],
  ["memory", () => runMemoryBench({ quick })],
  [
    "broadcast",
    async () => {
      const print = (line: string) => console.log(`broadcast progress: ${line}`);
      // Telegram's production limit (about 30 messages/s overall), enforced by the fake with 429s.
      const production = await runBroadcastBench(print, {
        rate: 30,
        sizes: [quick ? 60 : 1_500],
        telegramLimit: 30,
      });
      // The sender's own ceiling, at a rate far above Telegram's.
      const fast = await runBroadcastBench(print, { sizes: quick ? [1_000] : [10_000, 30_000] });
      return {
        ...Object.fromEntries(Object.entries(production).map(([key, value]) => [`30/s: ${key}`, value])),
        ...Object.fromEntries(Object.entries(fast).map(([key, value]) => [`fast: ${key}`, value])),
      };
    },
  ],
];

const only = values.only?.split(",").map((name) => name.trim());
/** Run only when named with --only. */
const ON_REQUEST: Array<[name: string, run: () => Promise<Figures>]> = [["export", runExportBench]];
const selected = only ? [...BENCHES, ...ON_REQUEST].filter(([name]) => only.includes(name)) : BENCHES;
console.log(
  `bench machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, ` +
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}, ${new Date().toISOString()}${quick ? ", quick" : ""}`,
);

let serversMissing: string | undefined;
if (selected.some(([name]) => SERVER_BENCHES.has(name) || name === "broadcast")) {
  try {
    await requireServers();
    // The broadcast benchmark runs on this server too (it falls back to an embedded PGlite without it).
    process.env.TEST_DATABASE_URL ??= POSTGRES_URL;
    ensureBuilt((line) => console.log(`bench: ${line}`));
  } catch (error) {
    if (!(error instanceof ServerMissing)) throw error;
    serversMissing = error.message;
  }
}

// The servers are shared: a connection another user (or a benchmark's own clean-up) terminates must fail that
// benchmark at most, never the whole run.
process.on("uncaughtException", (error) => {
  console.log(`bench: a connection failed outside a measurement: ${error.message}`);
});

let failed = false;
for (const [name, run] of selected) {
  if (serversMissing && SERVER_BENCHES.has(name)) {
    console.log(`${name} skipped: ${serversMissing}`);
    continue;
  }
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
