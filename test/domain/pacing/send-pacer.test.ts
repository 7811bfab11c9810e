import { describe, expect, it } from "vitest";
import { CompletionWindowPacer, type SendPermit } from "../../../domain/pacing/send-pacer.ts";

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A fake clock whose timers fire only when the test advances it. */
class ManualClock {
  time = 0;
  readonly #timers: Array<{ at: number; resolve: () => void }> = [];
  readonly now = (): number => this.time;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.time + ms, resolve });
    });

  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    this.time = target;
    await settle();
  }
}

function pacerWithClock(limit: number, windowMs = 1_000) {
  const clock = new ManualClock();
  const pacer = new CompletionWindowPacer({ limit, windowMs, now: clock.now, sleep: clock.sleep });
  const granted: Array<{ at: number; permit: SendPermit }> = [];
  const take = (count: number) => {
    for (let i = 0; i < count; i++)
      void pacer.acquire().then((permit) => granted.push({ at: clock.time, permit }));
  };
  return { clock, pacer, granted, take };
}

describe("CompletionWindowPacer", () => {
  it("grants `limit` sends at once, then waits until a completed send is a window old", async () => {
    const { clock, granted, take } = pacerWithClock(3);
    take(5);
    await clock.advance(0);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0]);
    await clock.advance(100);
    for (const g of granted) g.permit.done(); // all three completed at t = 100
    await clock.advance(999);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 1_100, 1_100]);
  });

  it("counts a send in flight for as long as it is in flight, however late it arrives", async () => {
    const { clock, granted, take } = pacerWithClock(2);
    take(3);
    await clock.advance(5_000);
    expect(granted).toHaveLength(2);
    granted[0]!.permit.done();
    await clock.advance(999);
    expect(granted).toHaveLength(2);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 6_000]);
  });

  it("never lets more than `limit` sends complete or fly within any window, under a steady load", async () => {
    const { clock, granted, take } = pacerWithClock(25);
    take(200);
    for (let step = 0; step < 1_000 && granted.length < 200; step++) {
      await clock.advance(10);
      // Each send takes 30 ms.
      for (const g of granted) if (clock.time - g.at >= 30) g.permit.done();
    }
    expect(granted).toHaveLength(200);
    const times = granted.map((g) => g.at);
    for (const [i, at] of times.entries()) {
      const inWindow = times.filter((other) => other >= at && other < at + 1_000).length;
      expect(inWindow, `grants in the second after #${i}`).toBeLessThanOrEqual(25);
    }
  });

  it("pauses every waiter for a 429's retry_after", async () => {
    const { clock, pacer, granted, take } = pacerWithClock(10);
    await pacer.pauseFor(3_000);
    take(2);
    await clock.advance(2_999);
    expect(granted).toHaveLength(0);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([3_000, 3_000]);
  });

  it("rejects a waiter whose signal aborts, and serves the others", async () => {
    const { clock, pacer, granted } = pacerWithClock(1);
    const first = await pacer.acquire();
    const controller = new AbortController();
    const aborted = pacer.acquire({ signal: controller.signal });
    void pacer.acquire().then((permit) => granted.push({ at: clock.time, permit }));
    controller.abort(new Error("stopping"));
    await expect(aborted).rejects.toThrow("stopping");
    first.done();
    await clock.advance(1_000);
    expect(granted.map((g) => g.at)).toEqual([1_000]);
  });
});
