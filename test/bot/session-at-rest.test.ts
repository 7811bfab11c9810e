import type { Update } from "grammy/types";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../bot/config.ts";
import { createBot } from "../../bot/create-bot.ts";
import { EncryptedSessionStorage } from "../../bot/encrypted-session-storage.ts";
import { createI18n } from "../../bot/i18n.ts";
import { connectRedis, type Redis } from "../../bot/redis.ts";
import { createSessionStorage, DatabaseSessionStorage, sessionKeyFor } from "../../bot/session.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import { newDraft } from "../../domain/report/draft.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { DEFAULT_BOT_INFO } from "../support/bot-identity.ts";
import { cleanupRedisPrefix, testRedis } from "../support/databases.ts";
import { type MigratedDatabase, migratedDatabase } from "../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";
import { makeUser, textMessage } from "../support/updates.ts";

const cipher = createDataCipher(TEST_DATA_KEY);
const config = parseConfig({
  BOT_TOKEN: "123456:TEST",
  STAFF_CHAT_ID: "-1001234567890",
  LOG_LEVEL: "silent",
});
const CHRONOLOGY = "Amplop merah dibagikan di depan TPS 7 oleh tim sukses";
const NAME = "Budi Santoso Rahasia";

/** A draft at the name step of an identified report, with a chronology and a pin already answered. */
function draftAtNameStep() {
  return {
    ...newDraft("draft-at-rest-1", Date.now()),
    category: "OTHER" as const,
    stepId: "reporter_name",
    answers: {
      category: "OTHER",
      ot_title: "Bagi-bagi amplop",
      occurred_on: "2026-11-20",
      learned_on: "2026-11-20",
      location: { type: "point", latitude: -6.123456, longitude: 106.654321 },
      place_note: null,
      chronology: CHRONOLOGY,
      evidence: null,
      identity: "IDENTIFIED",
    },
  };
}

/** The real middleware stack with the given session storage; the citizen types their name at the name step. */
async function typeNameAtNameStep(storage: ReturnType<typeof createSessionStorage>, userId: number) {
  const key = sessionKeyFor(cipher)({ chat: { id: userId }, from: { id: userId } })!;
  await storage.write(key, { locale: "id", report: draftAtNameStep() });
  const { bot } = createBot({
    config,
    db: {} as never, // the name step never reaches the database
    cipher,
    i18n: await createI18n("id"),
    logger: pino({ level: "silent" }),
    sessionStorage: storage,
    botInfo: DEFAULT_BOT_INFO,
  });
  const sent: string[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    sent.push(`${method} ${(payload as { text?: string }).text ?? ""}`);
    return {
      ok: true,
      result: { message_id: sent.length, date: 0, chat: { id: userId, type: "private" } },
    } as never;
  });
  const user = makeUser(userId, { languageCode: "id" });
  await bot.handleUpdate({ update_id: 1, ...textMessage(user, NAME) } as Update);
  const session = (await storage.read(key)) as SessionData;
  return { key, sent, session };
}

function expectNoClearText(raw: string) {
  for (const secret of [
    CHRONOLOGY,
    NAME,
    "Amplop",
    "Budi",
    "106.65",
    "TPS 7",
    "reporter_name",
    "chronology",
  ]) {
    expect(raw, `the stored session shows "${secret}"`).not.toContain(secret);
  }
}

describe.runIf(testRedis().url)("sessions in Redis", () => {
  const { url, keyPrefix } = testRedis();
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(url!, keyPrefix);
  });
  afterAll(async () => {
    await redis?.quit();
    await cleanupRedisPrefix(url, keyPrefix);
  });

  it("holds the draft only encrypted, never the typed name, and expires with the draft", async () => {
    const storage = createSessionStorage({
      redis,
      db: {} as never,
      cipher,
      ttlSeconds: config.sessionTtlSeconds,
    });
    const { key, sent, session } = await typeNameAtNameStep(storage, 8801);
    expect(sent.join("\n")).toContain("nomor"); // moved on to the phone step
    const draft = session.report as { answers: Record<string, unknown>; lastText?: unknown };
    expect(draft.answers.chronology).toBe(CHRONOLOGY);
    expect(cipher.decrypt(String(draft.answers.reporter_name))).toBe(NAME);
    expect(JSON.stringify(session)).not.toContain(NAME); // not in lastText either

    const raw = (await redis.get(key))!;
    expect(raw).toMatch(/^"v1\./);
    expectNoClearText(raw);
    const ttl = await redis.ttl(key);
    expect(config.sessionTtlSeconds).toBe(72 * 3600); // DRAFT_TTL_HOURS' default
    expect(ttl).toBeGreaterThan(config.sessionTtlSeconds - 60);
    expect(ttl).toBeLessThanOrEqual(config.sessionTtlSeconds);
  });
});

describe("sessions in the embedded sessions table", () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
  });
  afterAll(() => db?.close());

  it("holds the draft only encrypted, never the typed name, and expires with the draft", async () => {
    const storage = createSessionStorage({
      redis: undefined,
      db: db.prisma,
      cipher,
      ttlSeconds: config.sessionTtlSeconds,
    });
    const { session } = await typeNameAtNameStep(storage, 8802);
    expect(JSON.stringify(session)).not.toContain(NAME);
    const [row] = await db.rawQuery<{ value: string; ttl: number }>(
      "SELECT value::text AS value, EXTRACT(EPOCH FROM (expires_at - now()))::float AS ttl FROM sessions",
    );
    expect(row!.value).toMatch(/^"v1\./);
    expectNoClearText(row!.value);
    expect(row!.ttl).toBeGreaterThan(config.sessionTtlSeconds - 60);
    expect(row!.ttl).toBeLessThanOrEqual(config.sessionTtlSeconds + 1);
  });

  it("still reads a session stored before encryption, and writes it back encrypted", async () => {
    const plain = new DatabaseSessionStorage(db.prisma, 3600);
    await plain.write("session:legacy", { locale: "en" });
    const storage = new EncryptedSessionStorage<SessionData>(plain, cipher);
    expect(await storage.read("session:legacy")).toEqual({ locale: "en" });
    await storage.write("session:legacy", { locale: "en" });
    expect(typeof (await plain.read("session:legacy"))).toBe("string");
  });

  it("reads a session the key cannot open as none", async () => {
    const plain = new DatabaseSessionStorage(db.prisma, 3600);
    const other = createDataCipher(Buffer.alloc(32, 7).toString("base64"));
    await new EncryptedSessionStorage<SessionData>(plain, other).write("session:other", { locale: "id" });
    const errors: unknown[] = [];
    const storage = new EncryptedSessionStorage<SessionData>(plain, cipher, (error) => errors.push(error));
    expect(await storage.read("session:other")).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
