import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { storableText } from "../../domain/report/storable-text.ts";
import { isFinal, SYSTEM_ACTOR } from "../../domain/ticket/workflow.ts";
import { type AnswerPayload, TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import { decideForStaff } from "../../domain/triage/staff-policy.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { answerData, parseAnswerData } from "./callback-data.ts";
import { ticketState } from "./card.ts";
import { refreshCard } from "./card-view.ts";
import { ownTicket } from "./own-ticket.ts";
import { triageServices } from "./services.ts";
import { activeReply, REPLY_MODE_MS, setReply } from "./session-state.ts";

/** Media that are copied with the attribution as their caption. */
const CAPTIONED = ["photo", "document", "video", "voice", "audio", "animation"] as const;
/** Content that is copied as it is, after an attribution line (it cannot carry a caption). */
const BARE = ["video_note", "location", "venue"] as const;

/**
 * The reporter's side of a question: Reply opens reply mode for the ticket; every message sent then (text,
 * photos, documents, voice…) is posted under the card by the staff worker, attributed to the reporter's
 * pseudonym; Done (or /batal, or any command) ends it. Replying with Telegram's reply to the question works
 * without the button. Installed before the report feature, and takes a message only in reply mode.
 */
export function reporterReply(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const citizen = composer.chatType("private");

  citizen.callbackQuery(/^ans:/, async (ctx) => {
    const parsed = parseAnswerData(ctx.callbackQuery.data);
    if (!parsed) {
      await ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
      return;
    }
    if (parsed.kind === "done") {
      const wasOn = activeReply(ctx, Date.now()) !== undefined;
      setReply(ctx, undefined);
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      if (wasOn) await ctx.reply(ctx.t("triage:reporter.replyDone"));
      return;
    }
    const ticket = await ownTicket(ctx, parsed.code);
    if (!ticket) {
      await ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton"), show_alert: true });
      return;
    }
    if (isFinal(ticket.status)) {
      await ctx.answerCallbackQuery({ text: ctx.t("triage:reporter.replyClosed"), show_alert: true });
      return;
    }
    setReply(ctx, { code: ticket.code, until: Date.now() + REPLY_MODE_MS });
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("triage:reporter.replyPrompt", { code: ticket.code }), {
      reply_markup: doneKeyboard(ctx),
    });
  });

  citizen.on("message", async (ctx, next) => {
    const now = Date.now();
    const mode = activeReply(ctx, now);
    const repliedCode = questionCodeOf(ctx.message.reply_to_message);
    if (!mode && !repliedCode) return next();
    if (ctx.message.entities?.[0]?.type === "bot_command" && ctx.message.entities[0].offset === 0) {
      // Any command ends reply mode and does what it says (/batal, /lapor, /start…).
      setReply(ctx, undefined);
      return next();
    }
    const code = repliedCode ?? mode!.code;
    const ticket = await ownTicket(ctx, code);
    if (!ticket) {
      setReply(ctx, undefined);
      return next();
    }
    if (isFinal(ticket.status)) {
      setReply(ctx, undefined);
      await ctx.reply(ctx.t("triage:reporter.replyClosed"));
      return;
    }
    const payload = answerOf(ticket, ctx.message);
    if (!payload) {
      await ctx.reply(ctx.t("triage:reporter.replyUnsupported"));
      return;
    }
    await relayAnswer(ctx, ticket, payload);
    const mediaGroupId = ctx.message.media_group_id;
    const sameAlbum =
      mediaGroupId !== undefined && mode?.mediaGroupId === mediaGroupId && mode.code === ticket.code;
    setReply(ctx, { code: ticket.code, until: now + REPLY_MODE_MS, mediaGroupId });
    if (!sameAlbum)
      await ctx.reply(ctx.t("triage:reporter.replyReceived"), { reply_markup: doneKeyboard(ctx) });
  });

  return composer;
}

const doneKeyboard = (ctx: BotContext) =>
  new InlineKeyboard().text(ctx.t("triage:buttons.reporterDone"), answerData.done);

/** The ticket code of the officers' question this message replies to (its Reply button names it). */
function questionCodeOf(replied: Message | undefined): string | undefined {
  const rows = replied?.reply_markup?.inline_keyboard ?? [];
  for (const button of rows.flat()) {
    const data = "callback_data" in button ? button.callback_data : undefined;
    const parsed = data ? parseAnswerData(data) : undefined;
    if (parsed?.kind === "reply") return parsed.code;
  }
  return undefined;
}

/** How the staff worker posts this message, or undefined for what cannot be relayed (stickers, polls…). */
function answerOf(ticket: Ticket, message: Message): AnswerPayload | undefined {
  const base = { reportId: ticket.id, messageId: message.message_id };
  // Kept in the outbox (JSON) until delivered: without NUL and lone surrogates, which it cannot hold.
  if (message.text !== undefined) return { ...base, content: "text", text: storableText(message.text) };
  if (CAPTIONED.some((kind) => message[kind] !== undefined)) {
    return { ...base, content: "caption", text: storableText(message.caption ?? "") };
  }
  if (BARE.some((kind) => message[kind] !== undefined)) return { ...base, content: "bare" };
  return undefined;
}

/**
 * Queues the message for the staff group and records it (ANSWER_RELAYED); the first answer to an open question
 * moves the ticket from NEEDS_INFO back to IN_REVIEW (a system action; the reporter is told their answer was
 * received and the review goes on), and the card is edited.
 */
async function relayAnswer(ctx: BotContext, ticket: Ticket, payload: AnswerPayload): Promise<void> {
  const services = triageServices(ctx.app);
  let status = ticket.status;
  if (status === "NEEDS_INFO") {
    const decision = decideForStaff(ticketState(ticket), { type: "infoReceived" }, SYSTEM_ACTOR);
    const applied = decision.ok
      ? await services.store.apply(ticket, decision, null, { notify: true })
      : undefined;
    if (applied?.ok) status = applied.ticket.status;
  }
  const dedupeKey = `${TRIAGE_OUTBOX.answer}:${ticket.id}:${payload.messageId}`;
  const eventId = await services.store.recordEvent(ticket.id, { type: "ANSWER_RELAYED", status }, null, [
    { kind: TRIAGE_OUTBOX.answer, dedupeKey, payload },
  ]);
  if (eventId === null) return; // the same message again (Telegram redelivered the update)
  ctx.logger.info(
    { report_id: ticket.id, content: payload.content },
    "reporter's answer queued for the officers",
  );
  await refreshCard(ctx.api, services, ticket.id).catch((error: unknown) => {
    ctx.logger.warn({ err: error }, "could not edit the card after an answer");
  });
}
