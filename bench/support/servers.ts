import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

/** The PostgreSQL server the benchmarks create their throwaway databases on. */
export const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ||
  process.env.TEST_DATABASE_URL ||
  "postgresql://postgres@127.0.0.1:5432/test";
/** The Redis server the benchmarks use, each run under a key prefix of its own. */
export const REDIS_URL =
  process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

/** Thrown when a server a benchmark needs does not answer: the benchmark is skipped with this message. */
export class ServerMissing extends Error {}

/** Checks that PostgreSQL and Redis answer within two seconds; throws {@link ServerMissing} naming the absent one. */
export async function requireServers(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new ServerMissing(
      `PostgreSQL is not reachable at ${redact(POSTGRES_URL)} (${(error as Error).message}); ` +
        "start it or set BENCH_DATABASE_URL / TEST_DATABASE_URL",
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new ServerMissing(
      `Redis is not reachable at ${redact(REDIS_URL)} (${(error as Error).message}); ` +
        "start it or set BENCH_REDIS_URL / TEST_REDIS_URL",
    );
  } finally {
    redis.disconnect();
  }
}

/** A database of one benchmark on {@link POSTGRES_URL}; dropped at the end. */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `awasi_bench_${randomBytes(5).toString("hex")}`;
  await withClient(POSTGRES_URL, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withClient(POSTGRES_URL, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/** A Redis key prefix no one else uses, and the clean-up that deletes its keys (SCAN + DEL; the server is shared). */
export function benchRedisPrefix(): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `awasi-bench:${randomBytes(5).toString("hex")}:`;
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(REDIS_URL, { lazyConnect: true });
      await redis.connect();
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== "0");
      } finally {
        await redis.quit();
      }
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

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
