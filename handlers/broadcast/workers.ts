import { Api } from "grammy";
import { contentExcerpt, parseBroadcastContent } from "../../domain/broadcast/content.ts";
import { createDeliveryQueue } from "../../domain/broadcast/delivery-queue.ts";
import { findFollowUpTarget } from "../../domain/broadcast/follow-up.ts";
import { BROADCAST_OUTBOX } from "../../domain/broadcast/outbox-kinds.ts";
import type { ProgressSample } from "../../domain/broadcast/progress.ts";
import { createBroadcastSender } from "../../domain/broadcast/sender.ts";
import {
  createOutboxWorker,
  type OutboxHandler,
  PermanentOutboxError,
  RetryLaterError,
} from "../../domain/outbox/outbox-worker.ts";
import { classifyTelegramError } from "../../domain/pacing/backoff.ts";
import { RedisWindowPacer } from "../../domain/pacing/redis-window-pacer.ts";
import { CompletionWindowPacer, type SendPacer } from "../../domain/pacing/send-pacer.ts";
import { createPollingLoop } from "../../domain/scheduling/polling-loop.ts";
import type { BackgroundWorker, WorkerDeps } from "../common/context.ts";
import { isLocale } from "../common/locale.ts";
import { progressView } from "./progress-view.ts";
import { summaryText } from "./render.ts";
import { sendContent, unsubscribeKeyboard } from "./send-content.ts";
import { broadcastServices } from "./services.ts";

/** The pacer's window: Telegram's limits are per second (sends count from grant to response: send-pacer.ts). */
export const PACE_WINDOW_MS = 1_000;
/** The Bot API client's timeout for announcement sends (the sender keeps this much of its lease in reserve). */
export const SEND_TIMEOUT_MS = 5_000;
/** The progress message is edited at most this often (a group allows about 20 messages a minute). */
export const PROGRESS_EDIT_MS = 5_000;

/**
 * The pacer every announcement send goes through: shared by all instances through Redis when there is Redis,
 * in memory otherwise (without Redis, sessions are in the embedded store and only one instance may run).
 */
export function broadcastPacer(deps: Pick<WorkerDeps, "redis" | "config">): SendPacer {
  const limit = deps.config.broadcastRatePerSecond;
  return deps.redis
    ? new RedisWindowPacer({ redis: deps.redis, limit, windowMs: PACE_WINDOW_MS, maxSendMs: SEND_TIMEOUT_MS })
    : new CompletionWindowPacer({ limit, windowMs: PACE_WINDOW_MS });
}

