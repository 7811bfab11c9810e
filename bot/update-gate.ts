import type { Context, MiddlewareFn } from "grammy";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";
import type { Logger } from "./logger.ts";
import type { Redis } from "./redis.ts";

/**
 * Several instances: one chat's updates are handled by one instance at a time, and an update Telegram delivers
 * twice is handled once.
 *
 * Why a lock with a fencing token rather than a compare-and-set on a session version: a handler's effects are
 * not only the session. It sends messages, edits the review, writes tickets. With compare-and-set, the loser of a
 * race would have to undo or repeat all of that (a second "album received", a step answered twice); with a lock
 * the second update simply waits until the first is done, then runs on the session the first wrote. The lock is a
 * lease (it expires if an instance dies), so a paused or partitioned instance could in theory outlive its lease:
 * the fencing token (a number that grows with every grant) is checked by the session write, which refuses to
 * overwrite a session another instance holds the lock for now (see {@link FencedRedisSessionStorage}).
 *
 * De-duplication: after an update is handled, its `update_id` (keyed-hashed: Redis keys carry no Telegram ids)
 * is recorded for a day (Telegram keeps undelivered updates for 24 hours). The record is checked once the chat's
 * lock is held, so a redelivery that arrives while the first delivery is still running waits for it and is then
 * skipped; if the first instance died instead, the lease expires and the redelivery is handled.
 * An update that failed is not recorded, so a redelivery may retry it.
 */
export interface UpdateGate {
  /** Middleware: after `sequentialize` (which orders a chat's updates inside this process). */
  middleware: MiddlewareFn<Context>;
  /** The fencing token of the lock held for a session key right now, if any. */
  fenceFor(sessionKey: string): string | undefined;
}

/** Options of {@link createUpdateGate}. */
export interface UpdateGateOptions {
  /** Shared by the instances; without it (one instance) locks are `sequentialize` alone and dedup is in memory. */
  redis: Redis | undefined;
  cipher: DataCipher;
  /** The session key of an update (per chat and user), or undefined when it has none. */
  keyOf: (ctx: Context) => string | undefined;
  logger: Logger;
  /** Lock lease; renewed every third of it while the update runs (default 30 s). */
  leaseMs?: number;
  /** Longest wait for another instance's lock before giving up on the update (default 2 leases). */
  maxWaitMs?: number;
  /** How long a handled update_id is remembered (default 24 h). */
  dedupTtlSeconds?: number;
}

const ACQUIRE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token`;

const RELEASE = `
if ARGV[2] == '1' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

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
  const held = new Map<string, string>();
  const dedupKey = (updateId: number) =>
    `upd:${options.cipher.hash("updateDedup", String(updateId)).slice(0, 32)}`;

  if (!options.redis) {
    const seen = new Set<number>();
    return {
      fenceFor: () => undefined,
      middleware: async (ctx, next) => {
        const id = ctx.update.update_id;
        if (seen.has(id)) return;
        // Without a key sequentialize does not order the update: claim it up front.
        const claimFirst = options.keyOf(ctx) === undefined;
        if (claimFirst) seen.add(id);
        await next();
        seen.add(id);
        if (seen.size > IN_MEMORY_DEDUP) seen.delete(seen.values().next().value as number);
      },
    };
  }
  const redis = options.redis;

  const acquire = async (lockKey: string, dedup: string): Promise<string | "duplicate"> => {
    const deadline = Date.now() + maxWaitMs;
    let pause = 10;
    for (;;) {
      const result = Number(await redis.eval(ACQUIRE, 3, lockKey, FENCE_COUNTER, dedup, leaseMs));
      if (result === -1) return "duplicate";
      if (result > 0) return String(result);
      if (Date.now() > deadline) throw new ChatBusyError();
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(200, pause * 2);
    }
  };

  return {
    fenceFor: (sessionKey) => held.get(sessionKey),
    middleware: async (ctx, next) => {
      const dedup = dedupKey(ctx.update.update_id);
      const sessionKey = options.keyOf(ctx);
      if (sessionKey === undefined) {
        // No chat or user to order by (e.g. a poll's state): only the duplicate check, claimed up front.
        if ((await redis.set(dedup, "1", "EX", dedupTtl, "NX")) === null) return;
        await next();
        return;
      }
      const lockKey = lockKeyOf(sessionKey);
      const token = await acquire(lockKey, dedup);
      if (token === "duplicate") {
        options.logger.debug({ update_id: ctx.update.update_id }, "duplicate update skipped");
        return;
      }
      held.set(sessionKey, token);
      const renewal = setInterval(() => {
        redis.eval(RENEW, 1, lockKey, token, leaseMs).then(
          (kept) => {
            if (Number(kept) !== 1) options.logger.warn("chat lock lost while handling an update");
          },
          () => undefined,
        );
      }, leaseMs / 3);
      renewal.unref();
      let handled = false;
      try {
        await next();
        handled = true;
      } finally {
        clearInterval(renewal);
        held.delete(sessionKey);
        await redis
          .eval(RELEASE, 2, lockKey, dedup, token, handled ? "1" : "0", dedupTtl)
          .catch((error: unknown) => {
            // The lease ends by itself; a lost dedup record only risks handling a redelivery again.
            options.logger.warn({ err: error }, "could not release a chat lock");
          });
      }
    },
  };
}

/** Another instance held a chat's lock for longer than the gate waits: the update is not handled. */
export class ChatBusyError extends Error {
  constructor() {
    super("timed out waiting for another instance's lock on this chat");
    this.name = "ChatBusyError";
  }
}
