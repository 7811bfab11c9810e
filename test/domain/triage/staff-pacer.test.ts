import { describe, expect, it } from "vitest";
import { CompletionWindowPacer } from "../../../domain/pacing/send-pacer.ts";
import { PacerBusyError, StaffPacer } from "../../../domain/triage/staff-pacer.ts";

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

function staffPacer(budget: { limit: number; windowMs: number }, clock = fakeClock()) {
  return { clock, pacer: new StaffPacer(new CompletionWindowPacer({ ...budget, ...clock }), clock) };
}

describe("the staff group's pacer", () => {
  it("gives at most `limit` grants in any window, counting each send until it was answered", async () => {
    const { clock, pacer } = staffPacer({ limit: 3, windowMs: 2_000 });
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const permit = await pacer.acquire(1, { maxWaitMs: 10_000 });
      times.push(clock.now());
      await clock.sleep(100); // Telegram answers 100 ms later
      permit.done();
    }
    const start = times[0]!;
    expect(times.map((time) => time - start)).toEqual([0, 100, 200, 2_100, 2_200, 2_300, 4_200]);
  });

  it("counts an album as several messages, and releases them together", async () => {
    const { clock, pacer } = staffPacer({ limit: 3, windowMs: 1_000 });
    const album = await pacer.acquire(3, { maxWaitMs: 5_000 });
    album.done();
    const before = clock.now();
    (await pacer.acquire(1, { maxWaitMs: 5_000 })).done();
    expect(clock.now() - before).toBe(1_000);
  });

  it("remembers a 429's pause and gives the work back when the pause outlasts the wait allowed", async () => {
    const { clock, pacer } = staffPacer({ limit: 20, windowMs: 60_000 });
    await pacer.pauseFor(30_000);
    expect(pacer.pausedForMs()).toBe(30_000);
    await expect(pacer.acquire(1, { maxWaitMs: 10_000 })).rejects.toEqual(new PacerBusyError(30_000));
    const before = clock.now();
    (await pacer.acquire(1, { maxWaitMs: 60_000 })).done();
    expect(clock.now() - before).toBe(30_000);
    expect(pacer.pausedForMs()).toBe(0);
  });

  it("gives the work back when the budget stays full past the wait allowed, keeping nothing it took", async () => {
    const budget = new CompletionWindowPacer({ limit: 2, windowMs: 60_000 });
    const pacer = new StaffPacer(budget);
    (await pacer.acquire(1, { maxWaitMs: 1_000 })).done();
    // An album of two needs two grants; only one is left for a minute.
    await expect(pacer.acquire(2, { maxWaitMs: 50 })).rejects.toBeInstanceOf(PacerBusyError);
    expect(budget.occupancy()).toBe(2);
  });

  it("stops waiting when the worker stops", async () => {
    const pacer = new StaffPacer(new CompletionWindowPacer({ limit: 1, windowMs: 60_000 }));
    await pacer.acquire(1, { maxWaitMs: 1_000 });
    const stopping = new AbortController();
    const waiting = pacer.acquire(1, { maxWaitMs: 50_000, signal: stopping.signal });
    stopping.abort(new Error("stopping"));
    await expect(waiting).rejects.toThrow("stopping");
  });
});
