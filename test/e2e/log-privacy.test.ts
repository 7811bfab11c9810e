import { connect, createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, freePort, type LogLine, launchBotProcess } from "../support/bot-process.ts";
import { type BotReply, UserChat } from "../support/conversation.ts";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  type TestDatabase,
  testRedis,
} from "../support/databases.ts";
import { eventually } from "../support/eventually.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { identityNeedles, leaksIn, type Needle } from "../support/privacy-scan.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { STAFF_CHAT_ID } from "./triage-support.ts";

/** A token shaped like BotFather's, so that the scrubber's shape rule and the configured secret both count. */
const TOKEN = "7012345678:AAHk3vQx9ZtR2mLp8WnY4sJd6FgB1cE0uIo";
const TOKEN_SECRET = TOKEN.split(":")[1]!;
const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;
const texts = (replies: BotReply[]) => replies.map((reply) => reply.text ?? "").join("\n");

const citizen = makeUser(7_320_005_519, {
  firstName: "Wulandari",
  lastName: "Prameswari",
  username: "wulandari_p",
  languageCode: "id",
});
const PHONE = "6281377665544";
const TYPED = {
  name: "Wulandari Prameswari",
  title: "Bagi-bagi beras di pos Cempaka",
  chronology: "Relawan calon membagikan beras lima kilo kepada warga di pos ronda Cempaka pagi tadi.",
};
const NEEDLES: Needle[] = [
  ...identityNeedles(citizen, PHONE),
  ...Object.entries(TYPED).map(([what, value]) => ({ what: `typed ${what}`, value })),
];

/**
 * A TCP proxy to the fake Bot API that refuses connections until it listens, and can be cut: while cut it drops
 * every connection at once (the bot's calls fail at the network level, as when the Bot API is unreachable) and
 * counts them.
 */
