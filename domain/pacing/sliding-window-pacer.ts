/**
 * Pacing of outgoing Telegram messages under the Bot API's limits.
 *
 * Telegram's published guidance (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
 * about 1 message per second in one chat, no more than 20 messages per minute in one group, about 30 messages
 * per second overall for bulk notifications. Going over earns a 429 with `retry_after`, which {@link Pacer.pauseFor}
 * honours. The global preset keeps a margin for the bot's interactive replies.
 *
 * The pacer here is in memory and governs ONE process. Several instances (webhook mode behind a load balancer)
 * share one bot token and therefore one budget: they need a distributed pacer (e.g. a Redis sorted set of grant
 * timestamps per key, trimmed and counted in one Lua script) implementing the same {@link Pacer} interface, so
 * callers do not change when it is swapped in.
 */

import { WaiterQueue } from "./waiter-queue.ts";

/**
 * A source of permission to send that counts grants: {@link SlidingWindowPacer}. Budgets that must hold at
 * Telegram's end or across instances count sends until answered instead (send-pacer.ts).
 */
export interface Pacer {
  /**
   * Resolves when one send may happen now (the caller sends right after). Waiters are served first come,
   * first served. Rejects with the signal's reason when `signal` aborts first.
   */
  acquire(options?: { signal?: AbortSignal }): Promise<void>;
  /** Grants nothing until `ms` from now, to every waiter: honour a 429's `retry_after` (seconds × 1000). */
  pauseFor(ms: number): Promise<void>;
}

/** Settings of a {@link SlidingWindowPacer}. */
export interface SlidingWindowOptions {
  /** At most this many grants ... */
  limit: number;
  /** ... in any window of this many milliseconds. */
  windowMs: number;
  /** Clock in epoch milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`; injectable for tests (a fake advances the fake clock). Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

/** One group chat: 20 messages per minute. */
export const GROUP_CHAT_PACE = { limit: 20, windowMs: 60_000 } as const;
/** One private chat: about one message per second. */
export const PRIVATE_CHAT_PACE = { limit: 1, windowMs: 1_000 } as const;
/** All chats together: Telegram allows about 30 messages per second; 25 leaves room for replies to users. */
export const GLOBAL_PACE = { limit: 25, windowMs: 1_000 } as const;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * At most `limit` grants in ANY window of `windowMs` milliseconds: a true sliding window over the timestamps of
 * the grants, so there is no burst of 2 × `limit` across the edge of two fixed windows. The k-th grant waits until
 * the (k − limit)-th is `windowMs` old.
 *
 * Waiters are served strictly in FIFO order by one internal loop, which sleeps exactly until the next grant is
 * possible (window or pause), so an idle pacer holds no timer.
 *
 * To pace one send against several pacers (a group and the global budget), acquire the slow one (the chat) first
 * and the fast one (global) last, right before the send: a grant is recorded when given, and holding a chat grant
 * while waiting seconds for the global one would let the chat's real send times bunch up.
 *
 * @example
 * const pacer = new SlidingWindowPacer({ limit: 20, windowMs: 60_000 });
 * await pacer.acquire();
 * await api.sendMessage(chatId, text);
 */
export class SlidingWindowPacer implements Pacer {
  readonly limit: number;
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** Timestamps of the last `limit` grants, oldest first. */
  readonly #grants: number[] = [];
  readonly #waiters = new WaiterQueue<void>();
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #pumping = false;

  constructor(options: SlidingWindowOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new RangeError("limit must be an integer ≥ 1");
    if (!(options.windowMs > 0)) throw new RangeError("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  acquire(options: { signal?: AbortSignal } = {}): Promise<void> {
    const granted = this.#waiters.wait(options.signal);
    this.#pump();
    return granted;
  }

  pauseFor(ms: number): Promise<void> {
    if (ms > 0) this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    return Promise.resolve();
  }

  /** How many callers wait for a grant. */
  pending(): number {
    return this.#waiters.length;
  }

  /**
   * Whether forgetting this pacer would change nothing: nobody waits, no pause is running and no grant is
   * recent enough to hold back a future one. {@link createKeyedPacer} drops idle pacers.
   */
  isIdle(): boolean {
    const now = this.#now();
    const last = this.#grants.at(-1);
    return (
      this.#waiters.length === 0 &&
      !this.#pumping &&
      now >= this.#pausedUntil &&
      (last === undefined || now - last >= this.windowMs)
    );
  }

  /** Milliseconds until the next grant is allowed; 0 = now. */
  #delay(now: number): number {
    const pause = this.#pausedUntil - now;
    const oldest =
      this.#grants.length >= this.limit ? this.#grants[this.#grants.length - this.limit] : undefined;
    const window = oldest === undefined ? 0 : oldest + this.windowMs - now;
    return Math.max(0, pause, window);
  }

