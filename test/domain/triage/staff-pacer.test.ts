import { describe, expect, it } from "vitest";
import { PacerBusyError, paddedWindowMs, StaffPacer } from "../../../domain/triage/staff-pacer.ts";

/** A fake clock whose sleep advances it, so waits take no real time. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe("the staff group's pacer", () => {
  it("pads the budget's window so arrival jitter cannot squeeze more messages into a window", () => {
    expect(paddedWindowMs(60_000)).toBe(63_000);
    expect(paddedWindowMs(2_000)).toBe(2_100);
  });

  it("gives at most `limit` grants in any padded window", async () => {
    const clock = fakeClock();
    const pacer = new StaffPacer({ limit: 3, windowMs: 2_000 }, clock);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await pacer.acquire(1, { maxWaitMs: 10_000 });
      times.push(clock.now());
    }
    const start = times[0]!;
    expect(times.map((time) => time - start)).toEqual([0, 0, 0, 2_100, 2_100, 2_100, 4_200]);
  });

  it("counts an album as several messages", async () => {
    const clock = fakeClock();
    const pacer = new StaffPacer({ limit: 3, windowMs: 1_000 }, clock);
    await pacer.acquire(3, { maxWaitMs: 5_000 });
    const before = clock.now();
    await pacer.acquire(1, { maxWaitMs: 5_000 });
    expect(clock.now() - before).toBe(1_100);
  });

  it("remembers a 429's pause and gives the work back when the pause outlasts the wait allowed", async () => {
    const clock = fakeClock();
    const pacer = new StaffPacer({ limit: 20, windowMs: 60_000 }, clock);
    await pacer.pauseFor(30_000);
    expect(pacer.pausedForMs()).toBe(30_000);
    await expect(pacer.acquire(1, { maxWaitMs: 10_000 })).rejects.toEqual(new PacerBusyError(30_000));
    const before = clock.now();
    await pacer.acquire(1, { maxWaitMs: 60_000 });
    expect(clock.now() - before).toBe(30_000);
    expect(pacer.pausedForMs()).toBe(0);
  });

  it("stops waiting when the worker stops", async () => {
    const pacer = new StaffPacer({ limit: 1, windowMs: 60_000 });
    await pacer.acquire(1, { maxWaitMs: 1_000 });
    const stopping = new AbortController();
    const waiting = pacer.acquire(1, { maxWaitMs: 50_000, signal: stopping.signal });
    stopping.abort(new Error("stopping"));
    await expect(waiting).rejects.toThrow("stopping");
  });
});
