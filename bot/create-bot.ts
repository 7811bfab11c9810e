import { autoRetry } from "@grammyjs/auto-retry";
import type { StorageAdapter } from "grammy";
import { Bot, type BotError, GrammyError, HttpError, session, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { DataCipher } from "../domain/crypto/data-cipher.ts";
import { getRegionCatalog } from "../domain/regions/region-catalog.ts";
import { createReportStore } from "../domain/report/report-store.ts";
import { createStaffRoster } from "../domain/staff/staff-roster.ts";
import { createSubscriptionStore } from "../domain/subscription/subscription-store.ts";
import { createBroadcastFeature } from "../handlers/broadcast/index.ts";
import { Composer } from "../handlers/common/composer.ts";
import type { AppServices, BotContext } from "../handlers/common/context.ts";
import { initialSession, type SessionData } from "../handlers/common/session-data.ts";
import { createStaffMembership } from "../handlers/common/staff-membership.ts";
import { UserFacingError } from "../handlers/common/user-facing-error.ts";
import { createErasureFeature } from "../handlers/erasure/index.ts";
import { fallback } from "../handlers/fallback.ts";
import { groupGuard } from "../handlers/group-guard.ts";
import { createInsightFeature } from "../handlers/insight/index.ts";
import { createMyReportsFeature } from "../handlers/my-reports/index.ts";
import { createReportFeature } from "../handlers/report/index.ts";
import { createSubscriptionFeature } from "../handlers/subscription/index.ts";
import { createDeliveryFaultsFeature, createTriageFeature, rosterRole } from "../handlers/triage/index.ts";
import { createCitizenFormFeature } from "../handlers/triage/report-form-citizen.ts";
import { displayName } from "../handlers/triage/staff-guard.ts";
import { createWelcomeFeature } from "../handlers/welcome/index.ts";
import { awasiContext } from "./bot-context.ts";
import { boundedMemo } from "./bounded-memo.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db.ts";
import type { I18n } from "./i18n.ts";
import type { Logger } from "./logger.ts";
import { isTemporaryOutage } from "./outage.ts";
import type { Redis } from "./redis.ts";
import { sessionKeyFor } from "./session.ts";
import { createUpdateGate, type UpdateGate } from "./update-gate.ts";

export interface BotDeps {
  config: Config;
  db: Db;
  cipher: DataCipher;
  i18n: I18n;
  logger: Logger;
  sessionStorage: StorageAdapter<SessionData>;
  /** Shared rate-limit counters across instances; in-process when absent. */
  redis?: Redis;
  /** Cross-instance chat locks and update de-duplication; built from `redis` when absent. */
  updateGate?: UpdateGate;
  /** Known in tests, fetched with getMe otherwise. */
  botInfo?: UserFromGetMe;
}

/** The updates Awasi asks Telegram for. */
export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "my_chat_member",
  // Joins and promotions in the staff group: announced, and the member's cached role forgotten at once.
  "chat_member",
] as const;