  /** Serves waiters in order; one loop at a time. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void this.#run().finally(() => {
      this.#pumping = false;
      // A waiter may have arrived between the loop's last check and this point.
      if (this.#waiters.length > 0) this.#pump();
    });
  }

  async #run(): Promise<void> {
    while (this.#waiters.length > 0) {
      const now = this.#now();
      const delay = this.#delay(now);
      if (delay > 0) {
        try {
          await this.#sleep(delay);
        } catch {
          // A failing injected sleep must not strand the waiters: check the clock again.
        }
        continue;
      }
      this.#grants.push(now);
      if (this.#grants.length > this.limit) this.#grants.shift();
      this.#waiters.serveNext();
    }
  }
}

/** Options for {@link createKeyedPacer}. */
export interface KeyedPacerOptions {
  /** Clock for the idle sweep; pass the same fake clock as the pacers' in tests. Default `Date.now`. */
  now?: () => number;
  /** How often at most to look for idle pacers to drop. Default 60 s. */
  sweepEveryMs?: number;
}

/** One {@link SlidingWindowPacer} per key (a chat id), created on first use and dropped when idle. */
export interface KeyedPacer<K> {
  /** Waits for a grant of `key`'s pacer. */
  acquire(key: K, options?: { signal?: AbortSignal }): Promise<void>;
  /** Pauses `key`'s pacer (a 429 in that chat). */
  pauseFor(key: K, ms: number): Promise<void>;
  /** Waiters for `key`, or for all keys when none is given. */
  pending(key?: K): number;
  /** How many pacers are held. */
  size(): number;
  /** Drops every idle pacer now (also done on use, at most every `sweepEveryMs`). */
  prune(): void;
}

/**
 * Keeps one pacer per key, e.g. per chat id with {@link GROUP_CHAT_PACE} or {@link PRIVATE_CHAT_PACE}. A pacer is
 * dropped only when {@link SlidingWindowPacer.isIdle} (no waiter, no pause, no grant within its window), so
 * dropping it never lets a chat exceed its limit, and memory stays proportional to the recently active chats.
 *
 * @example
 * const perChat = createKeyedPacer((chatId: number) => (chatId < 0 ? GROUP_CHAT_PACE : PRIVATE_CHAT_PACE));
 * await perChat.acquire(chatId);
 */
export function createKeyedPacer<K>(
  optionsFor: (key: K) => SlidingWindowOptions,
  keyedOptions: KeyedPacerOptions = {},
): KeyedPacer<K> {
  const now = keyedOptions.now ?? Date.now;
  const sweepEveryMs = keyedOptions.sweepEveryMs ?? 60_000;
  const pacers = new Map<K, SlidingWindowPacer>();
  let lastSweep = now();

  const prune = (): void => {
    lastSweep = now();
    for (const [key, pacer] of pacers) if (pacer.isIdle()) pacers.delete(key);
  };
  const maybePrune = (): void => {
    if (now() - lastSweep >= sweepEveryMs) prune();
  };
  const pacerFor = (key: K): SlidingWindowPacer => {
    maybePrune();
    let pacer = pacers.get(key);
    if (!pacer) {
      pacer = new SlidingWindowPacer(optionsFor(key));
      pacers.set(key, pacer);
    }
    return pacer;
  };

  return {
    acquire: (key, options) => pacerFor(key).acquire(options),
    pauseFor: (key, ms) => pacerFor(key).pauseFor(ms),
    pending: (key) => {
      if (key !== undefined) return pacers.get(key)?.pending() ?? 0;
      let total = 0;
      for (const pacer of pacers.values()) total += pacer.pending();
      return total;
    },
    size: () => pacers.size,
    prune,
  };
}
