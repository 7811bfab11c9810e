import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../bot/db.ts";
import { applyMigrations, pgExecutor } from "../../bot/migrate.ts";
import { localMinutes } from "../../domain/insight/period.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { type BotProcess, freePort, startBotProcess } from "../support/bot-process.ts";
import { UserChat } from "../support/conversation.ts";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  type TestDatabase,
  testRedis,
} from "../support/databases.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { insertInsightTickets, insightTickets } from "../support/insight-seed.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { STAFF_CHAT_ID, staffGroup } from "./triage-support.ts";

const servers = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const SECRET = "i".repeat(32);

/** Now, in Jakarta, as HH:MM: a digest time that is due at once. */
function digestTimeNow(): string {
  const minutes = localMinutes(new Date(), "Asia/Jakarta");
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

describe.skipIf(!servers)(
  "officer insight end to end: map, summary, export, digest",
  { timeout: 180_000 },
  () => {
    let api: FakeBotApi;
    let database: TestDatabase;
    let prisma: PrismaClient;
    const redis = testRedis();
    const bots: BotProcess[] = [];

    beforeAll(async () => {
      api = await startFakeBotApi({ webhookRetryMs: 200 });
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await applyMigrations(pgExecutor(client), { migrationsDir: MIGRATIONS_DIR });
      await client.end();
      prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url! }) });
      await insertInsightTickets(prisma, insightTickets(600, new Date()));
      // Two instances, both due to send today's digest right away.
      const digestTime = digestTimeNow();
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        bots.push(
          await startBotProcess({
            api,
            env: {
              BOT_MODE: "webhook",
              WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
              WEBHOOK_SECRET: SECRET,
              PORT: String(port),
              DATABASE_URL: database.url,
              REDIS_URL: redis.url,
              REDIS_KEY_PREFIX: redis.keyPrefix,
              DATA_KEY: TEST_DATA_KEY,
              DIGEST_TIME: digestTime,
              TZ: "Asia/Jakarta",
            },
          }),
        );
      }
    }, 150_000);

    afterAll(async () => {
      await Promise.allSettled(bots.map((bot) => bot.stop()));
      await prisma?.$disconnect();
      await api?.close();
      await database?.drop();
      await cleanupRedisPrefix(redis.url, redis.keyPrefix);
    });

    const member = (id: number, status: "member" | "administrator" | "left") => {
      const user = makeUser(id, { firstName: `Petugas ${id}`, languageCode: "id" });
      api.setChatMember(STAFF_CHAT_ID, id, status);
      return new UserChat(api, user, { chat: staffGroup, quietMs: 300, timeoutMs: 30_000 });
    };

    it("sends the daily digest once although two instances are due", async () => {
      const digest = await api.waitForCall(
        "sendPhoto",
        (p) => p.chat_id === STAFF_CHAT_ID && /Ringkasan harian/.test(String(p.caption)),
        { timeoutMs: 60_000 },
      );
      expect(String(digest.params.caption)).toMatch(/Belum diambil: <b>\d+<\/b> \(<code>T\d+<\/code>/);
      expect(digest.files[0]?.size).toBeGreaterThan(1_000);
      // Both instances have checked again since (every 20 s, first after 1 s): still one digest, one outbox row.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const digests = api.calls.filter(
        (c) => c.method === "sendPhoto" && /Ringkasan harian/.test(String(c.params.caption)),
      );
      expect(digests).toHaveLength(1);
      const rows = await prisma.outboxMessage.findMany({ where: { kind: "insight.digest" } });
      expect(rows.map((r) => r.status)).toEqual(["DONE"]);
    });

    /**
     * Sends `text` and waits for the bot's `method` call in that chat whose text or caption (raw HTML) matches
     * `pattern`: other features post in the staff group too (the seeded tickets are due for reminders).
     */
    async function ask(chat: UserChat, text: string, method: string, pattern: RegExp) {
      const mark = api.mark();
      await chat.send(text);
      return api.waitForCall(
        method,
        (p) => p.chat_id === chat.chat.id && pattern.test(String(p.caption ?? p.text ?? "")),
        { after: mark, timeoutMs: 30_000 },
      );
    }

    it("/peta answers an officer with the national map, and with a province's map", async () => {
      const officer = member(7101, "member");
      const national = await ask(officer, "/peta 30h", "sendPhoto", /Peta kerawanan/);
      expect(national.files[0]?.filename).toBe("peta.png");
      expect(String(national.params.caption)).toMatch(
        /1\. Kalimantan Timur: <b>\d+<\/b> · \d+% mendesak · \d+% lewat tenggat/,
      );
      const province = await ask(
        officer,
        "/peta 30h politik-uang Kalimantan Timur",
        "sendPhoto",
        /Kalimantan Timur/,
      );
      expect(String(province.params.caption)).toMatch(/Kota Samarinda/);
      expect(String(province.params.caption)).toMatch(/📍 \d+ titik laporan/);
    });

    it("/rekap answers with the chart and the numbers; bad input gets a hint with examples", async () => {
      const officer = member(7102, "member");
      const summary = await ask(officer, "/rekap 7h", "sendPhoto", /Rekap/);
      expect(String(summary.params.caption)).toMatch(/Total: <b>\d+<\/b>/);
      expect(String(summary.params.caption)).toMatch(/Median waktu hingga diambil/);
      await ask(officer, "/rekap minggu ini Kota Bandung", "sendPhoto", /Rekap[\s\S]*Kota Bandung/);
      await ask(officer, "/rekap 7x", "sendMessage", /Periode tidak terbaca[\s\S]*Contoh/);
      await ask(officer, "/rekap 30h hoaks", "sendMessage", /tidak memakai kategori[\s\S]*Contoh/);
      await ask(officer, "/peta 7h Atlantis Raya", "sendMessage", /Wilayah "Atlantis Raya" tidak ditemukan/);
    });

    it("/ekspor sends an administrator a CSV or XLSX document; officers are refused", async () => {
      const admin = member(7103, "administrator");
      const csv = await ask(admin, "/ekspor 30h", "sendDocument", /Ekspor \d+ tiket/);
      expect(csv.files[0]?.filename).toMatch(/^awasi-tiket-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      expect(csv.files[0]?.size).toBeGreaterThan(1_000);
      const xlsx = await ask(admin, "/ekspor 30h xlsx", "sendDocument", /XLSX/);
      expect(xlsx.files[0]?.filename).toMatch(/\.xlsx$/);
      await ask(
        admin,
        "/ekspor 2024-11-27..2024-11-01 csv",
        "sendMessage",
        /Tanggal awal periode harus sebelum tanggal akhir[\s\S]*Contoh/,
      );
      const officer = member(7104, "member");
      await ask(officer, "/ekspor 30h", "sendMessage", /hanya untuk admin/);
    });

    it("refuses non-members in the staff group and every private chat", async () => {
      const outsider = member(7105, "left");
      await ask(outsider, "/peta", "sendMessage", /Hanya anggota grup petugas/);
      const citizen = new UserChat(api, makeUser(7106, { languageCode: "id" }), { quietMs: 300 });
      await ask(citizen, "/rekap", "sendMessage", /hanya untuk petugas/);
    });
  },
);
