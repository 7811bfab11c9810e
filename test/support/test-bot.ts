import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PGLITE_EXTENSIONS } from "../../bot/pglite-extensions.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { DEFAULT_STAFF_CHAT_ID } from "./bot-identity.ts";
import { type BotProcess, startBotProcess } from "./bot-process.ts";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  type TestDatabase,
  tempDataDir,
  testRedis,
} from "./databases.ts";
import { type FakeBotApi, startFakeBotApi } from "./fake-bot-api.ts";
import { startTcpProxy, type TcpProxy, targetOf } from "./tcp-proxy.ts";

/** A fixed data key for tests, so a test can decrypt and hash what the bot stored. */
export const TEST_DATA_KEY = `test:${Buffer.alloc(32, 7).toString("base64")}`;

/**
 * Everything an end-to-end test needs: the fake Bot API, its own database (a fresh one on `TEST_DATABASE_URL`,
 * or an embedded one in a temporary `DATA_DIR`), its own Redis key prefix (or embedded sessions), and the real
 * bot process on top. `restart()` keeps the data, like a redeploy.
 */
export class TestBot {
  bot!: BotProcess;
  /** TCP proxies between the bot and the real servers, when asked for (`options.proxy`): cut one for an outage. */
  readonly proxies: { database?: TcpProxy; redis?: TcpProxy } = {};

  private constructor(
    readonly api: FakeBotApi,
    private readonly database: TestDatabase,
    private readonly dataDir: { path: string; remove(): Promise<void> },
    private readonly redis: { url: string | undefined; keyPrefix: string },
    private readonly env: Record<string, string>,
    private readonly entry?: string,
  ) {}

  /**
   * `options.entry`: the script to run (see `BotProcessOptions.entry`), e.g. the built "dist/bot/main.js".
   * `options.proxy`: put a TCP proxy ({@link TcpProxy}) between the bot and the real PostgreSQL and/or Redis
   * (only where `TEST_DATABASE_URL` / `TEST_REDIS_URL` name one).
   */
  static async start(
    env: Record<string, string> = {},
    options: { entry?: string; proxy?: ReadonlyArray<"database" | "redis"> } = {},
  ): Promise<TestBot> {
    const api = await startFakeBotApi();
    const database = await createTestDatabase();
    const dataDir = await tempDataDir();
    const redis = testRedis();
    const testBot = new TestBot(api, database, dataDir, redis, env, options.entry);
    if (options.proxy?.includes("database") && database.url)
      testBot.proxies.database = await startTcpProxy(targetOf(database.url));
    if (options.proxy?.includes("redis") && redis.url)
      testBot.proxies.redis = await startTcpProxy(targetOf(redis.url));
    await testBot.launch();
    return testBot;
  }

  /** The environment the bot process gets. */
  get botEnv(): Record<string, string> {
    return {
      TELEGRAM_API_ROOT: this.api.apiRoot,
      BOT_TOKEN: this.api.token,
      STAFF_CHAT_ID: String(DEFAULT_STAFF_CHAT_ID),
      PORT: "0",
      DATA_DIR: this.dataDir.path,
      DATA_KEY: TEST_DATA_KEY,
      ...(this.database.url
        ? { DATABASE_URL: this.proxies.database?.urlThrough(this.database.url) ?? this.database.url }
        : {}),
      ...(this.redis.url
        ? {
            REDIS_URL: this.proxies.redis?.urlThrough(this.redis.url) ?? this.redis.url,
            REDIS_KEY_PREFIX: this.redis.keyPrefix,
          }
        : {}),
      ...this.env,
    };
  }

  get usesServers(): boolean {
    return this.database.url !== undefined;
  }

  private async launch(): Promise<void> {
    this.bot = await startBotProcess({ api: this.api, env: this.botEnv, entry: this.entry });
  }

  /** The port the bot's HTTP server listens on (from its "bot started" log line). */
  get port(): number {
    const line = this.bot.logs.find((entry) => entry.msg === "bot started");
    return Number(line?.port);
  }

  /** Stops the bot gracefully (or kills it) and starts it again on the same data. */
  async restart(options: { kill?: boolean } = {}): Promise<void> {
    if (options.kill) await this.bot.kill();
    else await this.bot.stop();
    await this.launch();
  }

  /**
   * Runs queries against the bot's database. The embedded database is a single-process PGlite, so the bot is
   * stopped first and, unless `restart: false` (the end of a test file), started again afterwards; against a
   * real server the bot keeps running.
   */
  async query<T>(action: (db: PrismaClient) => Promise<T>, options: { restart?: boolean } = {}): Promise<T> {
    if (this.database.url) {
      const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: this.database.url }) });
      try {
        return await action(db);
      } finally {
        await db.$disconnect();
      }
    }
    await this.bot.stop();
    const pglite = await PGlite.create(`${this.dataDir.path}/pglite`, { extensions: PGLITE_EXTENSIONS });
    const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    try {
      return await action(db);
    } finally {
      await db.$disconnect();
      await pglite.close();
      if (options.restart ?? true) await this.launch();
    }
  }

  async stop(): Promise<void> {
    await this.bot?.stop().catch(() => undefined);
    await this.api.close();
    await Promise.all([this.proxies.database?.close(), this.proxies.redis?.close()]);
    await this.database.drop();
    await cleanupRedisPrefix(this.redis.url, this.redis.keyPrefix).catch(() => undefined);
    await this.dataDir.remove();
  }
}