async function cuttableProxy(target: number) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let cut = false;
  let dropped = 0;
  const server = createServer((client) => {
    if (cut) {
      dropped += 1;
      client.destroy();
      return;
    }
    const upstream = connect(target, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    root: `http://127.0.0.1:${port}`,
    listen: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve())),
    dropped: () => dropped,
    cut: () => {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("logs under Bot API failures name nobody and hold no token", { timeout: 240_000 }, () => {
  let api: FakeBotApi;
  let bot: BotProcess;
  let output = "";
  let errorLines = 0;
  let refusedLines = 0;
  let database: TestDatabase | undefined;
  const redis = testRedis();

  beforeAll(async () => {
    api = await startFakeBotApi({ token: TOKEN });
    const proxy = await cuttableProxy(Number(new URL(api.apiRoot).port));
    database = await createTestDatabase();
    // The Bot API refuses connections at start-up: the bot says so, tries again, and comes up once it answers.
    bot = await launchBotProcess({
      api,
      env: {
        TELEGRAM_API_ROOT: proxy.root,
        FLOOD_LIMIT: "1000/10",
        ...(database.url ? { DATABASE_URL: database.url, DATA_KEY: TEST_DATA_KEY } : {}),
        ...(redis.url ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.keyPrefix } : {}),
      },
    });
    const refused = (line: LogLine) =>
      String(line.msg).includes("out of reach at start-up") && JSON.stringify(line).includes("ECONNREFUSED");
    await bot.waitForLog(refused, { timeoutMs: 180_000 });
    await eventually("the bot asked again", () => bot.logs.filter(refused).length >= 2, 60_000);
    await proxy.listen();
    await bot.waitForLog("bot started", { timeoutMs: 60_000 });
    const chat = new UserChat(api, citizen, { quietMs: 400 });
    const citizenChat = (params: Record<string, unknown>) => params.chat_id === citizen.id;

    // A 400 on the greeting: the update fails, the error (with its request payload) is logged.
    api.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: message text is empty" },
      { when: citizenChat },
    );
    await chat.send("/start", { expectReply: false });
    await bot.waitForLog((line) => Number(line.level) >= 50);

    await chat.send("/lapor");
    await chat.press("📌 Pelanggaran lainnya");
    await chat.send(TYPED.title);
    await chat.press("Hari ini");
    await chat.press("Hari yang sama dengan kejadian");
    await chat.press("Aceh");
    await chat.press("Kabupaten Aceh Selatan");
    await chat.press("Tidak tahu kecamatannya");
    await chat.press("⏭ Lewati");
    await chat.send(TYPED.chronology);
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🪪 Dengan identitas (laporan resmi)");
    await chat.send(TYPED.name);
    await chat.sendContact({ phone: PHONE, userId: citizen.id });
    await chat.press("⏭ Lewati"); // no witnesses

    // The officers' card is refused (400), then fails on Telegram's side (500): the outbox worker logs both and
    // tries again later.
    api.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" },
      { when: (params) => params.chat_id === STAFF_CHAT_ID },
    );
    api.failNext(
      "sendMessage",
      { error_code: 500, description: "Internal Server Error" },
      { when: (params) => params.chat_id === STAFF_CHAT_ID },
    );
    const beforeSubmit = bot.logs.length;
    const mark = api.mark();
    const submitted = texts(await chat.press("📨 Kirim laporan"));
    const code =
      submitted.match(CODE)?.[0] ??
      String(
        (await api.waitForCall("sendMessage", (p) => CODE.test(String(p.text)), { after: mark })).params.text,
      ).match(CODE)![0];
    await bot.waitForLog((line) => Number(line.level) >= 40, { after: beforeSubmit, timeoutMs: 60_000 });
    await bot.waitForLog((line) => JSON.stringify(line).includes("Internal Server Error"), {
      after: beforeSubmit,
      timeoutMs: 60_000,
    });

    // The Bot API is out of reach (connections refused) for a while, then back.
    proxy.cut();
    await eventually(
      "the bot tried to reach the Bot API again while it was cut off",
      () => proxy.dropped() >= 2,
      60_000,
    );
    proxy.restore();

    // A 400 on the answer to /status: logged with the chat id and the text in its payload, which must go.
    api.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: chat not found" },
      { when: citizenChat },
    );
    const beforeStatus = bot.logs.length;
    api.pushUpdate({
      message: {
        message_id: 9_000,
        date: Math.floor(Date.now() / 1000),
        chat: { id: citizen.id, type: "private", first_name: citizen.first_name },
        from: citizen,
        text: `/status ${code}`,
        entities: [{ type: "bot_command", offset: 0, length: 7 }],
      },
    });
    await bot.waitForLog((line) => Number(line.level) >= 50, { after: beforeStatus, timeoutMs: 60_000 });
    await eventually(
      "the citizen gets an answer again",
      async () => {
        const replies = await chat.send("/bantuan");
        return texts(replies).includes("Apa yang bisa dilaporkan?");
      },
      60_000,
    );

    await bot.stop();
    output = bot.output();
    await proxy.close();
    errorLines = bot.logs.filter((line) => Number(line.level) >= 40).length;
    refusedLines = bot.logs.filter(refused).length;
  }, 240_000);
  afterAll(async () => {
    await bot?.kill();
    await api?.close();
    await database?.drop();
    await cleanupRedisPrefix(redis.url, redis.keyPrefix);
  });

  it("logged the failures it met, the refused start-up included", () => {
    expect(errorLines).toBeGreaterThanOrEqual(2);
    expect(refusedLines).toBeGreaterThanOrEqual(2);
  });

  it("never prints the bot token, whole or in part of a Bot API URL", () => {
    expect(output).not.toContain(TOKEN_SECRET);
    expect(output).not.toMatch(/\/bot\d+:/);
  });

  it("never prints the citizen's Telegram id, names, username, phone or typed text", () => {
    expect(leaksIn("the bot's output", output, NEEDLES)).toEqual([]);
  });
});
