import { Redis } from "ioredis";

export type { Redis };

/**
 * Connects to `REDIS_URL` with every key under `keyPrefix`. The only importer of ioredis. Resolves once the
 * server answers, so a wrong URL stops the start instead of failing the first update.
 */
export async function connectRedis(url: string, keyPrefix: string): Promise<Redis> {
  const redis = new Redis(url, { keyPrefix, lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  await redis.ping();
  return redis;
}
