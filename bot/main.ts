import { existsSync } from "node:fs";
import { run } from "@grammyjs/runner";
import { type Api, GrammyError, HttpError, webhookCallback } from "grammy";
import { createDataCipher, DataKeyError } from "../domain/crypto/data-cipher.ts";
import { encryptPlainFileNames } from "../domain/evidence/file-name-encryption.ts";
import { createFollowUpUnlinkWorker } from "../domain/privacy/follow-up-unlink.ts";
import { createRetentionWorker } from "../domain/privacy/retention.ts";
import { getRegionCatalog } from "../domain/regions/region-catalog.ts";
import { moveLegacyReporterLinks } from "../domain/report/legacy-reporter-links.ts";
import { broadcastStaffCommands, createBroadcastWorkers } from "../handlers/broadcast/index.ts";
import { citizenCommandMenu } from "../handlers/common/commands.ts";
import { createInsightWorkers, insightStaffCommands } from "../handlers/insight/index.ts";
import { createEvidenceWorkers } from "../handlers/triage/evidence-workers.ts";
import {
  blockCommandMenu,
  createTriageWorkers,
  rosterCommandMenu,
  staffCommandMenu,
} from "../handlers/triage/index.ts";
import { fetchBotInfo } from "./bot-info.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { ALLOWED_UPDATES, createBot, createChatGate } from "./create-bot.ts";
import { loadEmbeddedDataKey } from "./data-key-file.ts";
import { openDatabase } from "./db.ts";
import { createI18n, type I18n, SUPPORTED_LOCALES } from "./i18n.ts";
import { createLogger, routeConsoleThroughLogger, secretScrubber } from "./logger.ts";
import { connectRedis } from "./redis.ts";
import { createServer, listen } from "./server.ts";
import { createSessionStorage } from "./session.ts";

/** Telegram waits about a minute for a webhook answer; grammY's own default (10 s) leaves a wide margin. */
const WEBHOOK_ANSWER_MS = 10_000;

