import { access } from "node:fs/promises";
import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { cleanupRedisPrefix, createTestDatabase, tempDataDir, testRedis } from "../support/databases.ts";

describe("test databases", () => {
  it.skipIf(!process.env.TEST_DATABASE_URL)("creates a database of its own and drops it", async () => {
    const db = await createTestDatabase();
    expect(db.url).toMatch(/\/awasi_t_[0-9a-f]{12}$/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("CREATE TABLE t (id int)");
    await client.end();
    await db.drop();

    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const name = new URL(db.url ?? "").pathname.slice(1);
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    await admin.end();
    expect(found.rowCount).toBe(0);
  });

  it("falls back to the embedded database without TEST_DATABASE_URL", async () => {
    const saved = process.env.TEST_DATABASE_URL;
    delete process.env.TEST_DATABASE_URL;
    try {
      const db = await createTestDatabase();
      expect(db.url).toBeUndefined();
      await db.drop();
    } finally {
      if (saved !== undefined) process.env.TEST_DATABASE_URL = saved;
    }
  });

  it.skipIf(!process.env.TEST_REDIS_URL)("deletes only the keys of its own prefix", async () => {
    const mine = testRedis();
    const other = testRedis();
    expect(mine.keyPrefix).not.toBe(other.keyPrefix);
    const redis = new Redis(mine.url ?? "");
    await redis.set(`${mine.keyPrefix}a`, "1");
    await redis.set(`${mine.keyPrefix}b`, "1");
    await redis.set(`${other.keyPrefix}a`, "1");
    expect(await cleanupRedisPrefix(mine.url, mine.keyPrefix)).toBe(2);
    expect(await redis.exists(`${other.keyPrefix}a`)).toBe(1);
    await cleanupRedisPrefix(other.url, other.keyPrefix);
    await redis.quit();
  });

  it("creates and removes a temporary data directory", async () => {
    const dir = await tempDataDir();
    await access(dir.path);
    await dir.remove();
    await expect(access(dir.path)).rejects.toThrow();
  });
});
