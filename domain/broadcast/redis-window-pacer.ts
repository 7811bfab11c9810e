import { randomUUID } from "node:crypto";
import type { Pacer } from "../pacing/sliding-window-pacer.ts";

/**
 * The one Redis call the pacer needs (ioredis' `eval` fits). Keys are prefixed by the client (ioredis
 * `keyPrefix`), so instances of one deployment share them and tests stay apart.
 */
export interface RedisScriptClient {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Settings of a {@link RedisWindowPacer}. */
export interface RedisWindowPacerOptions {
  redis: RedisScriptClient;
  /** At most this many grants, over every instance together, ... */
  limit: number;
  /** ... in any window of this many milliseconds. */
  windowMs: number;
  /** Key of the window's sorted set; the pause key is derived from it. Default "broadcast:pace". */
  key?: string;
  /** Longest single sleep between two tries, so that an abort or a lifted pause is noticed. Default 250 ms. */
  maxSleepMs?: number;
  /** Waits `ms`; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Grants a send when fewer than `limit` grants were made in the last `windowMs` by anyone (0 = granted, else the
 * milliseconds to wait). Redis' own clock (`TIME`) is used, so instances with skewed clocks share one window; a
 * pause (a 429's retry_after) holds every instance until it ends. One script call is atomic in Redis: two
 * instances cannot both take the last slot.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/** Pauses every instance until `ms` from now (Redis' clock), unless a longer pause is already set. */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + ms > current then redis.call('SET', KEYS[1], tostring(now + ms), 'PX', ms) end
return 1
`;

const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A sliding-window {@link Pacer} shared by every instance through Redis: at most `limit` grants in ANY window of
 * `windowMs`, counted over all processes that use the same Redis keys (a sorted set of grant timestamps, trimmed
 * and counted in one Lua script). Used for announcements when `REDIS_URL` is set; without Redis there is one
 * instance and the in-memory {@link SlidingWindowPacer} does the same job.
 *
 * Waiters poll Redis: a waiter sleeps for the time Redis says the next slot opens (at most `maxSleepMs`), so
 * order between waiters is not strictly first come, first served, but the limit always holds.
 */
export class RedisWindowPacer implements Pacer {
  readonly limit: number;
  readonly windowMs: number;
  readonly #redis: RedisScriptClient;
  readonly #windowKey: string;
  readonly #pauseKey: string;
  readonly #maxSleepMs: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #nonce = randomUUID();
  #grants = 0;

  constructor(options: RedisWindowPacerOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new RangeError("limit must be an integer ≥ 1");
    if (!(options.windowMs > 0)) throw new RangeError("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = Math.round(options.windowMs);
    this.#redis = options.redis;
    const key = options.key ?? "broadcast:pace";
    this.#windowKey = `${key}:window`;
    this.#pauseKey = `${key}:pause`;
    this.#maxSleepMs = options.maxSleepMs ?? 250;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  async acquire(options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      this.#grants += 1;
      const wait = Number(
        await this.#redis.eval(
          ACQUIRE,
          2,
          this.#windowKey,
          this.#pauseKey,
          this.limit,
          this.windowMs,
          `${this.#nonce}:${this.#grants}`,
        ),
      );
      if (wait <= 0) return;
      await this.#sleep(Math.min(wait, this.#maxSleepMs), signal);
    }
  }

  async pauseFor(ms: number): Promise<void> {
    if (ms > 0) await this.#redis.eval(PAUSE, 1, this.#pauseKey, Math.ceil(ms));
  }
}
