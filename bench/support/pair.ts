import pg from "pg";
import { type BenchBot, type BotKind, spawnBot } from "./bot-processes.ts";
import { type FastBotApi, startFastBotApi } from "./fast-bot-api.ts";
import { sleep } from "./load.ts";
import { cpuMs } from "./proc-stats.ts";
import { benchRedisPrefix, createBenchDatabase, REDIS_URL, requireServers } from "./servers.ts";

/**
 * What every webhook benchmark runs on: one fast fake Bot API, a throwaway database, and a Redis prefix per bot.
 * `withBot` starts a bot on them, runs the measurement, and stops it (one bot at a time, so that the two never
 * compete for the cores).
 */
export interface Bench {
  api: FastBotApi;
  /** Tickets in the benchmark's database (Awasi's runs file them there). */
  countReports(): Promise<number>;
  withBot<T>(
    kind: BotKind,
    run: (bot: BenchBot) => Promise<T>,
    extra?: { env?: Record<string, string>; nodeFlags?: string[] },
  ): Promise<T>;
  close(): Promise<void>;
}

/** The limits Awasi gets in the benchmarks (simulated citizens type faster than people; see bench/RESULTS.md). */
export const AWASI_BENCH_ENV = { FLOOD_LIMIT: "1000/10", REPORTS_PER_DAY: "1000" };

const IDLE_SAMPLE_MS = 3_000;

export async function openBench(options: { measureIdle: boolean } = { measureIdle: true }): Promise<Bench> {
  await requireServers();
  const api = await startFastBotApi();
  const database = await createBenchDatabase();
  const prefixes: Array<ReturnType<typeof benchRedisPrefix>> = [];
  return {
    api,
    async countReports() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM reports");
        return Number(rows[0]!.n);
      } finally {
        await client.end();
      }
    },
    async withBot(kind, run, extra = {}) {
      const prefix = benchRedisPrefix();
      prefixes.push(prefix);
      const bot = await spawnBot({
        kind,
        apiRoot: api.root,
        databaseUrl: kind === "bare" ? undefined : database.url,
        redisUrl: REDIS_URL,
        redisPrefix: prefix.prefix,
        env: kind === "bare" ? extra.env : { ...AWASI_BENCH_ENV, ...extra.env },
        nodeFlags: extra.nodeFlags,
      });
      try {
        // Idle first: what the process spends per second with no updates, once settled after start (quick runs
        // skip it: CPU per update net of idle then equals the gross figure).
        if (options.measureIdle) {
          await sleep(3_000);
          const cpuBefore = cpuMs(bot.pid);
          await sleep(IDLE_SAMPLE_MS);
          bot.idleCpuMsPerSecond = ((cpuMs(bot.pid) - cpuBefore) * 1000) / IDLE_SAMPLE_MS;
        }
        return await run(bot);
      } finally {
        await bot.stop();
        if (bot.problems.length > 0) console.log(`${kind} said: ${bot.problems.slice(0, 5).join(" | ")}`);
      }
    },
    async close() {
      await api.close();
      for (const prefix of prefixes) await prefix.cleanup().catch(() => undefined);
      await database.drop().catch(() => undefined);
    },
  };
}
