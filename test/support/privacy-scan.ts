import type { User } from "grammy/types";
import { Redis } from "ioredis";
import type { PrismaClient } from "../../generated/prisma/client.ts";

/** What would name a test citizen or repeat their words: each with a label for the failure message. */
export interface Needle {
  what: string;
  value: string;
}

/** A citizen's identity as Telegram shows it (id, names, username) and their phone, as needles. */
export function identityNeedles(user: User, phone?: string): Needle[] {
  const needles: Needle[] = [{ what: `Telegram id of ${user.first_name}`, value: String(user.id) }];
  needles.push({ what: `first name of ${user.first_name}`, value: user.first_name });
  if (user.last_name) needles.push({ what: `last name of ${user.first_name}`, value: user.last_name });
  if (user.username) needles.push({ what: `username of ${user.first_name}`, value: user.username });
  // Telegram sends the phone without "+", people type it with 0 or +62: the subscriber number is what names them.
  if (phone) needles.push({ what: `phone of ${user.first_name}`, value: phone.replace(/^\+?62|^0/, "") });
  return needles;
}

/** Typed answers of a citizen as needles. */
export function answerNeedles(owner: string, answers: string[]): Needle[] {
  return answers.map((value) => ({ what: `${owner}'s answer "${value}"`, value }));
}

/** One place where a needle was found. */
export interface Leak {
  where: string;
  what: string;
}

/** Every needle found in `text`, case-insensitively, labelled with `where`. */
export function leaksIn(where: string, text: string, needles: readonly Needle[]): Leak[] {
  const haystack = text.toLowerCase();
  return needles
    .filter((needle) => haystack.includes(needle.value.toLowerCase()))
    .map((needle) => ({ where, what: needle.what }));
}

/** A key and its value as text, whatever the Redis type. */
export interface RedisEntry {
  key: string;
  type: string;
  value: string;
}

/** SCANs every key under `prefix` and reads each value by its type (GET, HGETALL, ZRANGE, LRANGE, SMEMBERS, XRANGE). */
export async function dumpRedis(url: string, prefix: string): Promise<RedisEntry[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  const entries: RedisEntry[] = [];
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let value: unknown;
        if (type === "string") value = await redis.get(key);
        else if (type === "hash") value = await redis.hgetall(key);
        else if (type === "zset") value = await redis.zrange(key, "0", "-1", "WITHSCORES");
        else if (type === "list") value = await redis.lrange(key, 0, -1);
        else if (type === "set") value = await redis.smembers(key);
        else if (type === "stream") value = await redis.xrange(key, "-", "+");
        else value = `[${type}]`;
        entries.push({ key, type, value: JSON.stringify(value) });
      }
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
  return entries;
}

/** One table's rows as text (each row through `row_to_json`, as SQL sees it), for every table of the schema. */
export async function dumpTables(db: PrismaClient): Promise<Map<string, string[]>> {
  const tables = await db.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const dump = new Map<string, string[]>();
  for (const { table_name: table } of tables) {
    const rows = await db.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
    );
    dump.set(
      table,
      rows.map((row) => row.row),
    );
  }
  return dump;
}