/** A failed send of the outbox handlers, as the outbox worker understands it. */
async function outboxError(error: unknown, pacer: SendPacer): Promise<Error> {
  const kind = classifyTelegramError(error);
  const description = (error as { description?: unknown }).description;
  switch (kind.kind) {
    case "retryAfter":
      await pacer.pauseFor(kind.seconds * 1000);
      return new RetryLaterError(kind.seconds * 1000, "429 retry after");
    case "blocked":
    case "badRequest":
      return new PermanentOutboxError(typeof description === "string" ? description : "refused by Telegram");
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Background work of announcements in this process: the durable, paced sender; the outbox deliveries around it
 * (public channel post, reporters' follow-ups, final summary); the progress message edits.
 */
export function broadcastWorkers(deps: WorkerDeps): BackgroundWorker[] {
  const services = broadcastServices(deps);
  const { store, staffT, staffLocale } = services;
  const logger = deps.logger.child({ feature: "broadcast" });
  const pacer = broadcastPacer(deps);
  // Announcement copies are sent without auto-retry: the sender classifies every error itself, so that a 429
  // pauses all lanes (not just one request) and a failure is recorded per recipient. The same token and API root.
  const api = new Api(deps.api.token, { ...deps.api.options, timeoutSeconds: SEND_TIMEOUT_MS / 1000 });
  const queue = createDeliveryQueue(deps.db);
  const tFor = (locale: string) => deps.translatorFor(isLocale(locale) ? locale : deps.config.defaultLocale);

  const handlers: Record<string, OutboxHandler> = {
    [BROADCAST_OUTBOX.channelPost]: async (message) => {
      const { broadcastId, channelId } = message.payload as { broadcastId: string; channelId: string };
      const broadcast = await store.get(broadcastId);
      if (!broadcast) return { skipped: "broadcast deleted" };
      const content = parseBroadcastContent(broadcast.content);
      const permit = await pacer.acquire();
      try {
        const posted = await sendContent(api, channelId, content).finally(() => permit.done());
        logger.info({ broadcast_id: broadcastId }, "announcement posted to the public channel");
        return { messageId: posted.message_id };
      } catch (error) {
        const failure = await outboxError(error, pacer);
        if (failure instanceof PermanentOutboxError) {
          logger.error(
            { broadcast_id: broadcastId, reason: failure.message },
            "cannot post to PUBLIC_CHANNEL_ID: make the bot an administrator of the channel who may post",
          );
        }
        throw failure;
      }
    },
    [BROADCAST_OUTBOX.followUp]: async (message) => {
      const { broadcastId, reportId } = message.payload as { broadcastId: string; reportId: string };
      const [broadcast, target] = await Promise.all([
        store.get(broadcastId),
        findFollowUpTarget(deps.db, deps.cipher, reportId),
      ]);
      if (!broadcast || !target) return { skipped: "no reporter to tell" };
      const t = tFor(target.locale);
      const excerpt = contentExcerpt(parseBroadcastContent(broadcast.content));
      const text = excerpt
        ? t("broadcast:followUp", { code: target.code, excerpt })
        : t("broadcast:followUpNoText", { code: target.code });
      const permit = await pacer.acquire();
      try {
        await api
          .sendMessage(target.chatId, text, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
          })
          .finally(() => permit.done());
      } catch (error) {
        throw await outboxError(error, pacer);
      }
      logger.info(
        { broadcast_id: broadcastId, report_id: reportId },
        "reporter told of the published outcome",
      );
      return { sent: true };
    },
    [BROADCAST_OUTBOX.summary]: async (message) => {
      const { broadcastId } = message.payload as { broadcastId: string };
      await queue.reconcileCounts(broadcastId);
      const broadcast = await store.get(broadcastId);
      if (!broadcast) return { skipped: "broadcast deleted" };
      const chatId =
        broadcast.progressChatId === null ? deps.config.staffChatId : Number(broadcast.progressChatId);
      const messageId =
        broadcast.progressMessageId === null ? undefined : Number(broadcast.progressMessageId);
      if (messageId !== undefined) {
        const { screen } = progressView(services, await deps.regions(), broadcast);
        await deps.api
          .editMessageText(chatId, messageId, screen.text, { reply_markup: screen.keyboard })
          .catch((error: unknown) => {
            if (!String(error).includes("message is not modified")) {
              logger.warn({ broadcast_id: broadcastId, err: error }, "could not edit the final progress");
            }
          });
      }
      await deps.api.sendMessage(chatId, summaryText(staffT, staffLocale, broadcast), {
        ...(messageId !== undefined
          ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } }
          : {}),
      });
      return { posted: true };
    },
  };
  const outbox = createOutboxWorker({ db: deps.db, handlers, logger, pollMs: 1_000 });

  const sender = createBroadcastSender({
    queue,
    pacer,
    logger,
    ratePerSecond: deps.config.broadcastRatePerSecond,
    requestTimeoutMs: SEND_TIMEOUT_MS,
    decryptChatId: (ciphertext) => Number(deps.cipher.decrypt(ciphertext)),
    send: async (target, content) => {
      await sendContent(api, target.chatId, content, {
        reply_markup: unsubscribeKeyboard(tFor(target.locale)),
      });
    },
    onCompleted: () => outbox.wake(),
  });

  const progress = progressWorker(deps, logger);
  services.wake = () => {
    sender.wake();
    outbox.wake();
    progress.wake();
  };

  return [
    { name: "broadcast-sender", start: () => sender.start(), stop: () => sender.stop() },
    { name: "broadcast-outbox", start: () => outbox.start(), stop: () => outbox.stop() },
    progress,
  ];
}

/**
 * Edits the progress message of every running broadcast at most every {@link PROGRESS_EDIT_MS}: instances take
 * turns through the broadcast row, and an edit that would change nothing is not sent.
 */
function progressWorker(deps: WorkerDeps, logger: WorkerDeps["logger"]): BackgroundWorker & { wake(): void } {
  const services = broadcastServices(deps);
  const samples = new Map<string, ProgressSample>();
  const shown = new Map<string, string>();

  async function tick(): Promise<void> {
    const ids = (await services.store.inProgress()).map((row) => row.id);
    for (const id of samples.keys()) if (!ids.includes(id)) samples.delete(id);
    for (const id of shown.keys()) if (!ids.includes(id)) shown.delete(id);
    for (const id of ids) {
      const broadcast = await services.store.takeProgressTurn(id, PROGRESS_EDIT_MS);
      if (!broadcast?.progressChatId || !broadcast.progressMessageId) continue;
      const { screen, sample } = progressView(services, await deps.regions(), broadcast, samples.get(id));
      samples.set(id, sample);
      const rendered = JSON.stringify(screen);
      if (shown.get(id) === rendered) continue;
      shown.set(id, rendered);
      await deps.api
        .editMessageText(Number(broadcast.progressChatId), Number(broadcast.progressMessageId), screen.text, {
          reply_markup: screen.keyboard,
        })
        .catch((error: unknown) => {
          if (!String(error).includes("message is not modified")) {
            logger.warn({ broadcast_id: id, err: error }, "could not edit the progress message");
          }
        });
    }
  }

  const loop = createPollingLoop(
    async () => {
      await tick();
      return false; // one pass a second is enough: edits are at most every PROGRESS_EDIT_MS anyway
    },
    { idleMs: 1_000, onError: (error) => logger.error({ err: error }, "progress update failed") },
  );
  return { name: "broadcast-progress", ...loop };
}
