import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYONE } from "../../../domain/broadcast/audience.ts";
import { createBroadcastStore } from "../../../domain/broadcast/broadcast-store.ts";
import { createDeliveryQueue } from "../../../domain/broadcast/delivery-queue.ts";
import {
  type BroadcastSender,
  createBroadcastSender,
  type SendCopy,
} from "../../../domain/broadcast/sender.ts";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { CompletionWindowPacer, type SendPacer } from "../../../domain/pacing/send-pacer.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

const cipher = createDataCipher(Buffer.alloc(32, 5).toString("base64"));
const admin = { id: 1, name: "Admin" };
const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** An error shaped like grammY's GrammyError (what classifyTelegramError reads). */
const apiError = (error_code: number, description: string, retry_after?: number) =>
  Object.assign(new Error(description), {
    error_code,
    description,
    parameters: retry_after === undefined ? {} : { retry_after },
  });

const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("broadcast sender", () => {
  let database: MigratedDatabase;
  beforeAll(async () => {
    database = await migratedDatabase();
  });
  afterAll(() => database?.close());

  async function broadcastTo(chatIds: number[]): Promise<string> {
    await database.prisma.subscription.updateMany({ data: { active: false } });
    await database.prisma.subscription.createMany({
      data: chatIds.map((chatId) => ({
        chatIdHash: cipher.hash("subscriptionChat", `${chatId}:${Math.random()}`),
        chatIdEnc: cipher.encrypt(String(chatId)),
      })),
    });
    const store = createBroadcastStore(database.prisma);
    const draft = await store.createDraft({
      content: { kind: "text", text: "Pengumuman" },
      audience: EVERYONE,
      linkedReportCodes: [],
      createdBy: admin,
    });
    await store.start(draft.id, admin, { requireApproval: false, channelId: undefined });
    return draft.id;
  }

  function sender(
    send: SendCopy,
    pacer: SendPacer = new CompletionWindowPacer({ limit: 10_000, windowMs: 1_000 }),
  ) {
    return createBroadcastSender({
      queue: createDeliveryQueue(database.prisma),
      pacer,
      send,
      decryptChatId: (ciphertext) => Number(cipher.decrypt(ciphertext)),
      logger: silent,
      ratePerSecond: 1_000,
      lanes: 3,
      pollMs: 50,
      materializeBatch: 37,
    });
  }

  const status = (id: string) => database.prisma.broadcast.findUniqueOrThrow({ where: { id } });

  it("sends once to each recipient with two instances at work, and records what Telegram answered", async () => {
    const chats = Array.from({ length: 300 }, (_, i) => 50_000 + i);
    const id = await broadcastTo(chats);
    const blocked = new Set([50_003, 50_150]);
    const bad = new Set([50_010]);
    const flaky = new Set([50_020, 50_021]);
    const delivered: number[] = [];
    const send: SendCopy = async ({ chatId }) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (blocked.has(chatId)) throw apiError(403, "Forbidden: bot was blocked by the user");
      if (bad.has(chatId)) throw apiError(400, "Bad Request: message is too long");
      if (flaky.delete(chatId)) throw apiError(502, "Bad Gateway");
      delivered.push(chatId);
    };
    const instances: BroadcastSender[] = [sender(send), sender(send)];
    for (const instance of instances) instance.start();
    await until("the broadcast is done", async () => (await status(id)).status === "DONE");
    await Promise.all(instances.map((instance) => instance.stop()));

    expect(delivered).toHaveLength(297);
    expect(new Set(delivered).size).toBe(297);
    expect(await status(id)).toMatchObject({ total: 300, sent: 297, blocked: 2, failed: 1, skipped: 0 });
    const rows = await database.prisma.broadcastDelivery.findMany({
      where: { broadcastId: id, status: { not: "SENT" } },
    });
    expect(rows.map((row) => [row.status, row.attempts, row.lastError]).sort()).toEqual([
      ["BLOCKED", 1, "403 Forbidden: bot was blocked by the user"],
      ["BLOCKED", 1, "403 Forbidden: bot was blocked by the user"],
      ["FAILED", 1, "400 Bad Request: message is too long"],
    ]);
    expect(
      await database.prisma.outboxMessage.count({ where: { dedupeKey: `broadcast.summary:${id}` } }),
    ).toBe(1);
  });

  it("pauses the pacer for a 429's retry_after and sends the row again", async () => {
    const id = await broadcastTo([60_001, 60_002, 60_003]);
    const pauses: number[] = [];
    const inner = new CompletionWindowPacer({ limit: 1_000, windowMs: 1_000 });
    const pacer: SendPacer = {
      acquire: (options) => inner.acquire(options),
      pauseFor: (ms) => {
        pauses.push(ms);
        return inner.pauseFor(ms);
      },
    };
    let tooMany = true;
    const delivered: number[] = [];
    const instance = sender(async ({ chatId }) => {
      if (chatId === 60_002 && tooMany) {
        tooMany = false;
        throw apiError(429, "Too Many Requests: retry after 1", 1);
      }
      delivered.push(chatId);
    }, pacer);
    instance.start();
    await until("the broadcast is done", async () => (await status(id)).status === "DONE");
    await instance.stop();
    expect(pauses).toEqual([1_000]);
    expect(delivered.sort()).toEqual([60_001, 60_002, 60_003]);
  });

  it("stops without sending more, gives its claims back, and another instance finishes; a pause holds everyone", async () => {
    const chats = Array.from({ length: 60 }, (_, i) => 70_000 + i);
    const id = await broadcastTo(chats);
    const delivered: number[] = [];
    const slow = sender(async ({ chatId }) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      delivered.push(chatId);
    });
    slow.start();
    await until("some are sent", () => delivered.length >= 10);
    await slow.stop();
    const atStop = delivered.length;
    const claimed = await database.prisma.broadcastDelivery.count({
      where: { broadcastId: id, status: "PENDING", claimedBy: { not: null } },
    });
    expect(claimed).toBe(0);
    expect((await status(id)).sent).toBe(atStop);

    await createBroadcastStore(database.prisma).pause(id);
    const next = sender(async ({ chatId }) => {
      delivered.push(chatId);
    });
    next.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toHaveLength(atStop);
    await createBroadcastStore(database.prisma).resume(id);
    next.wake();
    await until("the broadcast is done", async () => (await status(id)).status === "DONE");
    await next.stop();
    expect(delivered.sort()).toEqual(chats);
  });

  it("claims at most two seconds of a lane's share of the rate, even when the first sends go out at once", async () => {
    const id = await broadcastTo(Array.from({ length: 200 }, (_, i) => 70_000 + i));
    const queue = createDeliveryQueue(database.prisma);
    const claimed: number[] = [];
    const instance = createBroadcastSender({
      queue: {
        ...queue,
        claim: async (...args: Parameters<typeof queue.claim>) => {
          const rows = await queue.claim(...args);
          if (rows.length > 0) claimed.push(rows.length);
          return rows;
        },
      },
      pacer: new CompletionWindowPacer({ limit: 10_000, windowMs: 1_000 }), // nothing waits
      send: async () => undefined,
      decryptChatId: (ciphertext) => Number(cipher.decrypt(ciphertext)),
      logger: silent,
      ratePerSecond: 30,
      lanes: 3,
      pollMs: 50,
    });
    instance.start();
    await until("the broadcast is done", async () => (await status(id)).status === "DONE");
    await instance.stop();
    // 30/s over 3 lanes: 10/s each, so at most 20 rows a claim, however fast the sends went.
    expect(claimed.reduce((sum, n) => sum + n, 0)).toBe(200);
    expect(Math.max(...claimed)).toBeLessThanOrEqual(20);
  });
});
