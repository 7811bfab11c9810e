import type { StorageAdapter } from "grammy";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { SessionData } from "../handlers/common/session-data.ts";
import { boundedMemo } from "./bounded-memo.ts";
import type { Db } from "./db.ts";
import { EncryptedSessionStorage } from "./encrypted-session-storage.ts";
import { FencedRedisSessionStorage } from "./fenced-session-storage.ts";
import type { Redis } from "./redis.ts";
import type { HeldLock } from "./update-gate.ts";

/**
 * Where sessions live: Redis (written only under the chat's lock, see bot/fenced-session-storage.ts), or, without
 * `REDIS_URL`, the `sessions` table of the (embedded) database, so that drafts survive a restart on a laptop too.
 * Either way the values are encrypted as a whole (bot/encrypted-session-storage.ts) and expire after `ttlSeconds`
 * (the draft TTL): an abandoned draft is gone when the citizen is told it is.
 */
export function createSessionStorage(options: {
  redis: Redis | undefined;
  db: Db;
  cipher: DataCipher;
  ttlSeconds: number;
  /** The chat lock this instance holds for a key (bot/update-gate.ts): Redis reads and writes go through it. */
  lockFor?: (key: string) => HeldLock | undefined;
  /** Told when a stored session cannot be decrypted (it reads as none). */
  onUnreadable?: (error: unknown) => void;
}): StorageAdapter<SessionData> {
  const store: StorageAdapter<unknown> = options.redis
    ? new FencedRedisSessionStorage<unknown>(
        options.redis,
        options.ttlSeconds,
        options.lockFor ?? (() => undefined),
      )
    : new DatabaseSessionStorage(options.db, options.ttlSeconds);
  return new EncryptedSessionStorage<SessionData>(store, options.cipher, options.onUnreadable);
}

/**
 * Session storage in the database's `sessions` table; expired rows read as absent, are swept now and then on
 * write, and are deleted by the retention purge (domain/privacy/retention.ts).
 */
export class DatabaseSessionStorage<T = unknown> implements StorageAdapter<T> {
  private writes = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const row = await this.db.sessionRecord.findUnique({ where: { key } });
    if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
    return row.value as T;
  }

  async write(key: string, value: T): Promise<void> {
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const json = value as Prisma.InputJsonValue;
    await this.db.sessionRecord.upsert({
      where: { key },
      create: { key, value: json, expiresAt },
      update: { value: json, expiresAt },
    });
    if (++this.writes % 500 === 0)
      await this.db.sessionRecord.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }

  async delete(key: string): Promise<void> {
    await this.db.sessionRecord.deleteMany({ where: { key } });
  }
}

type SessionKeyOf = (ctx: { chat?: { id: number }; from?: { id: number } }) => string | undefined;
const sessionKeyFunctions = new WeakMap<DataCipher, SessionKeyOf>();

/**
 * Session key per chat and user (a user's private chat, and each officer separately in the staff group),
 * hashed so that storage keys do not carry Telegram ids. Asked for several times per update (the gate, the
 * session), so computed once per context object, and remembered for the chats seen lately.
 */
export function sessionKeyFor(cipher: DataCipher): SessionKeyOf {
  const existing = sessionKeyFunctions.get(cipher);
  if (existing) return existing;
  const perContext = new WeakMap<object, string>();
  const keyOfChat = boundedMemo(
    (chatAndUser: string) => `session:${cipher.hash("session", chatAndUser).slice(0, 32)}`,
  );
  const keyOf: SessionKeyOf = (ctx) => {
    if (!ctx.chat || !ctx.from) return undefined;
    let key = perContext.get(ctx);
    if (key === undefined) {
      key = keyOfChat(`${ctx.chat.id}:${ctx.from.id}`);
      perContext.set(ctx, key);
    }
    return key;
  };
  sessionKeyFunctions.set(cipher, keyOf);
  return keyOf;
}
