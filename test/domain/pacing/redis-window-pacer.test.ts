import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisWindowPacer } from "../../../domain/pacing/redis-window-pacer.ts";
import { cleanupRedisPrefix } from "../../support/databases.ts";

const url = process.env.TEST_REDIS_URL;

/** Two "instances" (pacers on separate connections) sharing one budget through Redis. */
describe.runIf(url)("RedisWindowPacer", () => {
  const prefix = `awasi-test:${randomBytes(6).toString("hex")}:`;
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    a = new Redis(url!, { keyPrefix: prefix });
    b = new Redis(url!, { keyPrefix: prefix });
  });
  afterAll(async () => {
    await Promise.all([a.quit(), b.quit()]);
    await cleanupRedisPrefix(url, prefix);
  });

  it("keeps two instances together under the limit in any window, counting sends until they complete", async () => {
    const limit = 30;
    const pacers = [a, b].map(
      (redis) => new RedisWindowPacer({ redis, limit, windowMs: 500, maxSendMs: 2_000, key: "t1" }),
    );
    const sends: Array<{ start: number; end: number }> = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 12 }, async (_, lane) => {
        const pacer = pacers[lane % 2]!;
        for (let i = 0; i < 10; i++) {
          const permit = await pacer.acquire();
          const start = performance.now() - started;
          await new Promise((resolve) => setTimeout(resolve, 15)); // the request
          const end = performance.now() - started;
          permit.done();
          sends.push({ start, end });
        }
      }),
    );
    expect(sends).toHaveLength(120);
    // Any request that arrived between start and end: the worst case puts it anywhere in that interval.
    for (const { start } of sends) {
      const overlapping = sends.filter((s) => s.end >= start && s.start < start + 500).length;
      expect(overlapping, `sends overlapping [${start}, ${start + 500})`).toBeLessThanOrEqual(limit);
    }
  });

  it("pauses every instance when one of them got a 429", async () => {
    const [first, second] = [a, b].map(
      (redis) => new RedisWindowPacer({ redis, limit: 100, windowMs: 1_000, maxSendMs: 2_000, key: "t2" }),
    );
    await first!.pauseFor(400);
    const before = performance.now();
    const permit = await second!.acquire();
    permit.done();
    expect(performance.now() - before).toBeGreaterThanOrEqual(350);
  });

  it("stops waiting when its signal aborts", async () => {
    const pacer = new RedisWindowPacer({
      redis: a,
      limit: 1,
      windowMs: 10_000,
      maxSendMs: 10_000,
      key: "t3",
    });
    await pacer.acquire();
    const controller = new AbortController();
    const waiting = pacer.acquire({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stopping")), 100);
    await expect(waiting).rejects.toThrow("stopping");
  });
});
