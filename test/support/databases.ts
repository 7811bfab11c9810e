import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

/** A database owned by one test run; `url` is undefined when the bot should use its embedded database. */
export interface TestDatabase {
  url: string | undefined;
  /** Drops the database (closing its connections); a no-op for the embedded one. */
  drop(): Promise<void>;
}

/**
 * With `TEST_DATABASE_URL` set (e.g. postgresql://postgres@127.0.0.1:5432/test), creates a fresh database
 * `awasi_t_<random hex>` on that server and returns its URL; otherwise `{ url: undefined }`, meaning the bot
 * uses its embedded database (give it a {@link tempDataDir}).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { url: undefined, drop: async () => {} };
  const name = `awasi_t_${randomBytes(6).toString("hex")}`;
  await withClient(base, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** Redis for one test: `TEST_REDIS_URL` (undefined = embedded session storage) and a key prefix of its own. */
export interface TestRedis {
  url: string | undefined;
  /** Unique per call, e.g. "awasi-test:3f9a1c2b7d4e:". */
  keyPrefix: string;
}

/** The Redis server for tests, if any, and a key prefix that no other test uses. */
export function testRedis(): TestRedis {
  return {
    url: process.env.TEST_REDIS_URL || undefined,
    keyPrefix: `awasi-test:${randomBytes(6).toString("hex")}:`,
  };
}

/** Deletes every key starting with `prefix` (SCAN + DEL, never KEYS or FLUSHDB: other tests share the server). */
export async function cleanupRedisPrefix(url: string | undefined, prefix: string): Promise<number> {
  if (!url) return 0;
  if (prefix.length < 4 || prefix.includes("*"))
    throw new Error(`refusing to delete keys with prefix "${prefix}"`);
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
  return deleted;
}

/** A temporary directory (e.g. for the embedded database) that `remove()` deletes with its contents. */
export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates a fresh directory under the OS temp dir. */
export async function tempDataDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), "awasi-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
