import { type SlidingWindowOptions, SlidingWindowPacer } from "../pacing/sliding-window-pacer.ts";

/** The wait for a grant would outlast what the caller can hold its work for: give the work back, retry then. */
export class PacerBusyError extends Error {
  constructor(readonly retryInMs: number) {
    super(`staff group budget busy for ${retryInMs} ms`);
    this.name = "PacerBusyError";
  }
}

/**
 * The window the pacer actually uses: the budget's window plus a safety margin (5 %, at least 100 ms).
 *
 * A grant is recorded when it is given, but Telegram counts a message when it arrives: a send delayed a little
 * after its grant (an event-loop pause, a slow connection) and a later one sent at once would otherwise land
 * closer together than the window. The margin absorbs that jitter, so the group never sees more than `limit`
 * messages in any `windowMs` (20 a minute becomes 20 per 63 s).
 */
export function paddedWindowMs(windowMs: number): number {
  return windowMs + Math.max(100, Math.round(windowMs * 0.05));
}

/**
 * The staff group's pacer: a {@link SlidingWindowPacer} over {@link paddedWindowMs}, which also remembers a 429's
 * pause (the sliding-window pacer does not say how long it is paused) and bounds how long one caller waits.
 *
 * The outbox worker holds a lease on the row it delivers; a card must not sit in the pacer's queue longer than
 * that lease, or another instance could deliver it too. {@link acquire} therefore gives up after `maxWaitMs`
 * (or at once when a pause outlasts it) with {@link PacerBusyError}, and the row goes back to the outbox.
 */
export class StaffPacer {
  readonly #pacer: SlidingWindowPacer;
  readonly #now: () => number;
  #pausedUntil = 0;

  constructor(
    budget: { limit: number; windowMs: number },
    options: Pick<SlidingWindowOptions, "now" | "sleep"> = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#pacer = new SlidingWindowPacer({
      limit: budget.limit,
      windowMs: paddedWindowMs(budget.windowMs),
      ...options,
    });
  }

  /** Milliseconds left of a pause set by {@link pauseFor}; 0 when not paused. */
  pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  /** Grants nothing for `ms` (a 429's `retry_after` × 1000). */
  async pauseFor(ms: number): Promise<void> {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    await this.#pacer.pauseFor(ms);
  }

  /**
   * Resolves when `count` messages may be sent now (an album of n items counts n). Throws
   * {@link PacerBusyError} when that takes longer than `maxWaitMs`, and the signal's reason when it aborts (the
   * worker is stopping).
   */
  async acquire(count: number, options: { maxWaitMs: number; signal?: AbortSignal }): Promise<void> {
    const paused = this.pausedForMs();
    if (paused > options.maxWaitMs) throw new PacerBusyError(paused);
    const timeout = AbortSignal.timeout(options.maxWaitMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    for (let i = 0; i < count; i++) {
      try {
        await this.#pacer.acquire({ signal });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new PacerBusyError(Math.max(this.pausedForMs(), 0));
      }
    }
  }
}
