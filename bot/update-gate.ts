import type { Context, MiddlewareFn } from "grammy";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";
import type { Logger } from "./logger.ts";
import type { Redis } from "./redis.ts";

/**
 * One chat's updates are handled one at a time: in this process in the order they arrived (a queue per session
 * key), and across instances by a Redis lock; an update Telegram delivers twice is handled once.
 *
 * Why a lock with a fencing token rather than a compare-and-set on a session version: a handler's effects are
 * not only the session. It sends messages, edits the review, writes tickets. With compare-and-set, the loser of a
 * race would have to undo or repeat all of that (a second "album received", a step answered twice); with a lock
 * the second update simply waits until the first is done, then runs on the session the first wrote. The lock is a
 * lease (it expires if an instance dies), so a paused or partitioned instance could in theory outlive its lease:
 * the fencing token (a number that grows with every grant) is checked by the release script, which writes the
 * session only while the lock still holds this grant's token and otherwise refuses ({@link StaleLockError}) rather
 * than overwrite a session another instance holds the lock for now.
 *
 * De-duplication: after an update is handled, its `update_id` (keyed-hashed: Redis keys carry no Telegram ids)
 * is recorded for a day (Telegram keeps undelivered updates for 24 hours). The record is checked once the chat's
 * lock is held, so a redelivery that arrives while the first delivery is still running waits for it and is then
 * skipped; if the first instance died instead, the lease expires and the redelivery is handled.
 * An update that failed is not recorded, so a redelivery may retry it.
 */
export interface UpdateGate {
  /** Middleware: waits for the chat's turn, handles the update unless it was handled already, releases the turn. */
  middleware: MiddlewareFn<Context>;
  /** The lock held for a session key right now, if any (the session store reads and writes through it). */
  lockFor(sessionKey: string): HeldLock | undefined;
  /** How many updates the sender sent in the flood window, this one included (undefined: not counted). */
  floodHitsOf(ctx: Context): number | undefined;
}

/**
 * A chat's lock while one update runs, shared with the session store (bot/fenced-session-storage.ts): the session
 * is read in the script that takes the lock, and written in the script that releases it, so that an update costs
 * two Redis round trips in all.
 */
export interface HeldLock {
  /** The fencing token of this grant. */
  token: string;
  /** The stored session as read when the lock was taken (null: none), until the store takes it. */
  prefetched?: string | null;
  /** A session change the store handed over, written by the release only while the lock is still ours. */
  pending?: { op: "set"; value: string; ttlSeconds: number } | { op: "del" };
}

/** Whose updates the gate counts for the flood limit (undefined key: not counted), in windows of `windowMs`. */
export interface FloodCounting {
  keyOf: (ctx: Context) => string | undefined;
  windowMs: number;
}

/** Options of {@link createUpdateGate}. */
export interface UpdateGateOptions {
  /** Shared by the instances; without it (one instance) the queue per chat is the lock and dedup is in memory. */
  redis: Redis | undefined;
  cipher: DataCipher;
  /** The session key of an update (per chat and user), or undefined when it has none. */
  keyOf: (ctx: Context) => string | undefined;
  logger: Logger;
  /** Counts each sender's updates in a fixed window (the flood limit). */
  flood?: FloodCounting;
  /** Lock lease; renewed every third of it while the update runs (default 30 s). */
  leaseMs?: number;
  /** Longest wait for another instance's lock before giving up on the update (default 2 leases). */
  maxWaitMs?: number;
  /** How long a handled update_id is remembered (default 24 h). */
  dedupTtlSeconds?: number;
}

/**
 * Takes a chat's lock in one round trip: unless the update was handled already (-1) or another instance holds the
 * chat (0), grants a new fencing token and returns it with the stored session and, when a flood key is given, the
 * sender's count in the current window.
 * KEYS: lock, fence counter, dedup record, session[, flood counter]. ARGV: lease ms[, flood window ms].
 */
const BEGIN = `
if redis.call('EXISTS', KEYS[3]) == 1 then return {-1} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
local hits = 0
if KEYS[5] then
  hits = redis.call('INCR', KEYS[5])
  if hits == 1 then redis.call('PEXPIRE', KEYS[5], ARGV[2]) end
end
return {token, hits, redis.call('GET', KEYS[4])}`;

