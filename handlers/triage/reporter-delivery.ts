import { type Api, InlineKeyboard } from "grammy";
import type { Logger } from "pino";
import type { OutboxHandler } from "../../domain/outbox/outbox-worker.ts";
import { RetryLaterError } from "../../domain/outbox/outbox-worker.ts";
import {
  createKeyedPacer,
  GLOBAL_PACE,
  PRIVATE_CHAT_PACE,
  SlidingWindowPacer,
} from "../../domain/pacing/sliding-window-pacer.ts";
import { statusNoticeKey } from "../../domain/ticket/workflow.ts";
import { noticePayload, questionPayload, TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import type { AppServices, Translate } from "../common/context.ts";
import { isLocale } from "../common/locale.ts";
import { answerData } from "./callback-data.ts";
import { deliveryError, ReporterUnreachableError } from "./delivery-errors.ts";
import { triageServices } from "./services.ts";
import { parse } from "./staff-delivery.ts";

export interface ReporterDeliveryDeps {
  /** A Bot API client without auto-retry: a 429 pauses the chat's pacer here. */
  api: Api;
  app: AppServices;
  logger: Logger;
  signal: AbortSignal;
}

const MAX_WAIT_MS = 30_000;

/**
 * Delivery to reporters' private chats: status notices and officers' questions, in the reporter's language
 * (`Reporter.locale`), paced at about one message a second per chat and 25 a second overall. The officer's name
 * never appears: a question is the bot's own message (or a copy of the officer's media, which shows no sender).
 */
export function reporterDeliveryHandlers(deps: ReporterDeliveryDeps): Record<string, OutboxHandler> {
  const { api, app, logger } = deps;
  const services = triageServices(app);
  const perChat = createKeyedPacer<number>(() => PRIVATE_CHAT_PACE);
  const global = new SlidingWindowPacer(GLOBAL_PACE);

  /** Sends to one reporter after the chat's and the global grant; a refusal becomes an outbox decision. */
  async function send<T>(chatId: number, call: () => Promise<T>): Promise<T> {
    const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(MAX_WAIT_MS)]);
    try {
      await perChat.acquire(chatId, { signal });
      await global.acquire({ signal });
      return await call();
    } catch (error) {
      if (signal.aborted) throw new RetryLaterError(1000, "reporter pacer busy or worker stopping");
      throw await deliveryError(error, {
        recipient: "reporter",
        onRetryAfter: (ms) => perChat.pauseFor(chatId, ms),
      });
    }
  }

  /** The ticket's reporter and a translator in their language; null when the ticket is linked to nobody. */
  async function reporterOf(ticket: Ticket | null): Promise<{ chatId: number; t: Translate } | null> {
    const contact = ticket && (await services.links.contactOf(app.db, ticket));
    if (!contact) return null;
    const locale = isLocale(contact.locale) ? contact.locale : app.config.defaultLocale;
    return { chatId: contact.chatId, t: app.translatorFor(locale) };
  }

  const postNotice: OutboxHandler = async (message) => {
    const payload = parse(noticePayload, message);
    const key = statusNoticeKey(payload.status, payload.fromStatus);
    const ticket = await services.store.byId(payload.reportId);
    const reporter = key ? await reporterOf(ticket) : null;
    if (!key || !ticket || !reporter) return { skipped: "nobody to tell" };
    const { chatId, t } = reporter;
    const text = t(key, {
      code: ticket.code,
      destination: payload.forwardedTo ? t(`triage:noticeDestination.${payload.forwardedTo}`) : "",
      reason: payload.rejectReason
        ? t(`triage:noticeReason.${payload.rejectReason}`, { code: payload.duplicateOfCode ?? "" })
        : "",
    });
    try {
      await send(chatId, () => api.sendMessage(chatId, text, { parse_mode: "HTML" }));
    } catch (error) {
      if (error instanceof ReporterUnreachableError)
        logger.info({ report_id: ticket.id }, "reporter unreachable: notice dropped");
      throw error;
    }
    logger.info({ report_id: ticket.id, status: payload.status }, "status notice sent to the reporter");
    return {};
  };

  const postQuestion: OutboxHandler = async (message) => {
    const payload = parse(questionPayload, message);
    const ticket = await services.store.byId(payload.reportId);
    const reporter = await reporterOf(ticket);
    if (!ticket || !reporter) return { skipped: "gone" };
    const { chatId, t } = reporter;
    const keyboard = new InlineKeyboard().text(
      t("triage:buttons.reporterReply"),
      answerData.reply(ticket.code),
    );
    const header = t("triage:ticket.notice.needsInfo", { code: ticket.code });
    let citizenMessageId: number;
    try {
      if (payload.text) {
        const text = `${header}\n\n${t("triage:reporter.question", { code: ticket.code, text: payload.text })}`;
        const sent = await send(chatId, () =>
          api.sendMessage(chatId, text, {
            parse_mode: "HTML",
            reply_markup: keyboard,
            link_preview_options: { is_disabled: true },
          }),
        );
        citizenMessageId = sent.message_id;
      } else {
        const intro = `${header}\n\n${t("triage:reporter.questionBelow", { code: ticket.code })}`;
        await send(chatId, () => api.sendMessage(chatId, intro, { parse_mode: "HTML" }));
        const sent = await send(chatId, () =>
          api.copyMessage(chatId, app.config.staffChatId, payload.staffMessageId, {
            reply_markup: keyboard,
            // The bot's own caption, without the officer's entities (text links, mentions).
            ...(payload.caption === undefined ? {} : { caption: payload.caption, caption_entities: [] }),
          }),
        );
        citizenMessageId = sent.message_id;
      }
    } catch (error) {
      if (error instanceof ReporterUnreachableError) {
        logger.info({ report_id: ticket.id }, "reporter unreachable: question not delivered");
        await services.store.enqueue([
          {
            kind: TRIAGE_OUTBOX.note,
            dedupeKey: `${TRIAGE_OUTBOX.note}:reporterUnreachable:${message.id}`,
            payload: { reportId: ticket.id, key: "reporterUnreachable" },
          },
        ]);
      }
      throw error;
    }
    await services.store.relay({
      reportId: ticket.id,
      direction: "TO_REPORTER",
      staffChatId: BigInt(app.config.staffChatId),
      staffMessageId: BigInt(payload.staffMessageId),
      citizenMessageId: BigInt(citizenMessageId),
    });
    logger.info({ report_id: ticket.id }, "question delivered to the reporter");
    return { messageId: citizenMessageId };
  };

  return { [TRIAGE_OUTBOX.notice]: postNotice, [TRIAGE_OUTBOX.question]: postQuestion };
}
