/**
 * Announcement delivery benchmark: the real sender (domain/broadcast: keyset listing, `FOR UPDATE SKIP LOCKED`
 * claims, one outcome statement per recipient, the pacer) and grammY's Api, against a zero-latency Bot API
 * stand-in, on the database the tests use (TEST_DATABASE_URL, else an embedded PGlite in a temporary directory).
 *
 *   npx tsx bench/broadcast.bench.ts            # or: npm run bench
 *   BENCH_BROADCAST_RATE=2000 BENCH_BROADCAST_SIZES=10000,100000 npx tsx bench/broadcast.bench.ts
 *
 * Reports, per audience size, the achieved rate against the configured one and the peak memory while sending:
 * the live JS heap (after a full GC, every 2 s) and the process' RSS (every 50 ms). The sender keeps one small
 * batch per lane in memory, so the peak must not grow with the number of recipients.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { Api } from "grammy";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { MIGRATIONS_DIR } from "../bot/db.ts";
import { applyMigrations, pgExecutor, pgliteExecutor } from "../bot/migrate.ts";
import { EVERYONE } from "../domain/broadcast/audience.ts";
import { createBroadcastStore } from "../domain/broadcast/broadcast-store.ts";
import { createDeliveryQueue } from "../domain/broadcast/delivery-queue.ts";
import { createBroadcastSender, lanesFor } from "../domain/broadcast/sender.ts";
import { createDataCipher } from "../domain/crypto/data-cipher.ts";
import { CompletionWindowPacer } from "../domain/pacing/send-pacer.ts";
import { PrismaClient } from "../generated/prisma/client.ts";
import { sendContent, unsubscribeKeyboard } from "../handlers/broadcast/send-content.ts";
import { forceGc } from "./gc.ts";
import { startFastBotApi } from "./support/fast-bot-api.ts";

const MB = 1024 * 1024;
const TOKEN = "123456:BENCH";

interface BenchDatabase {
  kind: string;
  prisma: PrismaClient;
  /** Runs SQL on the driver itself, not through Prisma (whose client keeps large parameters in memory). */
  execute(sql: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

async function openDatabase(): Promise<BenchDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const name = `awasi_bench_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const migrator = new pg.Client({ connectionString: url.toString() });
    await migrator.connect();
    await applyMigrations(pgExecutor(migrator), { migrationsDir: MIGRATIONS_DIR });
    await migrator.end();
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString() }) });
    const seeder = new pg.Client({ connectionString: url.toString() });
    await seeder.connect();
    return {
      kind: "postgresql (TEST_DATABASE_URL)",
      prisma,
      execute: async (sql, params) => {
        await seeder.query(sql, params);
      },
      async close() {
        await seeder.end();
        await prisma.$disconnect();
        const drop = new pg.Client({ connectionString: base });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await drop.end();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "awasi-bench-"));
  const pglite = await PGlite.create(join(dir, "pglite"));
  await applyMigrations(pgliteExecutor(pglite), { migrationsDir: MIGRATIONS_DIR });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: "embedded PGlite (set TEST_DATABASE_URL for PostgreSQL)",
    prisma,
    execute: async (sql, params) => {
      await pglite.query(sql, params);
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One broadcast to every active subscriber; returns seconds and memory peaks. */
async function measure(
  prisma: PrismaClient,
  api: Api,
  cipher: ReturnType<typeof createDataCipher>,
  rate: number,
  expected: number,
) {
  const store = createBroadcastStore(prisma);
  const admin = { id: 1, name: "Bench" };
  const draft = await store.createDraft({
    content: {
      kind: "text",
      text: "Bawaslu menindak politik uang",
      entities: [{ type: "bold", offset: 0, length: 7 }],
    },
    audience: EVERYONE,
    linkedReportCodes: [],
    createdBy: admin,
  });
  const gc = forceGc();
  gc();
  const idle = process.memoryUsage();
  let peakHeap = idle.heapUsed;
  let peakRss = idle.rss;
  const rssSampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  // The live heap: what is still referenced after a full collection (a bare heapUsed peak is mostly garbage
  // V8 has not collected yet, and grows with the run's length, not with what the sender holds).
  const heapSampler = setInterval(() => {
    gc();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 2_000);
  const t = () => "Berhenti berlangganan";
  const sender = createBroadcastSender({
    queue: createDeliveryQueue(prisma),
    pacer: new CompletionWindowPacer({ limit: rate, windowMs: 1_000 }),
    send: async (target, content) => {
      await sendContent(api, target.chatId, content, { reply_markup: unsubscribeKeyboard(t) });
    },
    decryptChatId: (ciphertext) => Number(cipher.decrypt(ciphertext)),
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    ratePerSecond: rate,
    pollMs: 100,
  });
  const started = performance.now();
  await store.start(draft.id, admin, { requireApproval: false, channelId: undefined });
  sender.start();
  for (;;) {
    const row = await prisma.broadcast.findUniqueOrThrow({ where: { id: draft.id } });
    if (row.status === "DONE") {
      if (row.sent !== expected) throw new Error(`expected ${expected} sent, the broadcast says ${row.sent}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await sender.stop();
  clearInterval(rssSampler);
  clearInterval(heapSampler);
  return { seconds, peakHeap, peakRss, idleHeap: idle.heapUsed, lanes: sender.lanes };
}

