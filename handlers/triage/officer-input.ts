import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { storableText } from "../../domain/report/storable-text.ts";
import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import { type QuestionPayload, TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import { decideForStaff } from "../../domain/triage/staff-policy.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import { cardData } from "./callback-data.ts";
import { reporterLabel, ticketState } from "./card.ts";
import { refreshCard } from "./card-view.ts";
import { type ActOutcome, decideAndApply, refusalText } from "./decide-and-apply.ts";
import { targetOf, underMessage } from "./reply-target.ts";
import { triageServices } from "./services.ts";
import { activePending, type PendingInput, REVEAL_GRANT_MS, setPending, setReveal } from "./session-state.ts";
import { CANCEL_COMMANDS } from "./staff-commands.ts";
import { type Officer, officerOf } from "./staff-guard.ts";

type MessageContext = BotContext & { message: Message };

/** Media an officer's question may carry (copied to the reporter; its caption rewritten as plain text). */
const QUESTION_MEDIA = ["photo", "document", "video", "voice", "audio", "animation"] as const;

/**
 * What an officer types after Ask reporter or Reject → Duplicate: a reply to the bot's prompt (only that) is the
 * question or the original ticket's code. Other messages are the officers' own conversation and pass through
 * untouched; /batal cancels.
 */
export function officerInput(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("message", async (ctx, next) => {
    if (ctx.chat.id !== ctx.app.config.staffChatId) return next();
    const pending = activePending(ctx, Date.now());
    if (!pending) return next();
    const message = ctx.message;
    const command = commandOf(message);
    if (command !== undefined) {
      if (!CANCEL_COMMANDS.includes(command)) return next();
      setPending(ctx, undefined);
      await ctx.reply(triageServices(ctx.app).staffT("triage:ask.cancelled"), replyTo(ctx, message));
      return;
    }
    const services = triageServices(ctx.app);
    const ticket = await services.store.byCode(pending.code);
    if (!ticket) {
      setPending(ctx, undefined);
      return next();
    }
    if (!answersPrompt(message, pending)) return next();
    const officer = await officerOf(ctx);
    if (typeof officer === "string") {
      setPending(ctx, undefined);
      ctx.logger.warn({ reason: officer }, "refused pending input: not an officer");
      return;
    }
    if (pending.kind === "question") await onQuestion(ctx, officer, ticket, message);
    else if (pending.kind === "revealReason") await onRevealReason(ctx, officer, ticket, message);
    else await onDuplicateCode(ctx, officer, ticket, message);
  });

  return composer;
}

/** The command's name without the bot's username ("/batal@awasi_bot" → "batal"), if the message is one. */
function commandOf(message: Message): string | undefined {
  const entity = message.entities?.[0];
  if (entity?.type !== "bot_command" || entity.offset !== 0 || !message.text) return undefined;
  return message.text.slice(1, entity.length).split("@")[0]?.toLowerCase();
}

/**
 * Whether the message answers the prompt: a reply to the bot's prompt (it asks for one with force_reply), and
 * nothing else. A reply to the card, or any other message, is the officers' own conversation even while a question
 * is pending: a message must never reach a reporter by accident. (In a forum topic a message that replies to
 * nothing "replies" to the topic's first message; that is not the prompt.)
 */
function answersPrompt(message: Message, pending: PendingInput): boolean {
  return message.reply_to_message?.message_id === pending.promptId;
}

function replyTo(ctx: BotContext, message: Message) {
  return underMessage(ctx.app.config, targetOf(message));
}

async function onQuestion(
  ctx: MessageContext,
  officer: Officer,
  ticket: Ticket,
  message: Message,
): Promise<void> {
  const services = triageServices(ctx.app);
  const t = services.staffT;
  // What is stored (the event's note, the outbox payload) must be valid UTF-8 without NUL.
  const text = message.text === undefined ? undefined : storableText(message.text).trim();
  const hasMedia = QUESTION_MEDIA.some((kind) => message[kind] !== undefined);
  if (!text && !hasMedia) {
    await ctx.reply(t("triage:ask.empty"), replyTo(ctx, message));
    return;
  }
  const outcome = await decideAndApply(services, ticket, { type: "askReporter" }, officer, {
    note: text ? storableText(text.slice(0, 500)) : null,
    // The question itself tells the reporter that more information is needed (no separate notice).
    notify: false,
    outbox: (eventId) => {
      const caption = hasMedia && !text ? message.caption?.trim().slice(0, 1000) : undefined;
      const payload: QuestionPayload = {
        reportId: ticket.id,
        staffMessageId: message.message_id,
        text,
        caption,
      };
      return [{ kind: TRIAGE_OUTBOX.question, dedupeKey: `${TRIAGE_OUTBOX.question}:${eventId}`, payload }];
    },
  });
  await finishInput(ctx, ticket, message, outcome, {
    log: "question to the reporter queued",
    done: t("triage:ask.sent", { pseudonym: reporterLabel(t, ticket), code: ticket.code }),
  });
}

const REASON_MIN = 5;
const REASON_MAX = 300;

/**
 * The reason an administrator typed for Show contact: kept (briefly, in their own session) for the press that
 * shows the details, which records it in the audit event. A reason too short gets a hint and the prompt stays.
 */
async function onRevealReason(
  ctx: MessageContext,
  officer: Officer,
  ticket: Ticket,
  message: Message,
): Promise<void> {
  const t = triageServices(ctx.app).staffT;
  const reason = message.text?.trim().replace(/\s+/g, " ") ?? "";
  if (reason.length < REASON_MIN) {
    await ctx.reply(t("roster:contact.reasonTooShort", { min: REASON_MIN }), replyTo(ctx, message));
    return;
  }
  setPending(ctx, undefined);
  const decision = decideForStaff(ticketState(ticket), { type: "revealContact" }, officer.actor);
  if (!decision.ok) {
    await ctx.reply(
      escapeHtml(refusalText(ctx.t, { ok: false, reason: decision.reason, ticket })),
      replyTo(ctx, message),
    );
    return;
  }
  setReveal(ctx, {
    code: ticket.code,
    reason: reason.slice(0, REASON_MAX),
    until: Date.now() + REVEAL_GRANT_MS,
  });
  const keyboard = new InlineKeyboard().text(
    t("triage:buttons.revealContact"),
    cardData({ verb: "revealContact", code: ticket.code }),
  );
  await ctx.reply(t("roster:contact.reasonNoted", { code: ticket.code }), {
    ...replyTo(ctx, message),
    reply_markup: keyboard,
  });
}

async function onDuplicateCode(
  ctx: MessageContext,
  officer: Officer,
  ticket: Ticket,
  message: Message,
): Promise<void> {
  const services = triageServices(ctx.app);
  const t = services.staffT;
  const typed = message.text?.trim() ?? "";
  const code = parseTicketCode(typed);
  const original = code ? await services.store.byCode(code) : null;
  if (!original) {
    await ctx.reply(t("triage:duplicate.invalid", { text: typed.slice(0, 40) }), replyTo(ctx, message));
    return;
  }
  if (original.id === ticket.id) {
    await ctx.reply(t("triage:duplicate.self"), replyTo(ctx, message));
    return;
  }
  const outcome = await decideAndApply(
    services,
    ticket,
    { type: "reject", reason: "DUPLICATE", duplicateOfCode: original.code },
    officer,
    { note: `DUPLICATE ${original.code}`, notify: true },
  );
  await finishInput(ctx, ticket, message, outcome, {
    log: "ticket rejected as a duplicate",
    done: t("triage:duplicate.done", { code: ticket.code, original: original.code }),
  });
}

/**
 * Ends a pending input once its decision was applied: the refusal under the officer's message, or the refreshed
 * card and `done` there.
 */
async function finishInput(
  ctx: MessageContext,
  ticket: Ticket,
  message: Message,
  outcome: ActOutcome,
  result: { log: string; done: string },
): Promise<void> {
  setPending(ctx, undefined);
  if (!outcome.ok) {
    await ctx.reply(escapeHtml(refusalText(ctx.t, outcome)), replyTo(ctx, message));
    return;
  }
  ctx.logger.info({ report_id: ticket.id }, result.log);
  await refreshCard(ctx.api, triageServices(ctx.app), ticket.id);
  await ctx.reply(result.done, replyTo(ctx, message));
}