/**
 * Ends an update in one round trip: writes the session change (only while the lock is still this grant's:
 * otherwise 0, nothing written, so a paused instance cannot overwrite a newer session), records the update as
 * handled, and releases the lock.
 * KEYS: lock, dedup record, session. ARGV: token, handled '1'|'0', dedup TTL s, '' | 'set' | 'del', value, TTL s.
 */
const END = `
local mine = redis.call('GET', KEYS[1]) == ARGV[1]
if ARGV[4] ~= '' and not mine then return 0 end
if ARGV[4] == 'set' then redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6]) end
if ARGV[4] == 'del' then redis.call('DEL', KEYS[3]) end
if ARGV[2] == '1' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
if mine then redis.call('DEL', KEYS[1]) end
return 1`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Key of the counter that hands out fencing tokens. */
const FENCE_COUNTER = "lock-fence";
/** Redis key of a session key's lock (session keys are already keyed hashes). */
export const lockKeyOf = (sessionKey: string): string => `lock:${sessionKey}`;
const IN_MEMORY_DEDUP = 10_000;

/** Builds the gate; see {@link UpdateGate}. */
export function createUpdateGate(options: UpdateGateOptions): UpdateGate {
  const leaseMs = options.leaseMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? 2 * leaseMs;
  const dedupTtl = options.dedupTtlSeconds ?? 24 * 3600;
  const held = new Map<string, HeldLock>();
  const inTurn = chatQueue();
  const floodHits = new WeakMap<Context, number>();
  const dedupKey = (updateId: number) =>
    `upd:${options.cipher.hash("updateDedup", String(updateId)).slice(0, 32)}`;

  if (!options.redis) {
    const seen = new Set<number>();
    const remember = (id: number) => {
      seen.add(id);
      if (seen.size > IN_MEMORY_DEDUP) seen.delete(seen.values().next().value as number);
    };
    const countFlood = options.flood ? inMemoryWindowCounter(options.flood.windowMs) : undefined;
    const handle = async (ctx: Context, next: () => Promise<void>) => {
      const floodKey = options.flood?.keyOf(ctx);
      if (floodKey !== undefined && countFlood) floodHits.set(ctx, countFlood(floodKey));
      await next();
      remember(ctx.update.update_id);
    };
    return {
      lockFor: () => undefined,
      floodHitsOf: (ctx) => floodHits.get(ctx),
      middleware: async (ctx, next) => {
        const id = ctx.update.update_id;
        const sessionKey = options.keyOf(ctx);
        if (sessionKey !== undefined) {
          await inTurn(sessionKey, async () => (seen.has(id) ? undefined : handle(ctx, next)));
          return;
        }
        // No key to queue by: claimed up front, so that a redelivery arriving meanwhile is skipped.
        if (seen.has(id)) return;
        remember(id);
        await handle(ctx, next);
      },
    };
  }
  const redis = options.redis as ScriptedRedis;
  redis.defineCommand("awasiGateBegin", { lua: BEGIN });
  redis.defineCommand("awasiGateEnd", { lua: END });
  redis.defineCommand("awasiGateRenew", { numberOfKeys: 1, lua: RENEW });

  type Granted = { token: string; hits: number; session: string | null };
  const acquire = async (keys: string[], args: number[]): Promise<Granted | "duplicate"> => {
    const deadline = Date.now() + maxWaitMs;
    let pause = 10;
    for (;;) {
      const [result, hits, session] = await redis.awasiGateBegin(keys.length, ...keys, ...args);
      if (result === -1) return "duplicate";
      if (result > 0) return { token: String(result), hits: Number(hits), session: session ?? null };
      if (Date.now() > deadline) throw new ChatBusyError();
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(200, pause * 2);
    }
  };

  const release = async (
    lockKey: string,
    dedup: string,
    sessionKey: string,
    token: string,
    handled: boolean,
    pending: HeldLock["pending"],
  ): Promise<void> => {
    const args = [token, handled ? "1" : "0", dedupTtl, pending?.op ?? ""];
    if (pending?.op === "set") args.push(pending.value, pending.ttlSeconds);
    let ended: number;
    try {
      ended = await redis.awasiGateEnd(3, lockKey, dedup, sessionKey, ...args);
    } catch (error) {
      if (pending) throw error; // the session change is not stored: the user is told to try again
      // The lease ends by itself; a lost dedup record only risks handling a redelivery again.
      options.logger.warn({ err: error }, "could not release a chat lock");
      return;
    }
    if (Number(ended) !== 1) throw new StaleLockError();
  };

  // Every lock held renewed every third of the lease, by one timer for all (not one timer per update).
  setInterval(() => {
    for (const [sessionKey, lock] of held) {
      redis.awasiGateRenew(lockKeyOf(sessionKey), lock.token, leaseMs).then(
        (kept) => {
          if (Number(kept) !== 1) options.logger.warn("chat lock lost while handling an update");
        },
        () => undefined,
      );
    }
  }, leaseMs / 3).unref();

  /** One update under the chat's Redis lock (this process's earlier updates of the chat are done). */
  const handleLocked = async (ctx: Context, next: () => Promise<void>, sessionKey: string): Promise<void> => {
    const dedup = dedupKey(ctx.update.update_id);
    const lockKey = lockKeyOf(sessionKey);
    const floodKey = options.flood?.keyOf(ctx);
    const keys = [lockKey, FENCE_COUNTER, dedup, sessionKey];
    const args = [leaseMs];
    if (floodKey !== undefined && options.flood) {
      keys.push(floodKey);
      args.push(options.flood.windowMs);
    }
    const granted = await acquire(keys, args);
    if (granted === "duplicate") {
      options.logger.debug({ update_id: ctx.update.update_id }, "duplicate update skipped");
      return;
    }
    const lock: HeldLock = { token: granted.token, prefetched: granted.session };
    held.set(sessionKey, lock);
    if (floodKey !== undefined) floodHits.set(ctx, granted.hits);
    let handled = false;
    try {
      await next();
      handled = true;
    } finally {
      held.delete(sessionKey);
      // A failed update leaves its session as it was and is not recorded, so a redelivery may retry it.
      await release(lockKey, dedup, sessionKey, lock.token, handled, handled ? lock.pending : undefined);
    }
  };

  return {
    lockFor: (sessionKey) => held.get(sessionKey),
    floodHitsOf: (ctx) => floodHits.get(ctx),
    middleware: async (ctx, next) => {
      const sessionKey = options.keyOf(ctx);
      if (sessionKey === undefined) {
        // No chat or user to order by (e.g. a poll's state): only the duplicate check, claimed up front.
        if ((await redis.set(dedupKey(ctx.update.update_id), "1", "EX", dedupTtl, "NX")) === null) return;
        await next();
        return;
      }
      await inTurn(sessionKey, () => handleLocked(ctx, next, sessionKey));
    },
  };
}

