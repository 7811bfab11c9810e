import { describe, expect, it } from "vitest";
import { finishedCount, progressFigures } from "../../../domain/broadcast/progress.ts";

const counters = { total: 1_000, sent: 400, blocked: 30, failed: 10, skipped: 10, audienceReady: true };

describe("progress figures", () => {
  it("counts what is finished and what remains", () => {
    expect(finishedCount(counters)).toBe(450);
    expect(progressFigures(counters, { at: 0, finished: 450 }, undefined)).toEqual({
      finished: 450,
      remaining: 550,
      ratePerSecond: null,
      etaSeconds: null,
    });
  });

  it("measures the rate between two samples and the time left at that rate", () => {
    const figures = progressFigures(counters, { at: 15_000, finished: 450 }, { at: 10_000, finished: 325 });
    expect(figures.ratePerSecond).toBe(25);
    expect(figures.etaSeconds).toBe(22);
  });

  it("does not know what remains while recipients are still listed", () => {
    const figures = progressFigures(
      { ...counters, audienceReady: false },
      { at: 5_000, finished: 450 },
      { at: 0, finished: 400 },
    );
    expect(figures.remaining).toBeNull();
    expect(figures.etaSeconds).toBeNull();
    expect(figures.ratePerSecond).toBe(10);
  });

  it("says zero seconds when nothing remains, and nothing about a rate of zero", () => {
    const done = { ...counters, sent: 950 };
    expect(progressFigures(done, { at: 1_000, finished: 1_000 }, { at: 0, finished: 1_000 }).etaSeconds).toBe(
      0,
    );
    expect(
      progressFigures(counters, { at: 1_000, finished: 450 }, { at: 0, finished: 450 }).etaSeconds,
    ).toBeNull();
  });
});
