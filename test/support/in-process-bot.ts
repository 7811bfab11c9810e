import { Writable } from "node:stream";
import { Api, type Bot, BotError, type StorageAdapter } from "grammy";
import type { Update } from "grammy/types";
import { parseConfig } from "../../bot/config.ts";
import { createBot, createChatGate } from "../../bot/create-bot.ts";
import { type Database, openDatabase } from "../../bot/db.ts";
import { createI18n } from "../../bot/i18n.ts";
import { createLogger } from "../../bot/logger.ts";
import { connectRedis, type Redis } from "../../bot/redis.ts";
import { createSessionStorage, sessionKeyFor } from "../../bot/session.ts";
import { createDataCipher, type DataCipher } from "../../domain/crypto/data-cipher.ts";
import { createOutboxWorker, type OutboxWorker } from "../../domain/outbox/outbox-worker.ts";
import { CompletionWindowPacer } from "../../domain/pacing/send-pacer.ts";
import { getRegionCatalog } from "../../domain/regions/region-catalog.ts";
import { StaffPacer } from "../../domain/triage/staff-pacer.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { BotContext } from "../../handlers/common/context.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { UserFacingError } from "../../handlers/common/user-facing-error.ts";
import { reporterDeliveryHandlers } from "../../handlers/triage/reporter-delivery.ts";
import { staffDeliveryHandlers } from "../../handlers/triage/staff-delivery.ts";
import { REPORTER_OUTBOX_ORDER } from "../../handlers/triage/workers.ts";
import { DEFAULT_BOT_INFO, DEFAULT_STAFF_CHAT_ID } from "./bot-identity.ts";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  type TestDatabase,
  tempDataDir,
  testRedis,
} from "./databases.ts";
import { type FakeBotApi, startFakeBotApi } from "./fake-bot-api.ts";
import { TEST_DATA_KEY } from "./test-bot.ts";
import type { NewUpdate } from "./updates.ts";

/** One log line the bot wrote (pino's JSON: `level` 50 is error, 60 fatal). */
export interface LogEntry {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** An error that reached `bot.catch` and was not a {@link UserFacingError} (which is an answer, not a failure). */
export interface CaughtError {
  updateId: number;
  error: unknown;
}

/**
 * The real bot (bot/create-bot.ts, every middleware in its order) built in the test's own process against the
 * fake Bot API (over HTTP, `client.apiRoot`), with the real PostgreSQL and Redis when `TEST_DATABASE_URL` /
 * `TEST_REDIS_URL` are set (a database and a key prefix of its own), the embedded database otherwise. Updates are
 * handed to `bot.handleUpdate`, as the runner does, so a test can feed thousands of them quickly (fuzzing,
 * test/fuzz/); use {@link TestBot} (the real process) where the process itself matters.
 *
 * The staff group's outbox (cards, answers, notes) is delivered on demand with {@link drainStaffOutbox}, so a
 * test knows when a card is posted; reporters' notices are delivered by a background loop, as in production
 * (their pacing, about one message a second per chat, would stall a synchronous drain).
 */
export class InProcessBot {
  /** Errors that reached `bot.catch` (other than user-facing ones). */
  readonly caught: CaughtError[] = [];
  /** Called with every session the bot reads (at the start of an update): what state the update meets. */
  onSessionRead: ((key: string, session: SessionData | undefined) => void) | undefined;

  private constructor(
    /** Every log line at warn level and above. */
    readonly logs: LogEntry[],
    readonly api: FakeBotApi,
    readonly bot: Bot<BotContext>,
    readonly db: PrismaClient,
    readonly cipher: DataCipher,
    readonly sessions: StorageAdapter<SessionData>,
    private readonly storedSessions: StorageAdapter<SessionData>,
    readonly staffChatId: number,
    private readonly staffOutbox: OutboxWorker,
    private readonly reporterOutbox: OutboxWorker,
    private readonly resources: {
      database: Database;
      testDatabase: TestDatabase;
      dataDir: { remove(): Promise<void> };
      redis: Redis | undefined;
      redisUrl: string | undefined;
      keyPrefix: string;
    },
  ) {}

