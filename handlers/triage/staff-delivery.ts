import type { Api, InputFile } from "grammy";
import type {
  InputMediaAudio,
  InputMediaDocument,
  InputMediaPhoto,
  InputMediaVideo,
  Message,
} from "grammy/types";
import type { Logger } from "pino";
import { createEvidenceStore } from "../../domain/evidence/evidence-store.ts";
import {
  type OutboxHandler,
  type OutboxMessage,
  PermanentOutboxError,
  RetryLaterError,
} from "../../domain/outbox/outbox-worker.ts";
import type { Category } from "../../domain/report/categories.ts";
import { formatRemaining } from "../../domain/ticket/deadlines.ts";
import { isOpen } from "../../domain/ticket/workflow.ts";
import {
  type AlertPayload,
  alertPayload,
  answerPayload,
  cardPayload,
  evidencePayload,
  notePayload,
  reminderPayload,
  TRIAGE_OUTBOX,
} from "../../domain/triage/outbox-kinds.ts";
import type { StaffPacer } from "../../domain/triage/staff-pacer.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import type { Evidence } from "../../generated/prisma/client.ts";
import type { AppServices } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import { renderCard, reporterLabel, shorten } from "./card.ts";
import { cardOf } from "./card-view.ts";
import { deliveryError, isTopicClosed, isTopicGone, StaffUnreachableError } from "./delivery-errors.ts";
import { fingerprintLines } from "./fingerprint-lines.ts";
import { carriesFileName, neutralFileName, renamedUpload } from "./neutral-file.ts";
import { underMessage } from "./reply-target.ts";
import { triageServices } from "./services.ts";
import { ticketLine } from "./staff-commands.ts";

export interface StaffDeliveryDeps {
  /** A Bot API client without auto-retry: a 429 must reach this code to pause the pacer. */
  api: Api;
  app: AppServices;
  logger: Logger;
  pacer: StaffPacer;
  /** The longest a delivery may wait for the pacer (less than the outbox lease). */
  maxWaitMs: number;
  /** Aborts waits when the worker stops. */
  signal: AbortSignal;
  now?: () => Date;
}

const FORUM_CACHE_MS = 5 * 60_000;
const REMINDER_LINES = 30;
/** Kinds of evidence Telegram can group into one album, and with what. */
const ALBUM_GROUP: Partial<Record<Evidence["kind"], string>> = {
  PHOTO: "visual",
  VIDEO: "visual",
  DOCUMENT: "document",
  AUDIO: "audio",
};

/**
 * Delivery of everything the bot posts in the staff group on its own initiative: cards, evidence, reporters'
 * answers, reminders, notes, and the queue summary. Each message first takes a grant from the group's pacer, so
 * no window of the budget (STAFF_RATE) is exceeded; a 429 pauses the pacer and the message waits its
 * `retry_after` in the outbox; nothing is lost across restarts.
 */
