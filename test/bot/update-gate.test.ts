import type { Context } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FencedRedisSessionStorage } from "../../bot/fenced-session-storage.ts";
import { createLogger } from "../../bot/logger.ts";
import { connectRedis, type Redis } from "../../bot/redis.ts";
import { createUpdateGate, lockKeyOf, StaleLockError, type UpdateGate } from "../../bot/update-gate.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import { cleanupRedisPrefix, testRedis } from "../support/databases.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";

const cipher = createDataCipher(TEST_DATA_KEY);
const SESSION_KEY = "session:gate-test";

/** What the gate reads of an update: its id; every update here belongs to one chat (one session key). */
const update = (id: number) => ({ update: { update_id: id } }) as unknown as Context;

/** Two instances sharing one Redis: each its own gate and session store over its own connection. */
describe.runIf(testRedis().url)("the update gate on Redis", () => {
  const { url, keyPrefix } = testRedis();
  let redisA: Redis;
  let redisB: Redis;
  const logger = createLogger("silent");

  const instance = (redis: Redis, leaseMs = 30_000) => {
    const gate = createUpdateGate({
      redis,
      cipher,
      keyOf: () => SESSION_KEY,
      logger,
      leaseMs,
      flood: { keyOf: () => "flood:gate-test", windowMs: 60_000 },
    });
    const sessions = new FencedRedisSessionStorage<{ step: string }>(redis, 600, gate.lockFor);
    /** Handles one update: reads the session, lets `work` change it, writes it back (as grammY's session does). */
    const handle = (id: number, work: (session: { step: string } | undefined) => Promise<{ step: string }>) =>
      gate.middleware(update(id), async () => {
        const session = await sessions.read(SESSION_KEY);
        await sessions.write(SESSION_KEY, await work(session));
      });
    return { gate, sessions, handle };
  };

  beforeAll(async () => {
    redisA = await connectRedis(url!, keyPrefix);
    redisB = await connectRedis(url!, keyPrefix);
  });
  afterAll(async () => {
    await redisA?.quit();
    await redisB?.quit();
    await cleanupRedisPrefix(url, keyPrefix);
  });

  const stored = async () => {
    const raw = await redisA.get(SESSION_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as { step: string });
  };

  it("hands the session read with the lock to the store, and writes the change when the lock is released", async () => {
    const a = instance(redisA);
    await redisA.set(SESSION_KEY, JSON.stringify({ step: "category" }));
    let seen: { step: string } | undefined;
    let lockedMeanwhile: string | null = null;
    await a.handle(1, async (session) => {
      seen = session;
      lockedMeanwhile = await redisA.get(lockKeyOf(SESSION_KEY));
      return { step: "when" };
    });
    expect(seen).toEqual({ step: "category" });
    expect(lockedMeanwhile, "the chat was not locked while its update ran").not.toBeNull();
    expect(await stored()).toEqual({ step: "when" });
    expect(await redisA.get(lockKeyOf(SESSION_KEY)), "the lock outlived its update").toBeNull();
  });

  it("handles an update delivered twice once, and an update that failed again", async () => {
    const a = instance(redisA);
    let runs = 0;
    const count = async () => {
      runs += 1;
      return { step: `run ${runs}` };
    };
    await a.handle(2, count);
    await a.handle(2, count);
    expect(runs).toBe(1);

    await expect(
      a.gate.middleware(update(3), async () => {
        throw new Error("the handler failed");
      }),
    ).rejects.toThrow("the handler failed");
    await a.handle(3, count);
    expect(runs, "a failed update was recorded as handled").toBe(2);
  });

  it("refuses the session write of an instance whose lease ran out while another took the chat over", async () => {
    const slow = instance(redisA, 300);
    const other = instance(redisB);
    await redisA.set(SESSION_KEY, JSON.stringify({ step: "chronology" }));
    let release!: () => void;
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Instance A takes the chat, then stalls past its lease (its renewal cannot run while the lease is this short
    // and the lock is taken away below).
    const stale = slow.handle(10, async () => {
      await paused;
      return { step: "stale answer" };
    });
    await expect.poll(() => redisA.get(lockKeyOf(SESSION_KEY))).not.toBeNull();
    await redisB.del(lockKeyOf(SESSION_KEY)); // the lease expired
    await other.handle(11, async () => ({ step: "newer answer" }));
    release();
    await expect(stale).rejects.toBeInstanceOf(StaleLockError);
    expect(await stored()).toEqual({ step: "newer answer" });
  });

  it("counts the sender's updates for the flood limit in the round trip that takes the lock", async () => {
    const a = instance(redisA);
    const hits: Array<number | undefined> = [];
    for (const id of [20, 21, 22]) {
      const ctx = update(id);
      await a.gate.middleware(ctx, async () => {
        hits.push(a.gate.floodHitsOf(ctx));
      });
    }
    // The earlier tests' updates counted in the same window.
    const first = hits[0]!;
    expect(hits).toEqual([first, first + 1, first + 2]);
    expect(await redisA.pttl("flood:gate-test")).toBeGreaterThan(0);
  });
});

describe("the update gate without Redis (one instance)", () => {
  it("handles an update delivered twice once and counts the flood limit in memory", async () => {
    const gate: UpdateGate = createUpdateGate({
      redis: undefined,
      cipher,
      keyOf: () => SESSION_KEY,
      logger: createLogger("silent"),
      flood: { keyOf: () => "flood:one", windowMs: 60_000 },
    });
    const hits: Array<number | undefined> = [];
    for (const id of [1, 1, 2]) {
      const ctx = update(id);
      await gate.middleware(ctx, async () => {
        hits.push(gate.floodHitsOf(ctx));
      });
    }
    expect(hits).toEqual([1, 2]);
  });
});

/**
 * Three updates of one chat arrive at once (an album); the first one's handler waits, the second fails: they run
 * one after another in the order they came, the failure does not stop the third, and another chat is not held up.
 */
async function expectOneChatInTurn(gate: UpdateGate, firstId: number): Promise<void> {
  const trace: string[] = [];
  let releaseFirst!: () => void;
  const firstMayEnd = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  const chat = (id: number, key: string) => ({ update: { update_id: id }, key }) as unknown as Context;
  const run = (ctx: Context, body: () => Promise<void>) => gate.middleware(ctx, body) as Promise<void>;
  const first = run(chat(firstId, "a"), async () => {
    trace.push("a1 start");
    await firstMayEnd;
    trace.push("a1 end");
  });
  const second = run(chat(firstId + 1, "a"), async () => {
    trace.push("a2");
    throw new Error("a2 failed");
  });
  const third = run(chat(firstId + 2, "a"), async () => {
    trace.push("a3");
  });
  await run(chat(firstId + 3, "b"), async () => {
    trace.push("b1");
  });
  await expect.poll(() => trace).toContain("a1 start");
  expect(trace).not.toContain("a2");
  releaseFirst();
  await first;
  await expect(second).rejects.toThrow("a2 failed");
  await third;
  expect(trace.filter((entry) => entry.startsWith("a"))).toEqual(["a1 start", "a1 end", "a2", "a3"]);
  expect(trace.indexOf("b1")).toBeLessThan(trace.indexOf("a1 end"));
}

const keyOfChat = (ctx: Context) => `session:gate-order-${(ctx as unknown as { key: string }).key}`;

describe("the update gate orders one chat's updates in this process", () => {
  it("without Redis", async () => {
    await expectOneChatInTurn(
      createUpdateGate({ redis: undefined, cipher, keyOf: keyOfChat, logger: createLogger("silent") }),
      100,
    );
  });

  it.runIf(testRedis().url)("with Redis", async () => {
    const { url, keyPrefix } = testRedis();
    const redis = await connectRedis(url!, keyPrefix);
    try {
      await expectOneChatInTurn(
        createUpdateGate({ redis, cipher, keyOf: keyOfChat, logger: createLogger("silent") }),
        200,
      );
    } finally {
      await redis.quit();
      await cleanupRedisPrefix(url, keyPrefix);
    }
  });
});
