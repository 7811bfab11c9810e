import { describe, expect, it } from "vitest";
import {
  createKeyedPacer,
  GLOBAL_PACE,
  GROUP_CHAT_PACE,
  type Pacer,
  SlidingWindowPacer,
} from "../../../domain/pacing/sliding-window-pacer.ts";

/** Lets every pending promise callback run (setImmediate fires after all microtasks). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A fake clock whose timers fire only when the test advances it. */
class ManualClock {
  time = 0;
  readonly #timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  #seq = 0;
  readonly now = (): number => this.time;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.time + ms, seq: this.#seq++, resolve });
    });

  /** Moves time forward by `ms`, firing due timers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    this.time = target;
    await settle();
  }

  timers(): number {
    return this.#timers.length;
  }
}

/**
 * A fake clock whose sleep advances it at once: waits cost no real time. It moves the clock after one microtask
 * turn, so callers resolved just before the sleep still see the time of their grant.
 */
function instantClock(start = 0) {
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: async (ms: number) => {
      await Promise.resolve();
      clock.time += ms;
    },
  };
  return clock;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The largest number of grants inside any half-open window [t, t + windowMs). */
function maxInAnyWindow(grants: number[], windowMs: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < grants.length; end++) {
    while ((grants[end] ?? 0) - (grants[start] ?? 0) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

describe("SlidingWindowPacer", () => {
  it.each([
    ["a group", GROUP_CHAT_PACE.limit, GROUP_CHAT_PACE.windowMs],
    ["the global budget", GLOBAL_PACE.limit, GLOBAL_PACE.windowMs],
    ["one per second", 1, 1_000],
    ["odd numbers", 7, 333],
  ])(
    "1,000 acquires at once never put more than the limit in any window (%s), in FIFO order, without idling",
    async (_name, limit, windowMs) => {
      const clock = instantClock(1_700_000_000_000);
      const pacer = new SlidingWindowPacer({ limit, windowMs, now: clock.now, sleep: clock.sleep });
      const grants: number[] = [];
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 1_000 }, (_, i) =>
          pacer.acquire().then(() => {
            grants.push(clock.now());
            order.push(i);
          }),
        ),
      );
      expect(order).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
      expect(maxInAnyWindow(grants, windowMs)).toBe(limit);
      // As fast as the limit allows: the k-th grant comes exactly when the (k − limit)-th leaves the window.
      for (const [k, t] of grants.entries())
        expect(t - (grants[0] ?? 0)).toBe(Math.floor(k / limit) * windowMs);
    },
  );

  it("with random arrivals over time, never more than the limit in any window and strictly FIFO", async () => {
    const random = seeded(2024);
    const clock = new ManualClock();
    const limit = 20;
    const windowMs = 60_000;
    const pacer = new SlidingWindowPacer({ limit, windowMs, now: clock.now, sleep: clock.sleep });
    const grants: number[] = [];
    const order: number[] = [];
    const done: Array<Promise<void>> = [];
    for (let i = 0; i < 1_000; i++) {
      // Bursts and lulls: mostly a few hundred ms apart, sometimes a minute of silence.
      await clock.advance(random() < 0.05 ? 60_000 * random() : 1_000 * random());
      done.push(
        pacer.acquire().then(() => {
          grants.push(clock.now());
          order.push(i);
        }),
      );
      if (random() < 0.02) await pacer.pauseFor(5_000 * random());
    }
    while (order.length < 1_000) await clock.advance(windowMs);
    await Promise.all(done);
    expect(order).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(maxInAnyWindow(grants, windowMs)).toBeLessThanOrEqual(limit);
    expect(clock.timers()).toBe(0);
  });

  it("grants at once while the window has room, then waits for the oldest grant to leave it", async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer({ limit: 3, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    const granted: number[] = [];
    const track = (): Promise<void> => pacer.acquire().then(() => void granted.push(clock.now()));
    const a = [track(), track()];
    await clock.advance(400);
    const b = [track(), track()];
    await clock.advance(0);
    expect(granted).toEqual([0, 0, 400]);
    expect(pacer.pending()).toBe(1);
    await clock.advance(599);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted).toEqual([0, 0, 400, 1_000]);
    await Promise.all([...a, ...b]);
    expect(pacer.pending()).toBe(0);
  });

  it("pauseFor holds back every waiter until the pause ends, then serves them in order", async () => {
    const clock = new ManualClock();
    const pacer: SlidingWindowPacer = new SlidingWindowPacer({
      limit: 25,
      windowMs: 1_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    await pacer.acquire();
    await pacer.pauseFor(30_000); // a 429 with retry_after: 30
    const granted: Array<[number, number]> = [];
    const waiters = [1, 2, 3].map((n) => pacer.acquire().then(() => void granted.push([n, clock.now()])));
    await clock.advance(29_999);
    expect(granted).toEqual([]);
    expect(pacer.pending()).toBe(3);
    await clock.advance(1);
    await Promise.all(waiters);
    expect(granted).toEqual([
      [1, 30_000],
      [2, 30_000],
      [3, 30_000],
    ]);
  });

  it("a pause during a window wait extends it; a shorter pause never shortens one", async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer({ limit: 1, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    await pacer.acquire();
    let grantedAt: number | null = null;
    const waiting = pacer.acquire().then(() => {
      grantedAt = clock.now();
    });
    await clock.advance(500);
    await pacer.pauseFor(2_000);
    await pacer.pauseFor(100);
    await clock.advance(1_999);
    expect(grantedAt).toBeNull();
    await clock.advance(1);
    await waiting;
    expect(grantedAt).toBe(2_500);
  });

  it("a new acquire during a pause waits too", async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer({ limit: 10, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    await pacer.pauseFor(5_000);
    let granted = false;
    const waiting = pacer.acquire().then(() => {
      granted = true;
    });
    await clock.advance(4_000);
    expect(granted).toBe(false);
    await clock.advance(1_000);
    await waiting;
    expect(granted).toBe(true);
  });

  it("an aborted waiter leaves the queue without taking a slot", async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer({ limit: 1, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    await pacer.acquire();
    const controller = new AbortController();
    const aborted = pacer.acquire({ signal: controller.signal });
    let nextAt: number | null = null;
    const next = pacer.acquire().then(() => {
      nextAt = clock.now();
    });
    expect(pacer.pending()).toBe(2);
    controller.abort(new Error("shutting down"));
    await expect(aborted).rejects.toThrow("shutting down");
    expect(pacer.pending()).toBe(1);
    await clock.advance(1_000);
    await next;
    expect(nextAt).toBe(1_000);
    await expect(pacer.acquire({ signal: AbortSignal.abort(new Error("already")) })).rejects.toThrow(
      "already",
    );
  });

  it("an idle pacer holds no timer", async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer({ limit: 2, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    await pacer.acquire();
    await pacer.acquire();
    await settle();
    expect(clock.timers()).toBe(0);
  });

  it("works with the real clock and timers", async () => {
    const pacer = new SlidingWindowPacer({ limit: 2, windowMs: 20 });
    const start = Date.now();
    await Promise.all([pacer.acquire(), pacer.acquire(), pacer.acquire()]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(19);
  });

  it("refuses a limit below one or an empty window", () => {
    expect(() => new SlidingWindowPacer({ limit: 0, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => new SlidingWindowPacer({ limit: 1.5, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => new SlidingWindowPacer({ limit: 1, windowMs: 0 })).toThrow(RangeError);
  });

  it("implements the Pacer interface a distributed pacer will share", async () => {
    const clock = instantClock();
    const pacer: Pacer = new SlidingWindowPacer({
      limit: 1,
      windowMs: 10,
      now: clock.now,
      sleep: clock.sleep,
    });
    await pacer.pauseFor(100);
    await pacer.acquire();
    expect(clock.time).toBe(100);
  });
});

describe("createKeyedPacer", () => {
  it("keeps chats apart: a busy group does not slow another chat", async () => {
    const clock = new ManualClock();
    const options = { now: clock.now, sleep: clock.sleep };
    const pacer = createKeyedPacer(
      (_chatId: number) => ({ limit: 2, windowMs: 60_000, ...options }),
      options,
    );
    const granted: Array<[number, number]> = [];
    const send = (chatId: number) =>
      pacer.acquire(chatId).then(() => void granted.push([chatId, clock.now()]));
    const all = [send(-100), send(-100), send(-100), send(-200)];
    await clock.advance(0);
    expect(granted.filter(([chat]) => chat === -100)).toEqual([
      [-100, 0],
      [-100, 0],
    ]);
    expect(granted.filter(([chat]) => chat === -200)).toEqual([[-200, 0]]);
    expect(pacer.pending(-100)).toBe(1);
    expect(pacer.pending()).toBe(1);
    expect(pacer.size()).toBe(2);
    await clock.advance(60_000);
    await Promise.all(all);
    expect(granted.at(-1)).toEqual([-100, 60_000]);
  });

  it("creates each chat's pacer once, with that chat's options", async () => {
    const clock = instantClock();
    const asked: number[] = [];
    const pacer = createKeyedPacer(
      (chatId: number) => {
        asked.push(chatId);
        return {
          ...(chatId < 0 ? GROUP_CHAT_PACE : { limit: 1, windowMs: 1_000 }),
          now: clock.now,
          sleep: clock.sleep,
        };
      },
      { now: clock.now },
    );
    for (let i = 0; i < 3; i++) await pacer.acquire(42);
    expect(clock.time).toBe(2_000);
    for (let i = 0; i < 20; i++) await pacer.acquire(-1001);
    expect(clock.time).toBe(2_000);
    expect(asked).toEqual([42, -1001]);
  });

  it("pauses only the chat that got the 429", async () => {
    const clock = new ManualClock();
    const options = { now: clock.now, sleep: clock.sleep };
    const pacer = createKeyedPacer(() => ({ limit: 5, windowMs: 1_000, ...options }), options);
    await pacer.pauseFor(1, 10_000);
    let otherGranted = false;
    let pausedGranted = false;
    const paused = pacer.acquire(1).then(() => {
      pausedGranted = true;
    });
    const other = pacer.acquire(2).then(() => {
      otherGranted = true;
    });
    await clock.advance(0);
    expect([pausedGranted, otherGranted]).toEqual([false, true]);
    await clock.advance(10_000);
    await Promise.all([paused, other]);
    expect(pausedGranted).toBe(true);
  });

  it("drops a chat's pacer only once forgetting it cannot break the limit", async () => {
    const clock = new ManualClock();
    const options = { now: clock.now, sleep: clock.sleep };
    const pacer = createKeyedPacer(() => ({ limit: 1, windowMs: 60_000, ...options }), {
      ...options,
      sweepEveryMs: 1_000,
    });
    await pacer.acquire("recent");
    await pacer.acquire("paused");
    await pacer.pauseFor("paused", 600_000);
    const waiting = pacer.acquire("waiting");
    const waitingToo = pacer.acquire("waiting");
    await clock.advance(0);
    pacer.prune();
    expect(pacer.size()).toBe(3);

    await clock.advance(60_000);
    await Promise.all([waiting, waitingToo]);
    pacer.prune();
    expect(pacer.size()).toBe(2); // "recent" went quiet for a whole window; "waiting" granted just now
    await clock.advance(60_000);
    pacer.prune();
    expect(pacer.size()).toBe(1); // "paused" still paused

    // A dropped chat starts afresh, which is safe because its last grant is older than the window.
    let grantedAt: number | null = null;
    await pacer.acquire("recent").then(() => {
      grantedAt = clock.now();
    });
    expect(grantedAt).toBe(clock.now());
  });

  it("sweeps idle pacers by itself as chats come and go", async () => {
    const clock = instantClock();
    const pacer = createKeyedPacer(
      () => ({ limit: 1, windowMs: 1_000, now: clock.now, sleep: clock.sleep }),
      {
        now: clock.now,
        sweepEveryMs: 5_000,
      },
    );
    for (let chat = 0; chat < 1_000; chat++) {
      await pacer.acquire(chat);
      clock.time += 100;
    }
    // Only the chats of the last sweep interval plus one window can be held, not all thousand.
    expect(pacer.size()).toBeLessThanOrEqual(61);
  });
});