/** Builds the bot: the only place that installs middleware, in this order. */
export function createBot(deps: BotDeps): { bot: Bot<BotContext>; services: AppServices } {
  const { config, logger } = deps;
  const getSessionKey = sessionKeyFor(deps.cipher);
  const bot = new Bot<BotContext>(config.botToken, {
    botInfo: deps.botInfo,
    client: { apiRoot: config.telegramApiRoot },
    ContextConstructor: awasiContext({
      app: () => app,
      logger,
      hasSession: (ctx) => getSessionKey(ctx) !== undefined,
    }),
  });
  const roster = createStaffRoster(deps.db);
  const app: AppServices = {
    config,
    db: deps.db,
    cipher: deps.cipher,
    translatorFor: deps.i18n.forLocale,
    detectLocale: deps.i18n.detect,
    regions: getRegionCatalog,
    staff: createStaffMembership(bot.api, config.staffChatId, {
      allowlist: config.staffAllowlist,
      // Who can act since when (/siapa): a member first seen acting is recorded then.
      onSeen: (user, userId, role) =>
        roster
          .record(userId, rosterRole(role), new Date(), user ? displayName(user) : undefined)
          .catch((error: unknown) => logger.warn({ err: error }, "could not record the staff roster")),
    }),
  };
  const warned = new Set<number>();

  // Outgoing: every text is HTML (values are escaped by i18n or by escapeHtml); Telegram's 429 and 5xx are retried.
  bot.api.config.use(htmlByDefault);
  bot.api.config.use(unchangedEditIsDone);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));

  // Everything below runs in one Composer of handlers/common/composer.ts (cheaper per update than grammY's own).
  const tree = new Composer<BotContext>();
  bot.use(tree);
  // 1. How long each update took, at debug level (services and the logger are on the context: bot/bot-context.ts).
  if (logger.isLevelEnabled("debug")) {
    tree.use(async (ctx, next) => {
      const started = performance.now();
      await next();
      ctx.logger.debug(
        { duration_ms: Math.round((performance.now() - started) * 10) / 10 },
        "update handled",
      );
    });
  }
  // 2. One update at a time per chat and user, in this process and across instances (a Redis lock per chat with a
  // fencing token), so a double tap cannot race a draft; a redelivered update runs once.
  const gate = deps.updateGate ?? createChatGate(deps);
  tree.use(gate.middleware);
  // 3. Foreign groups and channels: leave, say nothing.
  tree.use(groupGuard);
  // 4. Session (Redis or embedded), then the user's language.
  tree.use(session({ initial: initialSession, storage: deps.sessionStorage, getSessionKey }));
  tree.use((ctx, next) => {
    // Updates without a chat or a sender (an inline query, a poll, a press on an inline message's button) have no
    // session: grammY throws on any access to it.
    const hasSession = getSessionKey(ctx) !== undefined;
    const remembered = hasSession ? ctx.session.locale : undefined;
    const locale = remembered ?? app.detectLocale(ctx.from?.language_code);
    if (!remembered && hasSession && ctx.chat?.type === "private") ctx.session.locale = locale;
    ctx.locale = locale;
    ctx.t = app.translatorFor(locale);
    return next();
  });
  // 5. A flood from one user is dropped after one polite note; the draft in the session is untouched. Counted by the
  // gate in the same Redis round trip that takes the chat's lock.
  tree.use(async (ctx, next) => {
    const hits = gate.floodHitsOf(ctx) ?? 0;
    if (hits <= config.floodLimit.limit) return next(); // an album of 10 items arrives as 10 updates at once
    const key = ctx.from?.id;
    if (hits > config.floodLimit.limit + 1 || key === undefined || warned.has(key)) return;
    warned.add(key);
    setTimeout(() => warned.delete(key), 5000).unref();
    await ctx.reply(ctx.t("common:tooFast")).catch(() => undefined);
  });
  // 6. Features.
  const reportStore = createReportStore(deps.db, deps.cipher);
  const subscriptions = createSubscriptionStore(deps.db, deps.cipher);
  // Failed deliveries first: a reporter whose answer was lost is told on any next message.
  tree.use(createDeliveryFaultsFeature());
  tree.use(createWelcomeFeature({ subscriptions, reporters: reportStore }));
  tree.use(createErasureFeature());
  // Triage first: a reporter answering an officer's question must not be taken for a draft answer.
  tree.use(createTriageFeature());
  tree.use(
    createReportFeature({ store: reportStore, regions: getRegionCatalog, draftTtlMs: config.draftTtlMs }),
  );
  tree.use(createMyReportsFeature({ store: reportStore, regions: getRegionCatalog }));
  tree.use(createCitizenFormFeature({ store: reportStore }));
  tree.use(createSubscriptionFeature({ store: subscriptions }));
  tree.use(createBroadcastFeature());
  tree.use(createInsightFeature());
  // 7. Whatever no feature took.
  tree.use(fallback);

  const fallbackT = (ctx: BotContext) =>
    ctx.t ?? app.translatorFor(app.detectLocale(ctx.from?.language_code));
  bot.catch((error) => handleError(error, logger, fallbackT));
  return { bot, services: app };
}

