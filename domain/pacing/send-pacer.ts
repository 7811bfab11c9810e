/**
 * Pacing that holds at Telegram's end.
 *
 * A pacer that counts grants (domain/pacing's {@link import("./sliding-window-pacer.ts").SlidingWindowPacer})
 * keeps at most `limit` grants in any window, but Telegram counts requests when they ARRIVE. Between a grant and
 * the request's arrival lie the sender's own work, a busy event loop (a query being compiled, a garbage
 * collection), a new TCP connection: measured here at a restart, up to 200 ms. Requests granted in one window
 * then arrive in the next one together with that window's own, and the limit is exceeded where it counts.
 *
 * A {@link SendPacer} therefore counts each send from its grant until its response ({@link SendPermit.done}):
 * a new send is granted only while fewer than `limit` sends are in flight or completed within the last
 * `windowMs`. Any window of `windowMs` at Telegram's end then sees at most `limit` arrivals, whatever the delays:
 * of the sends arriving in a window, the last one granted saw all the others either in flight or completed less
 * than `windowMs` before it (they completed after the window began, and it was granted before the window ended).
 * The price is the latency: at most `limit` per (`windowMs` + latency) in the worst case.
 */

import { WaiterQueue } from "./waiter-queue.ts";

/** One granted send; call {@link SendPermit.done} when its response arrived (or it was not sent after all). */
export interface SendPermit {
  done(): void;
}

/** A source of permission to send, shared by every sender that spends one budget. */
export interface SendPacer {
  /** Resolves with a permit when one more send may start now. Rejects with the signal's reason on abort. */
  acquire(options?: { signal?: AbortSignal }): Promise<SendPermit>;
  /** Grants nothing until `ms` from now, to anyone: a 429's `retry_after` (seconds × 1000). */
  pauseFor(ms: number): Promise<void>;
}

/** Settings of a {@link CompletionWindowPacer}. */
export interface CompletionWindowOptions {
  /** At most this many sends in flight or completed ... */
  limit: number;
  /** ... within this many milliseconds. */
  windowMs: number;
  /** Clock in ms; injectable for tests. Default `performance.now`. */
  now?: () => number;
  /** Waits; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The in-process {@link SendPacer}: waiters are served first come, first served by one loop that sleeps until
 * the next send may start (a completion ageing out, a pause ending) or until a send completes.
 */
export class CompletionWindowPacer implements SendPacer {
  readonly limit: number;
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #sleep: ((ms: number) => Promise<void>) | undefined;
  /** Sends in flight. */
  #inFlight = 0;
  /** End times of completed sends still in the window, oldest first (completions happen in time order). */
  readonly #ends: number[] = [];
  /** Index of the oldest end still in the window (the array is compacted now and then). */
  #head = 0;
  readonly #waiters = new WaiterQueue<SendPermit>();
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #pumping = false;
  #wake: (() => void) | undefined;

  constructor(options: CompletionWindowOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new RangeError("limit must be an integer ≥ 1");
    if (!(options.windowMs > 0)) throw new RangeError("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep;
  }

  acquire(options: { signal?: AbortSignal } = {}): Promise<SendPermit> {
    const granted = this.#waiters.wait(options.signal);
    this.#pump();
    return granted;
  }

  pauseFor(ms: number): Promise<void> {
    if (ms > 0) this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    this.#wake?.();
    return Promise.resolve();
  }

  /** Sends in flight or completed within the window, now. */
  occupancy(): number {
    this.#prune(this.#now());
    return this.#inFlight + this.#ends.length - this.#head;
  }

  #prune(now: number): void {
    while (this.#head < this.#ends.length && this.#ends[this.#head]! <= now - this.windowMs) this.#head++;
    if (this.#head > 1_024 && this.#head * 2 > this.#ends.length) {
      this.#ends.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Milliseconds until the next send may start: 0 = now, Infinity = when a send in flight completes. */
  #delay(now: number): number {
    this.#prune(now);
    const pause = this.#pausedUntil - now;
    const completed = this.#ends.length - this.#head;
    const occupied = this.#inFlight + completed;
    if (occupied < this.limit) return Math.max(0, pause);
    // The slot opens when enough completed sends age out; sends in flight end last (they have not ended yet).
    const mustAgeOut = occupied - this.limit;
    if (mustAgeOut >= completed) return Number.POSITIVE_INFINITY;
    const opensAt = this.#ends[this.#head + mustAgeOut]! + this.windowMs;
    return Math.max(0, pause, opensAt - now);
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void this.#run().finally(() => {
      this.#pumping = false;
      if (this.#waiters.length > 0) this.#pump();
    });
  }

  #wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      let timer: NodeJS.Timeout | undefined;
      this.#wake = done;
      if (Number.isFinite(ms)) {
        if (this.#sleep) void this.#sleep(ms).then(done, done);
        else timer = setTimeout(done, ms);
      }
    });
  }

  async #run(): Promise<void> {
    while (this.#waiters.length > 0) {
      const now = this.#now();
      const delay = this.#delay(now);
      if (delay > 0) {
        await this.#wait(delay);
        continue;
      }
      this.#inFlight++;
      this.#waiters.serveNext(this.#permit());
    }
  }

  /** A granted send, counted in flight until {@link SendPermit.done}, then as completed at that moment. */
  #permit(): SendPermit {
    let finished = false;
    return {
      done: () => {
        if (finished) return;
        finished = true;
        this.#inFlight--;
        // Clocks do not go back, so ends arrive in order; a clock that did would only be more cautious.
        const end = Math.max(this.#now(), this.#ends.at(-1) ?? Number.NEGATIVE_INFINITY);
        this.#ends.push(end);
        this.#wake?.();
      },
    };
  }
}
