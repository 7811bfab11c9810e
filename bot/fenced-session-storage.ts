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
  /**
   * The JSON read for a key and the fencing token it was read under. grammY writes the session back after every
   * update that read it, changed or not; an update that changed nothing (/help, a fallback answer) skips that
   * write (one Redis round trip of about five per update). Only under the same lock grant: a value read by an
   * earlier update is never taken for the current one. A skipped write does not extend the session's TTL, which
   * therefore counts from its last change (drafts expire after DRAFT_TTL_HOURS of no change anyway).
   */
  private readonly lastRead = new Map<string, { json: string; token: string }>();

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly fenceFor: (key: string) => string | undefined,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    const token = this.fenceFor(key);
    if (raw !== null && token !== undefined) {
      if (this.lastRead.size >= MAX_REMEMBERED) this.lastRead.clear();
      this.lastRead.set(key, { json: raw, token });
    }
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async write(key: string, value: T): Promise<void> {
    const token = this.fenceFor(key) ?? "";
    const json = JSON.stringify(value);
    const read = this.lastRead.get(key);
    this.lastRead.delete(key);
    if (read !== undefined && read.token === token && read.json === json) return;
    const ok = await this.redis.eval(FENCED_SET, 2, key, lockKeyOf(key), json, this.ttlSeconds, token);
    if (Number(ok) !== 1) throw new StaleLockError();
  }

  async delete(key: string): Promise<void> {
    this.lastRead.delete(key);
    const ok = await this.redis.eval(FENCED_DEL, 2, key, lockKeyOf(key), this.fenceFor(key) ?? "");
    if (Number(ok) !== 1) throw new StaleLockError();
  }
}

/** Keys remembered at most (those of updates in flight, and of updates that failed before writing). */
const MAX_REMEMBERED = 10_000;

/** This instance's lock on a chat expired and another instance holds it now: its session is not overwritten. */
export class StaleLockError extends Error {
  constructor() {
    super("the chat's lock passed to another instance; this session write was refused");
    this.name = "StaleLockError";
  }
}