/**
 * The gate of bot/update-gate.ts as the bot uses it: chat locks by session key, and the flood limit counting each
 * citizen's updates in their private chat under a keyed hash (a Redis key never holds a raw Telegram id; officers
 * in the staff group are not limited). Built before the bot, since the session store reads through its locks.
 */
export function createChatGate(deps: Pick<BotDeps, "config" | "cipher" | "logger" | "redis">): UpdateGate {
  const { cipher } = deps;
  const floodKeyOf = boundedMemo(
    (userId: number) => `flood:${cipher.hash("floodLimiter", String(userId)).slice(0, 32)}`,
  );
  return createUpdateGate({
    redis: deps.redis,
    cipher,
    keyOf: sessionKeyFor(cipher),
    logger: deps.logger,
    flood: {
      windowMs: deps.config.floodLimit.windowMs,
      keyOf: (ctx) => (ctx.chat?.type === "private" && ctx.from ? floodKeyOf(ctx.from.id) : undefined),
    },
  });
}

const HTML_METHODS = new Set([
  "sendMessage",
  "editMessageText",
  "sendPhoto",
  "sendVideo",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendAnimation",
  "editMessageCaption",
  "copyMessage",
]);

/** Sets `parse_mode: "HTML"` on text and captions that carry no explicit entities. */
const htmlByDefault: Transformer = (prev, method, payload, signal) => {
  if (HTML_METHODS.has(method) && payload && typeof payload === "object") {
    const p = payload as Record<string, unknown>;
    const hasText = "text" in p || "caption" in p;
    if (hasText && !("parse_mode" in p) && !p.entities && !p.caption_entities) {
      return prev(method, { ...payload, parse_mode: "HTML" } as typeof payload, signal);
    }
  }
  return prev(method, payload, signal);
};

const EDIT_METHODS = new Set(["editMessageText", "editMessageCaption", "editMessageReplyMarkup"]);

/**
 * An edit that would change nothing (a button pressed twice, two updates racing to show the same screen) is
 * refused by Telegram with "message is not modified"; the message already shows what was asked, so it is done.
 */
const unchangedEditIsDone: Transformer = async (prev, method, payload, signal) => {
  const response = await prev(method, payload, signal);
  if (!response.ok && EDIT_METHODS.has(method) && /message is not modified/i.test(response.description))
    return { ok: true, result: true } as Awaited<ReturnType<typeof prev>>;
  return response;
};

async function handleError(
  error: BotError<BotContext>,
  logger: Logger,
  translator: (ctx: BotContext) => BotContext["t"],
): Promise<void> {
  const { ctx } = error;
  const cause = error.error;
  const log = ctx.logger ?? logger.child({ update_id: ctx.update.update_id });
  if (cause instanceof UserFacingError) {
    await tell(ctx, ctx.t(cause.localeKey, cause.params));
    return;
  }
  if (isTemporaryOutage(cause)) {
    // PostgreSQL or Redis out of reach (or the chat busy on another instance): nothing was written, the draft
    // is as it was before this update; the user tries again in a moment.
    log.warn({ err: cause }, "a server is out of reach: told the user to try again");
    await tell(ctx, translator(ctx)("common:unavailable"));
    return;
  }
  if (cause instanceof GrammyError) {
    log.error(
      { method: cause.method, error_code: cause.error_code, description: cause.description },
      "Telegram refused a call",
    );
  } else if (cause instanceof HttpError) {
    log.error({ err: cause.error }, "network error calling Telegram");
  } else {
    log.error({ err: cause }, "handler failed");
  }
  if (ctx.t) await tell(ctx, ctx.t("common:apology"));
}

async function tell(ctx: BotContext, text: string): Promise<void> {
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else if (ctx.chat?.type === "private") await ctx.reply(text);
  } catch {
    // The apology itself failed (Telegram unreachable): the error is already logged.
  }
}
