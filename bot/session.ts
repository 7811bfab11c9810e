import type { StorageAdapter } from "grammy";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { SessionData } from "../handlers/common/session-data.ts";
import type { Db } from "./db.ts";
import { FencedRedisSessionStorage } from "./fenced-session-storage.ts";
import type { Redis } from "./redis.ts";

/**
 * Where sessions live: Redis (written only under the chat's lock, see bot/fenced-session-storage.ts), or, without `REDIS_URL`, the `sessions` table of
 * the (embedded) database, so that drafts survive a restart on a laptop too.
 */
export function createSessionStorage(options: {
  redis: Redis | undefined;
  db: Db;
  ttlSeconds: number;
  /** The fencing token of the chat lock this instance holds (bot/update-gate.ts); Redis writes check it. */
  fenceFor?: (key: string) => string | undefined;
}): StorageAdapter<SessionData> {
  if (options.redis)
    return new FencedRedisSessionStorage<SessionData>(
      options.redis,
      options.ttlSeconds,
      options.fenceFor ?? (() => undefined),
    );
  return new DatabaseSessionStorage(options.db, options.ttlSeconds);
}

/** Session storage in the database's `sessions` table; expired rows read as absent and are swept on write. */
export class DatabaseSessionStorage implements StorageAdapter<SessionData> {
  private writes = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
  ) {}

  async read(key: string): Promise<SessionData | undefined> {
    const row = await this.db.sessionRecord.findUnique({ where: { key } });
    if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
    return row.value as SessionData;
  }

  async write(key: string, value: SessionData): Promise<void> {
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

/**
 * Session key per chat and user (a user's private chat, and each officer separately in the staff group),
 * hashed so that storage keys do not carry Telegram ids.
 */
export function sessionKeyFor(cipher: DataCipher) {
  return (ctx: { chat?: { id: number }; from?: { id: number } }): string | undefined => {
    if (!ctx.chat || !ctx.from) return undefined;
    return `session:${cipher.hash("session", `${ctx.chat.id}:${ctx.from.id}`).slice(0, 32)}`;
  };
}
