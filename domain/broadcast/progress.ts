/** The counters of a broadcast as stored on its row. */
export interface BroadcastCounters {
  total: number;
  sent: number;
  blocked: number;
  failed: number;
  skipped: number;
  /** Whether every recipient is listed (`total` is final). */
  audienceReady: boolean;
}

/** A point in time and how many deliveries were finished then, to measure the rate between two edits. */
export interface ProgressSample {
  at: number;
  finished: number;
}

/** What the progress message shows. */
export interface ProgressFigures {
  finished: number;
  /** Deliveries not finished yet (null while recipients are still being listed and `total` is not final). */
  remaining: number | null;
  /** Messages per second since the previous sample; null when there is none or no time passed. */
  ratePerSecond: number | null;
  /** Seconds until done at that rate; null when unknown. */
  etaSeconds: number | null;
}

/** Finished deliveries: sent, blocked, failed or skipped. */
export function finishedCount(c: BroadcastCounters): number {
  return c.sent + c.blocked + c.failed + c.skipped;
}

/**
 * Remaining count, rate and ETA from the counters now and a previous sample (the last edit of this process).
 *
 * @example progressFigures({ total: 100, sent: 50, blocked: 0, failed: 0, skipped: 0, audienceReady: true },
 *   { at: 12_000, finished: 50 }, { at: 10_000, finished: 10 })
 * // → { finished: 50, remaining: 50, ratePerSecond: 20, etaSeconds: 3 }
 */
export function progressFigures(
  counters: BroadcastCounters,
  current: ProgressSample,
  previous: ProgressSample | undefined,
): ProgressFigures {
  const finished = finishedCount(counters);
  const remaining = counters.audienceReady ? Math.max(0, counters.total - finished) : null;
  const seconds = previous ? (current.at - previous.at) / 1000 : 0;
  const ratePerSecond =
    previous && seconds > 0 ? Math.max(0, (finished - previous.finished) / seconds) : null;
  const etaSeconds =
    remaining !== null && ratePerSecond !== null && ratePerSecond > 0
      ? Math.ceil(remaining / ratePerSecond)
      : remaining === 0
        ? 0
        : null;
  return { finished, remaining, ratePerSecond, etaSeconds };
}