export function staffDeliveryHandlers(deps: StaffDeliveryDeps): Record<string, OutboxHandler> {
  const { api, app, logger, pacer } = deps;
  const services = triageServices(app);
  const evidenceStore = createEvidenceStore(app.db, app.cipher);
  const chatId = app.config.staffChatId;
  const t = services.staffT;
  const now = deps.now ?? (() => new Date());
  let forum: { value: boolean; until: number } | undefined;
  let summaryShown = false;
  /** This process saw the group refuse the bot (kicked, rights taken): the next successful post wakes the alert. */
  let unreachable = false;

  /** Sends one paced call (counted until Telegram answered); Telegram's refusals become outbox retry decisions. */
  async function paced<T>(count: number, call: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      const permit = await pacer.acquire(count, { maxWaitMs: deps.maxWaitMs, signal: deps.signal });
      try {
        result = await call();
      } finally {
        permit.done();
      }
    } catch (error) {
      if (deps.signal.aborted) throw new RetryLaterError(0, "worker stopping");
      const decision = await deliveryError(error, {
        recipient: "staff",
        onRetryAfter: (ms) => pacer.pauseFor(ms),
      });
      if (decision instanceof StaffUnreachableError) await raiseAlert("unreachable", decision.message);
      throw decision;
    }
    if (unreachable) {
      unreachable = false;
      // The bot can post again: the alert waiting in the outbox goes out now, not at its next retry.
      await services.store.wakeAlerts().catch(() => undefined);
    }
    return result;
  }

  /**
   * Queues an alert for the staff group (delivered when the bot can post there again). One "unreachable" alert
   * waits at a time, however many messages fail meanwhile.
   */
  async function raiseAlert(key: AlertPayload["key"], reason: string, reportId?: string): Promise<void> {
    if (key === "unreachable") {
      unreachable = true;
      if ((await services.store.pendingAlerts("unreachable")) > 0) return;
    }
    const since = now().toISOString();
    const payload: AlertPayload = {
      key,
      reason: reason.slice(0, 300),
      since,
      ...(reportId ? { reportId } : {}),
    };
    await services.store.enqueue([
      { kind: TRIAGE_OUTBOX.alert, dedupeKey: `${TRIAGE_OUTBOX.alert}:${key}:${reportId ?? since}`, payload },
    ]);
    logger.warn({ key, reason }, "staff alert queued");
  }

  async function isForum(): Promise<boolean> {
    if (forum && forum.until > Date.now()) return forum.value;
    const chat = await api.getChat(chatId);
    forum = {
      value: chat.type === "supergroup" && chat.is_forum === true,
      until: Date.now() + FORUM_CACHE_MS,
    };
    return forum.value;
  }

  /** The category's forum topic (created on first use), or undefined when the group is not a forum. */
  async function topicFor(category: Category): Promise<number | undefined> {
    if (!(await isForum())) return undefined;
    const known = await services.topics.get(chatId, category);
    if (known !== undefined) return known;
    let topic: Awaited<ReturnType<Api["createForumTopic"]>>;
    try {
      topic = await paced(1, () => api.createForumTopic(chatId, t(`report:options.category.${category}`)));
    } catch (error) {
      if (!(error instanceof PermanentOutboxError)) throw error;
      // No right to manage topics (or topics were just switched off): the card goes to the General topic.
      logger.warn({ category, reason: error.message }, "cannot create a forum topic; posting in General");
      return undefined;
    }
    const kept = await services.topics.save(chatId, category, topic.message_thread_id);
    if (kept !== topic.message_thread_id) {
      await api.deleteForumTopic(chatId, topic.message_thread_id).catch(() => undefined);
    }
    logger.info({ category, thread_id: kept }, "forum topic created for a category");
    return kept;
  }

  /** One summary when more cards wait than QUEUE_SUMMARY_THRESHOLD; again only after the queue has drained. */
  async function maybeSummary(): Promise<void> {
    const waiting = await services.store.pending(TRIAGE_OUTBOX.card);
    if (waiting <= app.config.queueSummaryThreshold) {
      summaryShown = false;
      return;
    }
    if (summaryShown) return;
    const { limit, windowMs } = app.config.staffRate;
    const perMinute = Math.max(1, Math.round((limit * 60_000) / windowMs));
    const text = t("triage:summary", {
      count: waiting,
      perMinute,
      eta: formatRemaining(Math.ceil(waiting / perMinute) * 60_000, app.config.staffLocale),
    });
    await paced(1, () =>
      api.sendMessage(chatId, text, { parse_mode: "HTML", protect_content: app.config.protectContent }),
    );
    summaryShown = true;
    logger.info({ waiting }, "queue summary posted");
  }

  const postCard: OutboxHandler = async (message) => {
    const { reportId } = parse(cardPayload, message);
    const ticket = await services.store.byId(reportId);
    if (!ticket) return { skipped: "gone" };
    if (ticket.staffMessageId !== null) return { skipped: "posted" };
    await maybeSummary();
    let threadId = await topicFor(ticket.category);
    const view = renderCard(await services.cardContext(now()), ticket, null);
    const send = (thread: number | undefined) =>
      paced(1, () =>
        api.sendMessage(chatId, view.text, {
          parse_mode: "HTML",
          reply_markup: view.keyboard,
          protect_content: app.config.protectContent,
          link_preview_options: { is_disabled: true },
          ...(thread !== undefined ? { message_thread_id: thread } : {}),
        }),
      );
    let sent: Message.TextMessage;
    try {
      try {
        sent = await send(threadId);
      } catch (error) {
        const gone = isTopicGone(error);
        if (
          threadId === undefined ||
          !(error instanceof PermanentOutboxError) ||
          !(gone || isTopicClosed(error))
        )
          throw error;
        // The category's topic was deleted or closed by an administrator: this card goes to the General topic
        // now; a deleted topic is forgotten, so that the next card of the category creates a new one.
        if (gone) await services.topics.forget(chatId, ticket.category, threadId);
        logger.warn(
          { category: ticket.category, thread_id: threadId, gone },
          "topic unusable; card posted in General",
        );
        threadId = undefined;
        sent = await send(undefined);
      }
    } catch (error) {
      if (error instanceof PermanentOutboxError) await raiseAlert("cardFailed", error.message, reportId);
      throw error;
    }
    const recorded = await services.store.recordCardPosted({
      reportId,
      outboxId: message.id,
      chatId,
      messageId: sent.message_id,
      threadId,
    });
    if (!recorded) {
      await api.deleteMessage(chatId, sent.message_id).catch(() => undefined);
      return { skipped: "duplicate" };
    }
    logger.info({ report_id: reportId, message_id: sent.message_id }, "card posted");
    return { messageId: sent.message_id };
  };

  const postEvidence: OutboxHandler = async (message) => {
    const { reportId, requestedBy } = parse(evidencePayload, message);
    const ticket = await services.store.byId(reportId);
    if (!ticket) return { skipped: "gone" };
    const items = await services.store.evidence(reportId);
    if (items.length === 0) return { skipped: "none" };
    const where = underMessage(app.config, cardOf(ticket));
    const fingerprints = fingerprintLines(t, await evidenceStore.fingerprints(reportId));
    const header = [
      t("triage:evidence.header", { code: ticket.code, count: items.length, name: requestedBy }),
      "",
      t("evidence:staffHeader", { code: ticket.code }),
      ...fingerprints,
    ].join("\n");
    await paced(1, () =>
      api.sendMessage(chatId, header, {
        parse_mode: "HTML",
        ...where,
      }),
    );
    const links: string[] = [];
    // An anonymous report's documents go out under a neutral name, never the one from the reporter's phone.
    const uploads = new Map<string, InputFile>();
    let withheld = 0;
    if (ticket.anonymous) {
      for (const item of items) {
        if (!item.fileId || !carriesFileName(item)) continue;
        const upload = await renamedUpload(api, item.fileId, neutralFileName(ticket.code, item));
        if (upload) uploads.set(item.id, upload);
        else withheld++;
      }
    }
    const sendable = (item: Evidence) => !ticket.anonymous || !carriesFileName(item) || uploads.has(item.id);
    for (const group of evidenceGroups(items.filter(sendable))) {
      if (group.length === 1 && group[0]!.kind === "LINK") {
        if (group[0]!.url) links.push(escapeHtml(group[0]!.url));
        continue;
      }
      await paced(group.length, () => sendEvidence(group, where, uploads));
    }
    if (withheld > 0) {
      await paced(1, () =>
        api.sendMessage(chatId, t("pins:documentsWithheld", { count: withheld }), {
          parse_mode: "HTML",
          ...where,
        }),
      );
    }
    if (links.length > 0) {
      await paced(1, () =>
        api.sendMessage(chatId, t("triage:evidence.links", { links: links.join("\n") }), {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...where,
        }),
      );
    }
    logger.info({ report_id: reportId, items: items.length }, "evidence posted");
    return { items: items.length };
  };

  async function sendEvidence(
    group: Evidence[],
    where: ReturnType<typeof underMessage>,
    uploads: ReadonlyMap<string, InputFile>,
  ): Promise<unknown> {
    const caption = (item: Evidence) =>
      item.caption ? escapeHtml(shorten(item.caption, 1000).text) : undefined;
    if (group.length > 1) {
      const media = group.map((item) => ({
        type:
          item.kind === "PHOTO"
            ? "photo"
            : item.kind === "VIDEO"
              ? "video"
              : item.kind === "AUDIO"
                ? "audio"
                : "document",
        media: uploads.get(item.id) ?? item.fileId!,
        caption: caption(item),
        parse_mode: "HTML" as const,
      })) as Array<InputMediaPhoto | InputMediaVideo | InputMediaDocument | InputMediaAudio>;
      return api.sendMediaGroup(chatId, media as InputMediaPhoto[], where);
    }
    const item = group[0]!;
    const file = uploads.get(item.id) ?? item.fileId!;
    const options = { ...where, caption: caption(item), parse_mode: "HTML" as const };
    switch (item.kind) {
      case "PHOTO":
        return api.sendPhoto(chatId, file, options);
      case "VIDEO":
        return api.sendVideo(chatId, file, options);
      case "VOICE":
        return api.sendVoice(chatId, file, options);
      case "AUDIO":
        return api.sendAudio(chatId, file, options);
      case "ANIMATION":
        return api.sendAnimation(chatId, file, options);
      case "VIDEO_NOTE":
        return api.sendVideoNote(chatId, file, where);
      default:
        return api.sendDocument(chatId, file, options);
    }
  }

  const postAnswer: OutboxHandler = async (message) => {
    const payload = parse(answerPayload, message);
    const ticket = await services.store.byId(payload.reportId);
    const reporterChat = ticket && services.links.chatOf(ticket);
    if (!ticket || reporterChat === null) return { skipped: "gone" };
    const where = underMessage(app.config, cardOf(ticket));
    const header = t("triage:answer.header", { pseudonym: reporterLabel(t, ticket), code: ticket.code });
    const text = payload.text ?? "";
    const postAnswerMessage = async (): Promise<number> => {
      if (payload.content === "text") {
        const body = escapeHtml(shorten(text, 4000 - header.length).text);
        const sent = await paced(1, () =>
          api.sendMessage(chatId, `${header}\n\n${body}`, { parse_mode: "HTML", ...where }),
        );
        return sent.message_id;
      } else if (payload.content === "caption") {
        const own = text ? `\n\n${escapeHtml(shorten(text, 1000 - header.length).text)}` : "";
        const sent = await paced(1, () =>
          api.copyMessage(chatId, reporterChat, payload.messageId, {
            caption: `${header}${own}`,
            parse_mode: "HTML",
            ...where,
          }),
        );
        return sent.message_id;
      } else {
        await paced(1, () => api.sendMessage(chatId, header, { parse_mode: "HTML", ...where }));
        const sent = await paced(1, () => api.copyMessage(chatId, reporterChat, payload.messageId, where));
        return sent.message_id;
      }
    };
    let posted: number;
    try {
      posted = await postAnswerMessage();
    } catch (error) {
      if (!(error instanceof PermanentOutboxError) || payload.content === "text") throw error;
      // The reporter's message can no longer be copied (they deleted it, or the chat): the officers are told,
      // and so is the reporter, on their next message to the bot.
      await services.store.enqueue([
        {
          kind: TRIAGE_OUTBOX.replyLost,
          dedupeKey: `${TRIAGE_OUTBOX.replyLost}:${ticket.id}:${payload.messageId}`,
          payload: { reportId: ticket.id },
        },
      ]);
      services.lostReplies.parked();
      await paced(1, () =>
        api.sendMessage(
          chatId,
          t("faults:staff.replyLost", { pseudonym: reporterLabel(t, ticket), code: ticket.code }),
          { parse_mode: "HTML", ...where },
        ),
      );
      await services.store.forgetPayloadText(message.id, payload);
      logger.warn({ report_id: ticket.id, reason: error.message }, "a reporter's answer could not be copied");
      return { skipped: "lost" };
    }
    await services.store.relay({
      reportId: ticket.id,
      direction: "TO_STAFF",
      staffChatId: BigInt(chatId),
      staffMessageId: BigInt(posted),
      citizenMessageId: BigInt(payload.messageId),
    });
    await services.store.forgetPayloadText(message.id, payload);
    logger.info(
      { report_id: ticket.id, content: payload.content },
      "reporter's answer posted under the card",
    );
    return { messageId: posted };
  };

  const postAlert: OutboxHandler = async (message) => {
    const payload = parse(alertPayload, message);
    const ticket = payload.reportId ? await services.store.byId(payload.reportId) : null;
    const since = new Intl.DateTimeFormat(app.config.defaultLocale === "id" ? "id-ID" : "en-GB", {
      timeZone: "Asia/Jakarta",
      dateStyle: "medium",
      timeStyle: "short",
    }).format(new Date(payload.since));
    const text = t(`faults:staff.${payload.key}`, {
      since,
      reason: escapeHtml(payload.reason),
      waiting: await services.store.pending(TRIAGE_OUTBOX.card),
      code: ticket?.code ?? "",
    });
    await paced(1, () =>
      api.sendMessage(chatId, text, { parse_mode: "HTML", protect_content: app.config.protectContent }),
    );
    logger.info({ key: payload.key }, "staff alert posted");
    return {};
  };

  const postReminder: OutboxHandler = async (message) => {
    const { kind, reportIds } = parse(reminderPayload, message);
    const tickets = (await Promise.all(reportIds.map((id) => services.store.byId(id)))).filter(
      (ticket): ticket is Ticket =>
        ticket !== null && (kind === "unclaimed" ? ticket.status === "NEW" : isOpen(ticket.status)),
    );
    if (tickets.length === 0) return { skipped: "resolved" };
    const cardContext = await services.cardContext(now());
    const lines = tickets.slice(0, REMINDER_LINES).map((ticket) => ticketLine(cardContext, ticket));
    if (tickets.length > REMINDER_LINES)
      lines.push(t("triage:queue.more", { count: tickets.length - REMINDER_LINES }));
    const text = t(kind === "urgentNear" ? "legalClock:reminder.urgentNear" : `triage:reminder.${kind}`, {
      count: tickets.length,
      time: formatRemaining(app.config.unclaimedReminderMs, app.config.staffLocale),
      lines: lines.join("\n"),
    });
    await paced(1, () =>
      api.sendMessage(chatId, text, {
        parse_mode: "HTML",
        protect_content: app.config.protectContent,
        link_preview_options: { is_disabled: true },
      }),
    );
    logger.info({ kind, tickets: tickets.length }, "reminder posted");
    return { tickets: tickets.length };
  };

  const postNote: OutboxHandler = async (message) => {
    const { reportId, key } = parse(notePayload, message);
    const ticket = await services.store.byId(reportId);
    if (!ticket) return { skipped: "gone" };
    const text = t(`triage:notes.${key}`, { pseudonym: reporterLabel(t, ticket), code: ticket.code });
    await paced(1, () =>
      api.sendMessage(chatId, text, { parse_mode: "HTML", ...underMessage(app.config, cardOf(ticket)) }),
    );
    return {};
  };

  return {
    [TRIAGE_OUTBOX.card]: postCard,
    [TRIAGE_OUTBOX.evidence]: postEvidence,
    [TRIAGE_OUTBOX.answer]: postAnswer,
    [TRIAGE_OUTBOX.reminder]: postReminder,
    [TRIAGE_OUTBOX.note]: postNote,
    [TRIAGE_OUTBOX.alert]: postAlert,
  };
}

/** Reads a payload; a malformed one can never be delivered. */
export function parse<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  message: OutboxMessage,
): T {
  const parsed = schema.safeParse(message.payload);
  if (!parsed.success) throw new PermanentOutboxError(`malformed ${message.kind} payload`);
  return parsed.data;
}

/**
 * Evidence in the order it was sent, grouped as Telegram albums allow: consecutive items of one album
 * (`mediaGroupId`) that can share an album (photos with videos; documents; audio), at most 10; others alone.
 */
export function evidenceGroups(items: Evidence[]): Evidence[][] {
  const groups: Evidence[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    const head = last?.[0];
    const canJoin =
      head !== undefined &&
      item.mediaGroupId !== null &&
      item.mediaGroupId === head.mediaGroupId &&
      item.fileId !== null &&
      ALBUM_GROUP[item.kind] !== undefined &&
      ALBUM_GROUP[item.kind] === ALBUM_GROUP[head.kind] &&
      last!.length < 10;
    if (canJoin) last!.push(item);
    else groups.push([item]);
  }
  return groups;
}
