import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, listen } from "../../bot/server.ts";

describe("/healthz stays cheap under a flood", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function start(options: { limit?: number; healthy?: () => boolean } = {}) {
    let clock = 1_000_000;
    let checks = 0;
    let release: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    server = createServer({
      health: async () => {
        checks += 1;
        await gate;
        return { database: options.healthy?.() ?? true, redis: true };
      },
      healthCacheMs: 1_500,
      healthRateLimit: { limit: options.limit ?? 100, windowMs: 10_000 },
      now: () => clock,
    });
    const port = await listen(server, 0);
    return {
      get: () => fetch(`http://127.0.0.1:${port}/healthz`),
      checks: () => checks,
      advance: (ms: number) => {
        clock += ms;
      },
      hold: () => {
        gate = new Promise((resolve) => {
          release = resolve;
        });
      },
      release: () => release(),
    };
  }

  it("answers concurrent probes from one check in flight", async () => {
    const health = await start();
    health.hold();
    const pending = Array.from({ length: 10 }, () => health.get());
    await expect.poll(() => health.checks()).toBe(1);
    health.release();
    const responses = await Promise.all(pending);
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(health.checks()).toBe(1);
  });

  it("reuses a result for the cache period, then checks again", async () => {
    let healthy = true;
    const health = await start({ healthy: () => healthy });
    expect((await health.get()).status).toBe(200);
    healthy = false;
    health.advance(1_000);
    expect((await health.get()).status).toBe(200); // still the cached answer
    expect(health.checks()).toBe(1);
    health.advance(600);
    const response = await health.get();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "degraded", database: false, redis: true });
    expect(health.checks()).toBe(2);
  });

  it("answers 429 with Retry-After past the limit per client, and again in the next window", async () => {
    const health = await start({ limit: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await health.get()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    health.advance(4_000);
    const limited = await health.get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("6");
    health.advance(6_000);
    expect((await health.get()).status).toBe(200);
    expect(health.checks()).toBe(2); // limited requests never reached the check
  });
});
