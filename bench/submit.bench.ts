/**
 * Submissions: tickets per second through the report store's Submit (one transaction: reporter, ticket code,
 * report, evidence, CREATED event, duplicate check, the officers' outbox row) on a throwaway PostgreSQL database,
 * with `concurrency` citizens submitting at once. Target: ≥ 300 tickets/s.
 *
 *   npx tsx bench/submit.bench.ts [--quick]      # or: npm run bench -- --only submit
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { MIGRATIONS_DIR, preparedStatementNames } from "../bot/db.ts";
import { applyMigrations, pgExecutor } from "../bot/migrate.ts";
import { createDataCipher } from "../domain/crypto/data-cipher.ts";
import type { Submission } from "../domain/report/flow.ts";
import { createReportStore } from "../domain/report/report-store.ts";
import { PrismaClient } from "../generated/prisma/client.ts";
import { cpuMs } from "./support/proc-stats.ts";
import type { Figures } from "./support/report.ts";
import { createBenchDatabase, requireServers } from "./support/servers.ts";

const CONCURRENCY = Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 16);

/**
 * CPU milliseconds the PostgreSQL backends of this benchmark's connections used so far, by pid; empty when the
 * server's processes cannot be read (another host, or not Linux).
 */
async function backendCpuMs(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
  );
  const usage = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      usage.set(pid, cpuMs(pid));
    } catch {
      // Not on this host, or gone.
    }
  }
  return usage;
}

function submission(n: number): Submission {
  const moneyPolitics = n % 2 === 0;
  return {
    category: moneyPolitics ? "MONEY_POLITICS" : "HOAX",
    details: moneyPolitics
      ? {
          mp_given: ["CASH", "GOODS"],
          mp_value: 50_000,
          mp_giver: `Tim sukses nomor ${n % 7}`,
          mp_recipients: 20,
        }
      : {
          hx_platforms: ["WHATSAPP"],
          hx_links: ["https://facebook.com/post/123"],
          hx_falsehood: "Surat suara sudah dicoblos",
        },
    occurredOn: "2029-02-14",
    learnedOn: "2029-02-14",
    location: moneyPolitics
      ? { type: "region", provinceCode: "31", regencyCode: "31.74", districtCode: "31.74.01" }
      : { type: "point", latitude: -6.2297 + (n % 100) / 1000, longitude: 106.8531 },
    placeNote: "TPS 12",
    chronology: `Pukul 07.00 tim sukses membagikan amplop berisi uang 50 ribu kepada warga (${n}).`,
    evidence: [1, 2, 3].map((i) => ({
      kind: "PHOTO" as const,
      fileId: `AgAC${n}x${i}`,
      fileUniqueId: `AQAD${n}x${i}`,
      mediaGroupId: `album${n}`,
      receivedAt: Math.floor(Date.now() / 1000),
    })),
    anonymous: true,
    reporterNameEnc: null,
    reporterPhoneEnc: null,
  };
}

export async function runSubmitBench(options: { quick: boolean }): Promise<Figures> {
  await requireServers();
  const total = options.quick ? 200 : 3_000;
  const database = await createBenchDatabase();
  const migrator = new pg.Client({ connectionString: database.url });
  await migrator.connect();
  await applyMigrations(pgExecutor(migrator), { migrationsDir: MIGRATIONS_DIR });
  await migrator.end();
  // A pool of our own, so that a connection the server ends (the drop at the end, another user's terminate on a
  // shared server) is an event handled here rather than an uncaught error.
  const pool = new pg.Pool({ connectionString: database.url });
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementNames() }),
  });
  const store = createReportStore(prisma, createDataCipher(randomBytes(32).toString("base64")));
  try {
    // Warm-up: connections, prepared plans.
    for (let i = 0; i < 20; i++)
      await store.submit({
        telegramUserId: 1 + i,
        locale: "id",
        draftId: `warm${i}`,
        submission: submission(i),
      });
    const latencies: number[] = [];
    let next = 0;
    const serverBefore = await backendCpuMs(pool);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < total) {
          const n = next++;
          const at = performance.now();
          // A third of the tickets come from citizens who reported before (their reporter row exists).
          await store.submit({
            telegramUserId: n % 3 === 0 ? 1 + (n % 20) : 10_000 + n,
            locale: "id",
            draftId: `draft${n}`,
            submission: submission(n),
          });
          latencies.push(performance.now() - at);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverAfter = await backendCpuMs(pool);
    let serverMs = 0;
    for (const [pid, ms] of serverAfter) serverMs += ms - (serverBefore.get(pid) ?? 0);
    latencies.sort((a, b) => a - b);
    const at = (p: number) => Number(latencies[Math.floor(latencies.length * p)]!.toFixed(1));
    const perSecond = Math.round(total / seconds);
    return {
      tickets: total,
      concurrency: CONCURRENCY,
      "tickets/s (target >= 300)": `${perSecond} ${perSecond >= 300 ? "met" : "NOT met"}`,
      "p50/p95/p99 ms": `${at(0.5)} / ${at(0.95)} / ${at(0.99)}`,
      // The bench process' own CPU (user + system) per ticket: what one more instance would need, and a figure
      // that a machine shared with other work disturbs less than tickets/s.
      "cpu ms/ticket": Number(((cpu.user + cpu.system) / 1000 / total).toFixed(2)),
      // The database's share (its backends serving this process): with the process' share, what one ticket costs
      // the machine. In 10 ms ticks, hence over the whole run.
      "postgres cpu ms/ticket":
        serverAfter.size === 0 ? "not measured" : Number((serverMs / total).toFixed(2)),
      "outbox rows": await prisma.outboxMessage.count(),
    };
  } finally {
    await prisma.$disconnect();
    await pool.end().catch(() => undefined);
    await database.drop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runSubmitBench({ quick: process.argv.includes("--quick") });
  for (const [name, value] of Object.entries(figures)) console.log(`submit ${name}: ${value}`);
}