  /** Starts the fake Bot API, the database (and Redis when given) and the bot; `env` adds configuration. */
  static async start(env: Record<string, string> = {}): Promise<InProcessBot> {
    const api = await startFakeBotApi();
    const testDatabase = await createTestDatabase();
    const dataDir = await tempDataDir();
    const redisTarget = testRedis();
    const config = parseConfig({
      BOT_TOKEN: api.token,
      STAFF_CHAT_ID: String(DEFAULT_STAFF_CHAT_ID),
      TELEGRAM_API_ROOT: api.apiRoot,
      DATA_KEY: TEST_DATA_KEY,
      DATA_DIR: dataDir.path,
      LOG_LEVEL: "warn",
      ...(testDatabase.url ? { DATABASE_URL: testDatabase.url } : {}),
      ...(redisTarget.url ? { REDIS_URL: redisTarget.url, REDIS_KEY_PREFIX: redisTarget.keyPrefix } : {}),
      ...env,
    });
    const logs: LogEntry[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
        done();
      },
    });
    const logger = createLogger(config.logLevel, sink, { secrets: [config.botToken, config.dataKey] });
    const cipher = createDataCipher(TEST_DATA_KEY);
    const database = await openDatabase(config, logger);
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisKeyPrefix) : undefined;
    const i18n = await createI18n(config.defaultLocale);
    await getRegionCatalog();
    const updateGate = createChatGate({ config, cipher, logger, redis });
    const stored = createSessionStorage({
      redis,
      db: database.prisma,
      cipher,
      ttlSeconds: config.sessionTtlSeconds,
      lockFor: updateGate.lockFor,
    });
    let harness: InProcessBot | undefined;
    const sessions: StorageAdapter<SessionData> = {
      read: async (key) => {
        const session = await stored.read(key);
        harness?.onSessionRead?.(key, session);
        return session;
      },
      write: (key, value) => stored.write(key, value),
      delete: (key) => stored.delete(key),
    };
    const { bot, services } = createBot({
      config,
      db: database.prisma,
      cipher,
      i18n,
      logger,
      sessionStorage: sessions,
      redis,
      updateGate,
      botInfo: { ...DEFAULT_BOT_INFO, ...api.botInfo },
    });
    // Like the workers of bot/main.ts: their own Api, without the auto-retry and HTML default of `bot.api`.
    const workerApi = new Api(bot.api.token, { ...bot.api.options, timeoutSeconds: 10 });
    const workerDeps = { ...services, api: workerApi, logger, redis };
    const never = new AbortController().signal;
    const staffOutbox = createOutboxWorker({
      db: database.prisma,
      handlers: staffDeliveryHandlers({
        api: workerApi,
        app: workerDeps,
        logger,
        pacer: new StaffPacer(new CompletionWindowPacer({ limit: 1_000_000, windowMs: 1000 })),
        maxWaitMs: 5_000,
        signal: never,
      }),
      logger,
      batchSize: 1,
      lockMs: 60_000,
    });
    const reporterOutbox = createOutboxWorker({
      db: database.prisma,
      handlers: reporterDeliveryHandlers({ api: workerApi, app: workerDeps, logger, signal: never }),
      logger,
      pollMs: 500,
      ...REPORTER_OUTBOX_ORDER,
      lockMs: 120_000,
    });
    reporterOutbox.start();
    harness = new InProcessBot(
      logs,
      api,
      bot,
      database.prisma,
      cipher,
      sessions,
      stored,
      config.staffChatId,
      staffOutbox,
      reporterOutbox,
      {
        database,
        testDatabase,
        dataDir,
        redis,
        redisUrl: redisTarget.url,
        keyPrefix: redisTarget.keyPrefix,
      },
    );
    return harness;
  }

  /** Whether the bot runs on the real servers (PostgreSQL, and Redis when `TEST_REDIS_URL` is set). */
  get usesServers(): boolean {
    return this.resources.testDatabase.url !== undefined;
  }

  /**
   * Hands one update to the bot as the runner does (an error goes to `bot.catch`) and resolves when it is
   * handled; the fake Bot API learns the update's messages and callback queries first, as Telegram knows them.
   */
  async send(update: NewUpdate): Promise<Update> {
    const full = this.api.receive(update);
    try {
      await this.bot.handleUpdate(full);
    } catch (error) {
      if (!(error instanceof BotError)) throw error;
      if (!(error.error instanceof UserFacingError))
        this.caught.push({ updateId: full.update_id, error: error.error });
      await this.bot.errorHandler(error);
    }
    return full;
  }

  /** Delivers every due message of the staff group's outbox (cards, answers, notes) now. */
  async drainStaffOutbox(): Promise<number> {
    let total = 0;
    for (
      let handled = await this.staffOutbox.runOnce();
      handled > 0;
      handled = await this.staffOutbox.runOnce()
    )
      total += handled;
    return total;
  }

  /** The session key of a user in a chat. */
  sessionKey(chatId: number, userId: number): string {
    return sessionKeyFor(this.cipher)({ chat: { id: chatId }, from: { id: userId } })!;
  }

  /** The session of a user in a chat, as stored. */
  async sessionOf(chatId: number, userId: number): Promise<SessionData | undefined> {
    return await this.storedSessions.read(this.sessionKey(chatId, userId));
  }

  /** Error and fatal log lines so far. */
  errorLogs(): LogEntry[] {
    return this.logs.filter((entry) => entry.level >= 50);
  }

  async stop(): Promise<void> {
    await this.reporterOutbox.stop();
    await this.api.close();
    await this.resources.database.close();
    await this.resources.redis?.quit();
    await this.resources.testDatabase.drop();
    await cleanupRedisPrefix(this.resources.redisUrl, this.resources.keyPrefix).catch(() => undefined);
    await this.resources.dataDir.remove();
  }
}