/** The entry point: the only file that reads the environment, connects and listens. */
async function main(): Promise<void> {
  // Tests control the whole environment; a developer's .env must not leak into them.
  if (existsSync(".env") && process.env.NODE_ENV !== "test") process.loadEnvFile(".env");
  const config = parseConfig(process.env);
  const embeddedKey = config.dataKey
    ? undefined
    : loadEmbeddedDataKey(config.dataDir, {
        DATA_KEY_FILE: config.dataKeyFile,
        XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
        HOME: process.env.HOME,
      });
  const dataKey = config.dataKey ?? embeddedKey!.key;
  const logger = createLogger(config.logLevel, undefined, {
    secrets: [
      config.botToken,
      ...dataKey.split(",").map((key) => key.split(":").pop()),
      config.webhook.secret,
    ],
  });
  routeConsoleThroughLogger(logger);
  for (const notice of embeddedKey?.notices ?? []) logger[notice.level](notice.data, notice.msg);
  const started = performance.now();

  const cipher = createDataCipher(dataKey);
  const database = await openDatabase(config, logger);
  const relinked = await moveLegacyReporterLinks(database.prisma, cipher);
  if (relinked > 0) logger.info({ reports: relinked }, "reports moved to per-report reporter links");
  const sealedNames = await encryptPlainFileNames(database.prisma, cipher);
  if (sealedNames > 0) logger.info({ evidence: sealedNames }, "plain evidence file names encrypted");
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisKeyPrefix) : undefined;
  // ioredis reconnects by itself; an outage is logged (once per state change), never thrown.
  let redisDown = false;
  redis?.on("error", (error: Error) => {
    if (!redisDown) logger.warn({ err: error }, "Redis is out of reach; reconnecting");
    redisDown = true;
  });
  redis?.on("ready", () => {
    if (redisDown) logger.info("Redis is back");
    redisDown = false;
  });
  if (!redis) {
    logger.warn("REDIS_URL is not set: sessions live in the embedded store; run only one instance like this");
  }
  const i18n = await createI18n(config.defaultLocale);
  await getRegionCatalog(); // loaded now (~0.2 s) rather than during a citizen's first report
  const updateGate = createChatGate({ config, cipher, logger, redis });
  const { bot, services } = createBot({
    config,
    db: database.prisma,
    cipher,
    i18n,
    logger,
    sessionStorage: createSessionStorage({
      redis,
      db: database.prisma,
      cipher,
      ttlSeconds: config.sessionTtlSeconds,
      lockFor: updateGate.lockFor,
      onUnreadable: (error) =>
        logger.warn({ err: error }, "a session could not be decrypted; starting afresh"),
    }),
    redis,
    updateGate,
  });
  bot.botInfo = await fetchBotInfo(bot.api, logger);
  await setCommandMenus(bot.api, i18n, config.defaultLocale, config.staffChatId, config.staffLocale);

  const server = createServer({
    health: async () => ({
      database: await database.ping(),
      redis: redis
        ? await redis.ping().then(
            (pong) => pong === "PONG",
            () => false,
          )
        : true,
    }),
    webhook:
      config.mode === "webhook"
        ? {
            path: new URL(config.webhook.url!).pathname,
            // A slow update is answered 200 after WEBHOOK_ANSWER_MS and goes on running here, under its chat
            // lock; a 500 would make Telegram redeliver it and repeat a step that is not idempotent.
            handle: webhookCallback(bot, "http", {
              secretToken: config.webhook.secret,
              onTimeout: "return",
              timeoutMilliseconds: WEBHOOK_ANSWER_MS,
            }),
          }
        : undefined,
  });
  const port = await listen(server, config.port);

  const workers = [
    ...createTriageWorkers({ ...services, api: bot.api, logger, redis }),
    ...createBroadcastWorkers({ ...services, api: bot.api, logger, redis }),
    ...createInsightWorkers({ ...services, api: bot.api, logger, redis }),
    ...createEvidenceWorkers({ ...services, api: bot.api, logger, redis }),
    createRetentionWorker({ db: database.prisma, cipher, retentionDays: config.retentionDays, logger }),
    createFollowUpUnlinkWorker({
      db: database.prisma,
      cipher,
      windowDays: config.followUpWindowDays,
      logger,
    }),
  ];
  for (const worker of workers) worker.start();

  let stopIntake: () => Promise<void>;
  if (config.mode === "webhook") {
    await bot.api.setWebhook(config.webhook.url!, {
      secret_token: config.webhook.secret,
      allowed_updates: ALLOWED_UPDATES,
    });
    stopIntake = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    await bot.api.deleteWebhook();
    const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
    stopIntake = () => runner.stop();
  }

  logger.info(
    {
      mode: config.mode,
      database: database.kind,
      sessions: redis ? "redis" : "embedded",
      port,
      bot_username: bot.botInfo.username,
      startup_ms: Math.round(performance.now() - started),
      rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    },
    "bot started",
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing updates in flight");
    await stopIntake();
    if (config.mode === "polling") await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await Promise.allSettled([database.close(), redis?.quit()]);
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * The command menus: citizens' (Indonesian by default, English for English-language Telegram apps) and the staff
 * group's commands (officers' /tiket, /antrian, /cari, /batal; admins' /siaran, /siaran_status) in STAFF_LOCALE.
 */
async function setCommandMenus(
  api: Api,
  i18n: I18n,
  defaultLocale: "id" | "en",
  staffChatId: number,
  staffLocale: "id" | "en",
): Promise<void> {
  const scope = { type: "all_private_chats" } as const;
  await api.setMyCommands(citizenCommandMenu(defaultLocale, i18n.forLocale(defaultLocale)), { scope });
  for (const locale of SUPPORTED_LOCALES) {
    await api.setMyCommands(citizenCommandMenu(locale, i18n.forLocale(locale)), {
      scope,
      language_code: locale,
    });
  }
  // One menu for the staff group, merged from the features that have staff commands.
  // Fails while the bot is not (yet) in the staff group; it is set again at the next start.
  const staffT = i18n.forLocale(staffLocale);
  await api
    .setMyCommands(
      [
        ...staffCommandMenu(staffLocale, staffT),
        ...rosterCommandMenu(staffLocale, staffT),
        ...blockCommandMenu(staffLocale, staffT),
        ...broadcastStaffCommands(staffLocale, staffT),
        ...insightStaffCommands(staffLocale, staffT),
      ],
      { scope: { type: "chat", chat_id: staffChatId } },
    )
    .catch(() => undefined);
}

/** One line for the operator, never a stack trace, for the problems an operator can fix. */
function startupProblem(error: unknown): string | undefined {
  if (error instanceof ConfigError || error instanceof DataKeyError) return error.message;
  if (error instanceof GrammyError && error.error_code === 401) {
    return "BOT_TOKEN was rejected by Telegram (401 Unauthorized): copy the token from @BotFather again";
  }
  if (error instanceof GrammyError || error instanceof HttpError) {
    return `cannot reach the Telegram Bot API at TELEGRAM_API_ROOT: ${error.message}`;
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT") {
    return `cannot connect to a server (${code}): check DATABASE_URL and REDIS_URL, and that the servers are running`;
  }
  return undefined;
}

main().catch((error: unknown) => {
  const problem = startupProblem(error);
  if (problem) {
    const scrub = secretScrubber([process.env.BOT_TOKEN, process.env.DATA_KEY]);
    process.stderr.write(`Awasi cannot start: ${scrub(problem)}\n`);
  } else {
    createLogger("fatal", undefined, { secrets: [process.env.BOT_TOKEN, process.env.DATA_KEY] }).fatal(
      { err: error },
      "start-up failed",
    );
  }
  process.exit(1);
});
