import type { SendPacer, SendPermit } from "../pacing/send-pacer.ts";

/** The wait for a grant would outlast what the caller can hold its work for: give the work back, retry then. */
export class PacerBusyError extends Error {
  constructor(readonly retryInMs: number) {
    super(`staff group budget busy for ${retryInMs} ms`);
    this.name = "PacerBusyError";
  }
}

/**
 * The staff group's pacer: a {@link SendPacer} over the group's budget (STAFF_RATE), shared by every instance
 * through Redis when there is Redis. Sends count from their grant until Telegram answered (send-pacer.ts), so the
 * group never sees more than the budget in any window, however late a granted message arrives.
 *
 * It adds what the outbox needs. A delivery holds a lease on its row; a card must not wait for the pacer longer
 * than that lease, or another instance could deliver it too. {@link acquire} therefore gives up after
 * `maxWaitMs` (or at once when a 429's pause this instance knows of outlasts it) with {@link PacerBusyError},
 * and the row goes back to the outbox. An album of n items takes n grants.
 */
export class StaffPacer {
  readonly #pacer: SendPacer;
  readonly #now: () => number;
  #pausedUntil = 0;

  constructor(pacer: SendPacer, options: { now?: () => number } = {}) {
    this.#pacer = pacer;
    this.#now = options.now ?? Date.now;
  }

  /** Milliseconds left of a pause set by {@link pauseFor} in this instance; 0 when not paused. */
  pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  /** Grants nothing for `ms` (a 429's `retry_after` × 1000), to any instance. */
  async pauseFor(ms: number): Promise<void> {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    await this.#pacer.pauseFor(ms);
  }

  /**
   * Resolves when `count` messages may be sent now, with the permit to release once Telegram answered. Throws
   * {@link PacerBusyError} when that takes longer than `maxWaitMs`, and the signal's reason when it aborts (the
   * worker is stopping).
   */
  async acquire(count: number, options: { maxWaitMs: number; signal?: AbortSignal }): Promise<SendPermit> {
    const paused = this.pausedForMs();
    if (paused > options.maxWaitMs) throw new PacerBusyError(paused);
    const timeout = AbortSignal.timeout(options.maxWaitMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const permits: SendPermit[] = [];
    const all: SendPermit = {
      done: () => {
        for (const permit of permits) permit.done();
      },
    };
    try {
      while (permits.length < count) permits.push(await this.#pacer.acquire({ signal }));
    } catch (error) {
      all.done();
      if (options.signal?.aborted) throw error;
      throw new PacerBusyError(this.pausedForMs());
    }
    return all;
  }
}
