import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { type BotProcess, freePort, startBotProcess } from "../support/bot-process.ts";
import { UserChat } from "../support/conversation.ts";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  type TestDatabase,
  testRedis,
} from "../support/databases.ts";
import { eventually } from "../support/eventually.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";
import { locationMessage, makeUser } from "../support/updates.ts";

const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;
const SECRET = "t".repeat(32);

/**
 * A load balancer in front of the instances: each webhook POST goes to the next instance in turn; every
 * update whose id is divisible by 3 is delivered to the other instance too, at the same moment (a double
 * delivery racing the first), and every one divisible by 4 again after the first answered (a redelivery).
 */
async function startRoundRobin(
  ports: number[],
): Promise<{ url: string; duplicates: number; close(): Promise<void> }> {
  let turn = 0;
  const state = { duplicates: 0 };
  const post = (port: number, body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", body, headers }).then(async (r) => {
      await r.text();
      return r.status;
    });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const updateId = Number((JSON.parse(body) as { update_id: number }).update_id);
      const headers = {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": String(req.headers["x-telegram-bot-api-secret-token"] ?? ""),
      };
      const first = ports[turn++ % ports.length]!;
      const other = ports.find((p) => p !== first)!;
      const racing = updateId % 3 === 0 ? post(other, body, headers) : undefined;
      if (racing) state.duplicates++;
      post(first, body, headers)
        .then(async (status) => {
          if (updateId % 4 === 0) {
            state.duplicates++;
            await post(other, body, headers);
          }
          await racing;
          res.writeHead(status).end();
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/telegram`,
    get duplicates() {
      return state.duplicates;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Two processes can share only real servers: the embedded database is one process's.
const servers = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

describe.skipIf(!servers)("two instances behind a round-robin load balancer", { timeout: 180_000 }, () => {
  let api: FakeBotApi;
  let database: TestDatabase;
  const redis = testRedis();
  let proxy: Awaited<ReturnType<typeof startRoundRobin>>;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    api = await startFakeBotApi({ webhookRetryMs: 200 });
    database = await createTestDatabase();
    const ports = [await freePort(), await freePort()];
    proxy = await startRoundRobin(ports);
    for (const port of ports) {
      bots.push(
        await startBotProcess({
          api,
          env: {
            BOT_MODE: "webhook",
            WEBHOOK_URL: proxy.url,
            WEBHOOK_SECRET: SECRET,
            PORT: String(port),
            DATABASE_URL: database.url,
            REDIS_URL: redis.url,
            REDIS_KEY_PREFIX: redis.keyPrefix,
            DATA_KEY: TEST_DATA_KEY,
            FLOOD_LIMIT: "1000/10",
          },
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.allSettled(bots.map((bot) => bot.stop()));
    await api?.close();
    await proxy?.close();
    await database?.drop();
    await cleanupRedisPrefix(redis.url, redis.keyPrefix);
  });

  it("files one report with all 10 album photos, every answer once, though updates alternate and repeat", async () => {
    const user = makeUser(9901, { languageCode: "id" });
    const chat = new UserChat(api, user, { quietMs: 400, timeoutMs: 20_000 });
    const title = "Perusakan alat peraga kampanye di Tebet";
    const chronology = "Sekelompok orang merobek baliho calon nomor 2 di depan pasar pada malam hari.";
    await chat.send("/start");
    await chat.press("📝 Lapor");
    await chat.press("📌 Pelanggaran lainnya");
    await chat.send(title);
    await chat.press("Hari ini");
    await chat.press("Hari yang sama dengan kejadian");
    await chat.sendUpdate(locationMessage(user, -6.2297, 106.8531, { chat: chat.chat }));
    await chat.press("⏭ Lewati");
    await chat.send(chronology);
    const mark = api.mark();
    await chat.sendAlbum(10);
    // The album is acknowledged once and counted up in place; all ten arrive, whichever instance took each.
    await api.waitForCall(
      ["sendMessage", "editMessageText"],
      (p) => p.chat_id === user.id && /Album diterima: 10 berkas/.test(String(p.text)),
      { after: mark, timeoutMs: 30_000 },
    );
    await chat.waitForReplies({ expectReply: false });
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🕶 Anonim (informasi awal)");
    await chat.press("📨 Kirim laporan");
    const done = await api.waitForCall(
      "sendMessage",
      (p) => p.chat_id === user.id && CODE.test(String(p.text)),
      {
        timeoutMs: 20_000,
      },
    );
    const code = String(done.params.text).match(CODE)![0];

    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url! }) });
    try {
      const reports = await db.report.findMany({ include: { evidence: true } });
      expect(reports.map((r) => r.code)).toEqual([code]);
      const report = reports[0]!;
      expect(report.evidence).toHaveLength(10);
      expect(new Set(report.evidence.map((e) => e.fileUniqueId)).size).toBe(10);
      expect(report.chronology).toBe(chronology);
      expect((report.details as Record<string, unknown>).ot_title).toBe(title);
    } finally {
      await db.$disconnect();
    }

    // Every step ran once: the bot never sent the citizen the same message twice.
    const sent = api
      .callsTo("sendMessage")
      .filter((c) => c.params.chat_id === user.id && c.response?.ok)
      .map((c) => String(c.params.text));
    expect(sent.filter((text, i) => sent.indexOf(text) !== i)).toEqual([]);
    const cards = () =>
      api
        .callsTo("sendMessage")
        .filter(
          (c) =>
            c.response?.ok && String(c.params.text).startsWith("🎫") && String(c.params.text).includes(code),
        );
    await eventually("the ticket card is in the staff group", () => cards().length > 0);
    expect(cards()).toHaveLength(1);
    const handledBy = bots.map((bot) => bot.logs.filter((l) => l.msg === "update handled").length);
    const skipped = bots.map((bot) => bot.logs.filter((l) => l.msg === "duplicate update skipped").length);
    console.info(
      `two instances: updates handled ${handledBy.join(" + ")}, duplicates delivered ${proxy.duplicates}, ` +
        `skipped as duplicates ${skipped.join(" + ")}`,
    );
    expect(handledBy.every((n) => n > 0)).toBe(true);
    expect(skipped.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