/**
 * Subscribers with real ciphertexts, 5,000 per statement on the driver (through Prisma 7.10, `createMany` and raw
 * queries with large parameters keep about 5 KB per row in memory, which would swamp the sender's own figures).
 */
async function seed(
  database: BenchDatabase,
  cipher: ReturnType<typeof createDataCipher>,
  from: number,
  to: number,
) {
  for (let start = from; start < to; start += 5_000) {
    const chatIds = Array.from({ length: Math.min(to, start + 5_000) - start }, (_, i) =>
      String(100_000_000 + start + i),
    );
    await database.execute(
      `INSERT INTO subscriptions (id, chat_id_hash, chat_id_enc, locale, active, created_at, updated_at)
       SELECT gen_random_uuid(), h, e, 'id', true, now(), now() FROM unnest($1::text[], $2::text[]) AS t(h, e)`,
      [
        chatIds.map((chatId) => cipher.hash("subscriptionChat", chatId)),
        chatIds.map((chatId) => cipher.encrypt(chatId)),
      ],
    );
  }
}

/**
 * Sends to 10,000 then 100,000 subscribers (or BENCH_BROADCAST_SIZES) at BENCH_BROADCAST_RATE (default 1,000
 * messages/s) and returns the figures; `print` writes them as plain lines as they come.
 */
export async function runBroadcastBench(
  print: (line: string) => void = () => {},
  options: { rate?: number; sizes?: number[]; telegramLimit?: number } = {},
): Promise<Record<string, number | string>> {
  const rate = options.rate ?? Number(process.env.BENCH_BROADCAST_RATE ?? 1_000);
  const sizes = options.sizes ?? (process.env.BENCH_BROADCAST_SIZES ?? "10000,100000").split(",").map(Number);
  const database = await openDatabase();
  // With telegramLimit, the fake refuses (429) sends beyond that many in any second, as Telegram does.
  const fake = await startFastBotApi({ sendsPerSecond: options.telegramLimit });
  const api = new Api(TOKEN, { apiRoot: fake.root, timeoutSeconds: 5 });
  const cipher = createDataCipher(randomBytes(32).toString("base64"));
  const result: Record<string, number | string> = {
    database: database.kind,
    "configured rate (msg/s)": rate,
    lanes: lanesFor(rate),
  };
  print(`database: ${database.kind}`);
  print(
    `configured rate: ${rate} messages/s, ${lanesFor(rate)} sender lanes, zero-latency Bot API` +
      (options.telegramLimit ? ` refusing more than ${options.telegramLimit} sends/s with 429` : ""),
  );
  try {
    let seeded = 0;
    const peaks: number[] = [];
    for (const size of sizes) {
      await seed(database, cipher, seeded, size);
      seeded = size;
      const figures = await measure(database.prisma, api, cipher, rate, size);
      const achieved = size / figures.seconds;
      const heap = figures.peakHeap / MB;
      const overIdle = Math.max(0, figures.peakHeap - figures.idleHeap) / MB;
      peaks.push(heap);
      result[`${size} recipients: seconds`] = Number(figures.seconds.toFixed(1));
      result[`${size} recipients: achieved rate (msg/s)`] = Math.round(achieved);
      result[`${size} recipients: peak live heap (MB)`] = Math.round(heap);
      result[`${size} recipients: live heap over idle (MB)`] = Number(overIdle.toFixed(1));
      result[`${size} recipients: peak rss (MB)`] = Math.round(figures.peakRss / MB);
      print(
        `${size} recipients: ${figures.seconds.toFixed(1)} s, achieved ${Math.round(achieved)} of ${rate} msg/s ` +
          `(${Math.round((achieved / rate) * 100)}%), peak live heap ${Math.round(heap)} MB ` +
          `(${overIdle.toFixed(1)} MB over idle), peak rss ${Math.round(figures.peakRss / MB)} MB`,
      );
    }
    if (peaks.length >= 2) {
      const ratio = peaks.at(-1)! / peaks[0]!;
      result["peak heap ratio, largest vs smallest"] = Number(ratio.toFixed(2));
      print(
        `peak live heap ${sizes[0]} vs ${sizes.at(-1)} recipients: ${Math.round(peaks[0]!)} MB vs ` +
          `${Math.round(peaks.at(-1)!)} MB (ratio ${ratio.toFixed(2)}; flat means close to 1)`,
      );
    }
    result["Bot API calls"] = [...fake.calls.values()].reduce((a, b) => a + b, 0);
    if (options.telegramLimit !== undefined) {
      result[`429 answers (fake Telegram limit ${options.telegramLimit}/s)`] = fake.tooManyRequests();
      const last = sizes.at(-1)!;
      const achieved = Number(result[`${last} recipients: achieved rate (msg/s)`]);
      const share = Math.round((last / Number(result[`${last} recipients: seconds`]) / rate) * 1000) / 10;
      result["achieved vs configured (target >= 97%, zero 429s)"] =
        `${achieved} of ${rate} msg/s = ${share}% ${share >= 97 && fake.tooManyRequests() === 0 ? "met" : "NOT met"}`;
    }
  } finally {
    await fake.close();
    await database.close();
  }
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runBroadcastBench((line) => console.log(`broadcast ${line}`));
}
