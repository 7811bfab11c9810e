import type { StorageAdapter } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncryptedSessionStorage } from "../../bot/encrypted-session-storage.ts";
import { connectRedis, type Redis } from "../../bot/redis.ts";
import { createSessionStorage } from "../../bot/session.ts";
import type { HeldLock } from "../../bot/update-gate.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { cleanupRedisPrefix, testRedis } from "../support/databases.ts";
import { type MigratedDatabase, migratedDatabase } from "../support/migrated-database.ts";

const OLD_KEY = Buffer.alloc(32, 1).toString("base64");
const NEW_KEY = Buffer.alloc(32, 2).toString("base64");
const cipher = createDataCipher(`k1:${OLD_KEY}`);

/** The store underneath, recording every write it is asked for. */
class RecordingStorage implements StorageAdapter<unknown> {
  readonly values = new Map<string, unknown>();
  readonly writes: Array<{ key: string; value: unknown }> = [];
  read(key: string) {
    return this.values.get(key);
  }
  write(key: string, value: unknown) {
    this.writes.push({ key, value });
    this.values.set(key, value);
  }
  delete(key: string) {
    this.values.delete(key);
  }
}

async function storedSession(session: SessionData, key = "session:a") {
  const inner = new RecordingStorage();
  await new EncryptedSessionStorage<SessionData>(inner, cipher).write(key, session);
  const stored = inner.values.get(key) as string;
  inner.writes.length = 0;
  return { inner, stored, storage: new EncryptedSessionStorage<SessionData>(inner, cipher) };
}

describe("encrypted sessions written back", () => {
  it("pass an unchanged session down as the ciphertext it was read from", async () => {
    const { inner, stored, storage } = await storedSession({ locale: "id" });
    const session = (await storage.read("session:a"))!;
    session.locale = "en";
    session.locale = "id"; // changed and changed back: the same JSON
    await storage.write("session:a", session);
    expect(inner.writes).toEqual([{ key: "session:a", value: stored }]);
  });

  it("encrypt a changed session anew", async () => {
    const { inner, stored, storage } = await storedSession({ locale: "id" });
    const session = (await storage.read("session:a"))!;
    session.locale = "en";
    await storage.write("session:a", session);
    const written = inner.writes[0]?.value as string;
    expect(written).not.toBe(stored);
    expect(JSON.parse(cipher.decrypt(written))).toEqual({ locale: "en" });
  });

  it("never give one key's ciphertext to another key", async () => {
    const { inner, stored, storage } = await storedSession({ locale: "id" });
    const session = (await storage.read("session:a"))!;
    await storage.write("session:b", session);
    const written = inner.writes[0]?.value as string;
    expect(written).not.toBe(stored);
    expect(JSON.parse(cipher.decrypt(written))).toEqual({ locale: "id" });
  });

  it("move a session an older key made to the current key, changed or not", async () => {
    const { inner, stored } = await storedSession({ locale: "id" });
    const rotated = createDataCipher(`k2:${NEW_KEY},k1:${OLD_KEY}`);
    const storage = new EncryptedSessionStorage<SessionData>(inner, rotated);
    const session = (await storage.read("session:a"))!;
    await storage.write("session:a", session);
    const written = inner.writes[0]?.value as string;
    expect(written).not.toBe(stored);
    expect(written).toMatch(/^v1\.k2\./);
  });
});

describe.runIf(testRedis().url)("an unchanged session in Redis, through bot/session.ts", () => {
  const { url, keyPrefix } = testRedis();
  const key = "session:unchanged";
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(url!, keyPrefix);
  });
  afterAll(async () => {
    await redis?.quit();
    await cleanupRedisPrefix(url, keyPrefix);
  });

  /**
   * The chain as bot/main.ts builds it, with the lock the gate holds while an update runs: the gate read the stored
   * session into it and writes what the store hands back (bot/update-gate.ts).
   */
  const duringAnUpdate = async (ttlSeconds: number) => {
    const lock: HeldLock = { token: "grant-1", prefetched: await redis.get(key) };
    const storage = createSessionStorage({ redis, db: {} as never, cipher, ttlSeconds, lockFor: () => lock });
    return { lock, storage };
  };

  it("is not handed back for writing; a changed one is, encrypted", async () => {
    await createSessionStorage({ redis, db: {} as never, cipher, ttlSeconds: 100 }).write(key, {
      locale: "id",
    });
    const stored = await redis.get(key);

    const first = await duringAnUpdate(5_000);
    await first.storage.write(key, (await first.storage.read(key))!);
    expect(first.lock.pending, "the unchanged session was handed back for writing").toBeUndefined();

    const second = await duringAnUpdate(5_000);
    const session = (await second.storage.read(key))!;
    session.locale = "en";
    await second.storage.write(key, session);
    const pending = second.lock.pending;
    expect(pending?.op).toBe("set");
    const written = pending?.op === "set" ? pending.value : "";
    expect(written).not.toBe(stored);
    expect(written).not.toContain("locale");
    expect(JSON.parse(cipher.decrypt(JSON.parse(written) as string))).toEqual({ locale: "en" });
  });
});

describe("an unchanged session in the embedded sessions table", () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
  });
  afterAll(() => db?.close());

  it("is written back as the same ciphertext, with its expiry renewed", async () => {
    const key = "session:embedded";
    await createSessionStorage({ redis: undefined, db: db.prisma, cipher, ttlSeconds: 100 }).write(key, {
      locale: "id",
    });
    const before = await db.rawQuery<{ value: string }>("SELECT value::text AS value FROM sessions");
    const later = createSessionStorage({ redis: undefined, db: db.prisma, cipher, ttlSeconds: 5_000 });
    await later.write(key, (await later.read(key))!);
    const after = await db.rawQuery<{ value: string; ttl: number }>(
      "SELECT value::text AS value, EXTRACT(EPOCH FROM (expires_at - now()))::float AS ttl FROM sessions",
    );
    expect(after).toHaveLength(1);
    expect(after[0]!.value).toBe(before[0]!.value);
    expect(after[0]!.ttl).toBeGreaterThan(100);
  });
});
