import type { StorageAdapter } from "grammy";
import type { Redis } from "./redis.ts";
import { lockKeyOf } from "./update-gate.ts";

const FENCED_SET = `
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

const FENCED_DEL = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * Sessions in Redis (the same JSON under the same keys as grammY's `RedisAdapter`, so existing sessions stay
 * readable), written only while this instance still holds the chat's lock: the write compares the lock's value
 * with the fencing token this instance was granted, in one script. A write from an instance whose lease ran out
 * (it was paused, or cut off from Redis, while another instance took the chat over) is refused with
 * {@link StaleLockError} instead of overwriting the newer session.
 */
export class FencedRedisSessionStorage<T> implements StorageAdapter<T> {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly fenceFor: (key: string) => string | undefined,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async write(key: string, value: T): Promise<void> {
    const token = this.fenceFor(key) ?? "";
    const ok = await this.redis.eval(
      FENCED_SET,
      2,
      key,
      lockKeyOf(key),
      JSON.stringify(value),
      this.ttlSeconds,
      token,
    );
    if (Number(ok) !== 1) throw new StaleLockError();
  }

  async delete(key: string): Promise<void> {
    const ok = await this.redis.eval(FENCED_DEL, 2, key, lockKeyOf(key), this.fenceFor(key) ?? "");
    if (Number(ok) !== 1) throw new StaleLockError();
  }
}

/** This instance's lock on a chat expired and another instance holds it now: its session is not overwritten. */
export class StaleLockError extends Error {
  constructor() {
    super("the chat's lock passed to another instance; this session write was refused");
    this.name = "StaleLockError";
  }
}