/** The gate's scripts, defined on the connection (ioredis sends them by SHA once Redis has them). */
type ScriptedRedis = Redis & {
  awasiGateBegin(
    numKeys: number,
    ...keysAndArgs: Array<string | number>
  ): Promise<[number, number?, string?]>;
  awasiGateEnd(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  awasiGateRenew(lockKey: string, token: string, leaseMs: number): Promise<number>;
};

/**
 * Runs the tasks given for one key one after another, in the order given; tasks of different keys run at once.
 * A task runs after the one before it settled, whether it succeeded or failed.
 */
function chatQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const last = new Map<string, Promise<unknown>>();
  return async (key, task) => {
    const before = last.get(key);
    const mine = before === undefined ? task() : before.then(task, task);
    last.set(key, mine);
    try {
      return await mine;
    } finally {
      if (last.get(key) === mine) last.delete(key);
    }
  };
}

/** Counts per key in fixed windows, in this process (one instance without Redis). */
function inMemoryWindowCounter(windowMs: number): (key: string) => number {
  let windowStart = Date.now();
  let counts = new Map<string, number>();
  return (key) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    return count;
  };
}

/** This instance's lock on a chat expired and another instance holds it now: its session is not overwritten. */
export class StaleLockError extends Error {
  constructor() {
    super("the chat's lock passed to another instance; this session write was refused");
    this.name = "StaleLockError";
  }
}

/** Another instance held a chat's lock for longer than the gate waits: the update is not handled. */
export class ChatBusyError extends Error {
  constructor() {
    super("timed out waiting for another instance's lock on this chat");
    this.name = "ChatBusyError";
  }
}
