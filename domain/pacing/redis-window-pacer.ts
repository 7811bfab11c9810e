import { randomUUID } from "node:crypto";
import type { SendPacer, SendPermit } from "./send-pacer.ts";

/**
 * The one Redis call the pacer needs (ioredis' `eval` fits). Keys are prefixed by the client (ioredis
 * `keyPrefix`), so the instances of one deployment share them and tests stay apart.
 */
export interface RedisScriptClient {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Settings of a {@link RedisWindowPacer}. */
export interface RedisWindowPacerOptions {
  redis: RedisScriptClient;
  /** At most this many sends, over every instance together, in flight or completed ... */
  limit: number;
  /** ... within this many milliseconds. */
  windowMs: number;
  /**
   * The longest a send can take (the Bot API client's timeout): a send in flight counts as ending then, so the
   * sends of an instance that died mid-flight stop counting after `maxSendMs` + `windowMs`.
   */
  maxSendMs: number;
  /** Key of the window's sorted set; the pause key is derived from it. Default "pacer:broadcast". */
  key?: string;
  /** Longest single sleep between two tries, so that completions, an abort or a lifted pause are noticed. */
  maxSleepMs?: number;
  /** Waits `ms`; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Grants a send when fewer than `limit` sends are in flight or completed within the last `windowMs` (0 =
 * granted, else the milliseconds to wait). A granted send is stored with its latest possible end as its score;
 * {@link DONE} moves the score to the real end. Redis' own clock (`TIME`) is used, so instances with skewed
 * clocks share one window, and one script call is atomic: two instances cannot both take the last slot.
 * Whole milliseconds err on the safe side: a grant is stamped no later than it happened (floor), an end no
 * earlier (floor + 1), and an end counts until a full window has passed after it (scores below now − window go).
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[3]) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

/** Records that a send completed now (only if it is still in the window). */
const DONE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + 1
redis.call('ZADD', KEYS[1], 'XX', 'LT', now, ARGV[1])
return 1
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
 * The {@link SendPacer} shared by every instance through Redis (see send-pacer.ts for why sends are counted
 * until they complete): a sorted set of sends scored by their end, trimmed and counted in one Lua script, and a
 * pause key that a 429 sets for everyone. Used for announcements when `REDIS_URL` is set; without Redis only one
 * instance runs and {@link import("./send-pacer.ts").CompletionWindowPacer} does the same in memory.
 *
 * Waiters poll Redis, sleeping for the time Redis says the next slot opens (at most `maxSleepMs`, since a
 * completion may open one sooner): the limit always holds; strict first come, first served does not.
 */
export class RedisWindowPacer implements SendPacer {
  readonly limit: number;
  readonly windowMs: number;
  readonly #redis: RedisScriptClient;
  readonly #maxSendMs: number;
  readonly #windowKey: string;
  readonly #pauseKey: string;
  readonly #maxSleepMs: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #nonce = randomUUID();
  #sequence = 0;

  constructor(options: RedisWindowPacerOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new RangeError("limit must be an integer ≥ 1");
    if (!(options.windowMs > 0)) throw new RangeError("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = Math.round(options.windowMs);
    this.#maxSendMs = Math.max(1, Math.round(options.maxSendMs));
    this.#redis = options.redis;
    const key = options.key ?? "pacer:broadcast";
    this.#windowKey = `${key}:window`;
    this.#pauseKey = `${key}:pause`;
    this.#maxSleepMs = options.maxSleepMs ?? 50;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  async acquire(options: { signal?: AbortSignal } = {}): Promise<SendPermit> {
    const { signal } = options;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      this.#sequence += 1;
      const member = `${this.#nonce}:${this.#sequence}`;
      const wait = Number(
        await this.#redis.eval(
          ACQUIRE,
          2,
          this.#windowKey,
          this.#pauseKey,
          this.limit,
          this.windowMs,
          this.#maxSendMs,
          member,
        ),
      );
      if (wait <= 0) return this.#permit(member);
      await this.#sleep(Math.min(wait, this.#maxSleepMs), signal);
    }
  }

  async pauseFor(ms: number): Promise<void> {
    if (ms > 0) await this.#redis.eval(PAUSE, 1, this.#pauseKey, Math.ceil(ms));
  }

  #permit(member: string): SendPermit {
    let finished = false;
    return {
      done: () => {
        if (finished) return;
        finished = true;
        // If this fails the send keeps counting until its latest possible end: slower, never over the limit.
        this.#redis.eval(DONE, 1, this.#windowKey, member).catch(() => undefined);
      },
    };
  }
}
