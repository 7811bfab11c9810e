import { Redis } from "ioredis";

export type { Redis };

/**
 * Connects to `REDIS_URL` with every key under `keyPrefix`. The only importer of ioredis. Resolves once the
 * server answers, so a wrong URL stops the start instead of failing the first update.
 *
 * Auto-pipelining: commands issued in the same event-loop tick (the lock, session and rate-limit commands of
 * the updates in flight) go out in one write. Each update makes about five round trips to Redis; sent one write
 * each, their system calls and context switches were the largest item of the webhook profile (bench/RESULTS.md).
 */
export async function connectRedis(url: string, keyPrefix: string): Promise<Redis> {
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
  });
  await redis.connect();
  await redis.ping();
  return redis;
}
