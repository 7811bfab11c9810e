import type { StorageAdapter } from "grammy";
import type { Redis } from "./redis.ts";
import type { HeldLock } from "./update-gate.ts";

/**
 * Sessions in Redis (the same values under the same keys as grammY's `RedisAdapter`), written only while this
 * instance still holds the chat's lock (bot/update-gate.ts).
 *
 * While an update holds its chat's lock, the session costs no round trip of its own: the gate's script that took
 * the lock also read the session ({@link HeldLock.prefetched}), and a change is handed to the lock
 * ({@link HeldLock.pending}) for the script that releases it, which writes it only if the lock is still this
 * grant's. A write from an instance whose lease ran out (it was paused, or cut off from Redis, while another
 * instance took the chat over) is refused with `StaleLockError` instead of overwriting the newer session.
 * A session written back as it was read (/help, a fallback answer) is not written at all; its TTL then counts from
 * its last change (drafts expire after DRAFT_TTL_HOURS of no change anyway).
 *
 * Outside an update (no lock held: a script, a test) reads and writes go to Redis directly.
 */
export class FencedRedisSessionStorage<T> implements StorageAdapter<T> {
  /** What each held lock's session was read as, to tell an unchanged write. */
  private readonly readAs = new WeakMap<HeldLock, string>();

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly lockFor: (key: string) => HeldLock | undefined,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const lock = this.lockFor(key);
    let raw: string | null;
    if (lock?.prefetched !== undefined) {
      raw = lock.prefetched;
      lock.prefetched = undefined;
    } else {
      raw = await this.redis.get(key);
    }
    if (lock && raw !== null) this.readAs.set(lock, raw);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async write(key: string, value: T): Promise<void> {
    const json = JSON.stringify(value);
    const lock = this.lockFor(key);
    if (lock) {
      lock.pending =
        this.readAs.get(lock) === json ? undefined : { op: "set", value: json, ttlSeconds: this.ttlSeconds };
      return;
    }
    await this.redis.set(key, json, "EX", this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    const lock = this.lockFor(key);
    if (lock) {
      lock.pending = { op: "del" };
      return;
    }
    await this.redis.del(key);
  }
}
