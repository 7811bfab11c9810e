import type { TicketAction } from "../../domain/ticket/workflow.ts";
import { TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import { decideForStaff } from "../../domain/triage/staff-policy.ts";
import type { Ticket } from "../../domain/triage/ticket-store.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import { type CardCallback, parseCardData } from "./callback-data.ts";
import { duplicateHintOf, forwardKeyboard, rejectKeyboard, reporterLabel, ticketState } from "./card.ts";
import { cardOf, refreshCard } from "./card-view.ts";
import { decideAndApply, refusalText } from "./decide-and-apply.ts";
import { targetOf, underMessage } from "./reply-target.ts";
import { sendFormToAdmin } from "./report-form-staff.ts";
import { triageServices } from "./services.ts";
import { activeReveal, PENDING_INPUT_MS, setPending, setReveal } from "./session-state.ts";
import { type Officer, officerOf } from "./staff-guard.ts";

type CallbackContext = BotContext & { callbackQuery: NonNullable<BotContext["callbackQuery"]> };

/** Done-alert keys of the workflow actions a button applies directly. */
const DONE_KEYS: Partial<Record<CardCallback["verb"], string>> = {
  claim: "triage:alerts.done.claim",
  release: "triage:alerts.done.release",
  verify: "triage:alerts.done.verify",
  forward: "triage:alerts.done.forward",
  reject: "triage:alerts.done.reject",
  close: "triage:alerts.done.close",
  reopen: "triage:alerts.done.reopen",
};

/**
 * The buttons of ticket cards (`tkt:`). Every press is checked here, whatever the button says: it must come from
 * the staff group, from a current member; the ticket is looked up by its code and the action decided again for
 * this person on the ticket's current state. Anything else is refused with an alert and logged.
 *
 * The press is answered last, after the card is edited: the officer's "done" means it is recorded and shown.
 */
export function staffActions(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(/^tkt:/, async (ctx) => {
    const officer = await officerOf(ctx);
    if (typeof officer === "string") {
      ctx.logger.warn(
        { reason: officer, chat_type: ctx.chat?.type, data_prefix: ctx.callbackQuery.data.slice(0, 7) },
        "refused a ticket button: not an officer in the staff group",
      );
      await ctx.answerCallbackQuery({ text: ctx.t(`triage:alerts.${officer}`), show_alert: true });
      return;
    }
    const callback = parseCardData(ctx.callbackQuery.data);
    if (!callback) {
      await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.expired"), show_alert: true });
      return;
    }
    const ticket = await triageServices(ctx.app).store.byCode(callback.code);
    if (!ticket) {
      await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.unknownTicket"), show_alert: true });
      return;
    }
    ctx.logger.info({ report_id: ticket.id, verb: callback.verb, role: officer.actor.role }, "ticket button");
    await onCallback(ctx, officer, ticket, callback);
  });

  return composer;
}

async function onCallback(ctx: CallbackContext, officer: Officer, ticket: Ticket, callback: CardCallback) {
  switch (callback.verb) {
    case "claim":
    case "release":
    case "verify":
    case "close":
    case "reopen":
      return act(ctx, officer, ticket, { type: callback.verb }, callback);
    case "forward":
      return act(ctx, officer, ticket, { type: "forward", destination: callback.destination }, callback, {
        note: callback.destination,
      });
    case "reject":
      if (callback.reason === "DUPLICATE") return askDuplicate(ctx, officer, ticket);
      return act(ctx, officer, ticket, { type: "reject", reason: callback.reason }, callback, {
        note: callback.reason,
      });
    case "forwardMenu":
    case "rejectMenu": {
      const probe: TicketAction =
        callback.verb === "forwardMenu"
          ? { type: "forward", destination: "GAKKUMDU" }
          : { type: "reject", reason: "NOT_A_VIOLATION" };
      const decision = decideForStaff(ticketState(ticket), probe, officer.actor);
      if (!decision.ok) return refuse(ctx, { ok: false, reason: decision.reason, ticket });
      const t = triageServices(ctx.app).staffT;
      const keyboard =
        callback.verb === "forwardMenu" ? forwardKeyboard(t, ticket.code) : rejectKeyboard(t, ticket.code);
      await ctx.editMessageReplyMarkup({ reply_markup: keyboard }).catch(() => undefined);
      await ctx.answerCallbackQuery();
      return;
    }
    case "back":
      await refreshCard(ctx.api, triageServices(ctx.app), ticket.id, ctx.callbackQuery.message);
      await ctx.answerCallbackQuery();
      return;
    case "askReporter":
      return askReporter(ctx, officer, ticket);
    case "revealContact":
      return revealContact(ctx, officer, ticket);
    case "evidence":
      return requestEvidence(ctx, officer, ticket);
    case "more":
      return showChronology(ctx, ticket);
    case "pin":
      return showPin(ctx, ticket);
    case "link":
      return linkDuplicate(ctx, officer, ticket);
    case "notSame":
      return dismissDuplicate(ctx, officer, ticket);
    case "unlink":
      return unlinkTicket(ctx, officer, ticket);
    case "form":
      return sendFormToAdmin(ctx, officer, ticket);
  }
}

/** Edits the cards of every ticket of a case (the lead's count, the linked ones' status line). */
async function refreshCase(ctx: CallbackContext, ticketIds: Iterable<string>): Promise<void> {
  const services = triageServices(ctx.app);
  for (const id of new Set(ticketIds)) await refreshCard(ctx.api, services, id);
}

/** Link: the proposed duplicate and this ticket become one case. */
async function linkDuplicate(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const services = triageServices(ctx.app);
  const hint = duplicateHintOf(ticket);
  if (!hint) {
    await refreshCard(ctx.api, services, ticket.id, ctx.callbackQuery.message);
    await ctx.answerCallbackQuery({ text: ctx.t("cases:alerts.noHint"), show_alert: true });
    return;
  }
  const result = await services.cases.link(ticket.id, hint.reportId, officer.identity);
  if (!result.ok) {
    await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.unknownTicket"), show_alert: true });
    return;
  }
  const summary = await services.cases.summary(result.caseId);
  ctx.logger.info({ report_id: ticket.id, case_id: result.caseId }, "tickets linked into a case");
  await refreshCard(ctx.api, services, ticket.id, ctx.callbackQuery.message);
  await refreshCase(ctx, summary?.tickets.map((item) => item.id) ?? []);
  await ctx.answerCallbackQuery({
    text: ctx.t("cases:alerts.linked", {
      tickets: summary?.tickets.length ?? 2,
      reporters: summary?.independentReporters ?? 2,
    }),
  });
}

/** Not the same: the proposal is dropped (audited). */
async function dismissDuplicate(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const services = triageServices(ctx.app);
  const hint = duplicateHintOf(ticket);
  if (hint) await services.cases.dismiss(ticket.id, hint.code, officer.identity);
  await refreshCard(ctx.api, services, ticket.id, ctx.callbackQuery.message);
  await ctx.answerCallbackQuery({ text: ctx.t(hint ? "cases:alerts.notSame" : "cases:alerts.noHint") });
}

/** Unlink: the ticket leaves its case and gets its whole card back (audited). */
async function unlinkTicket(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const services = triageServices(ctx.app);
  const others = ticket.case?.reports.map((item) => item.id) ?? [];
  const left = await services.cases.unlink(ticket.id, officer.identity);
  await refreshCard(ctx.api, services, ticket.id, ctx.callbackQuery.message);
  await refreshCase(
    ctx,
    others.filter((id) => id !== ticket.id),
  );
  await ctx.answerCallbackQuery({ text: ctx.t(left ? "cases:alerts.unlinked" : "cases:alerts.notInCase") });
}

/** Applies a workflow action and edits the card; on refusal, says why and shows the card as it is now. */
async function act(
  ctx: CallbackContext,
  officer: Officer,
  ticket: Ticket,
  action: TicketAction,
  callback: CardCallback,
  options: { note?: string } = {},
): Promise<void> {
  const services = triageServices(ctx.app);
  const outcome = await decideAndApply(services, ticket, action, officer, {
    note: options.note,
    notify: true,
  });
  if (!outcome.ok) {
    await refuse(ctx, outcome);
    return;
  }
  ctx.logger.info({ report_id: ticket.id, to_status: outcome.ticket.status }, "ticket action applied");
  await refreshCard(ctx.api, services, ticket.id, ctx.callbackQuery.message);
  const siblings = outcome.ticket.case?.reports.filter((item) => item.id !== ticket.id) ?? [];
  if (outcome.ticket.status !== ticket.status)
    await refreshCase(
      ctx,
      siblings.map((item) => item.id),
    );
  await ctx.answerCallbackQuery({ text: ctx.t(DONE_KEYS[callback.verb] ?? "triage:alerts.done.claim") });
}

async function refuse(ctx: CallbackContext, outcome: Parameters<typeof refusalText>[1]): Promise<void> {
  ctx.logger.info({ reason: outcome.reason, report_id: outcome.ticket?.id }, "ticket action refused");
  if (outcome.ticket) {
    await refreshCard(ctx.api, triageServices(ctx.app), outcome.ticket.id, ctx.callbackQuery.message);
  }
  await ctx.answerCallbackQuery({ text: refusalText(ctx.t, outcome), show_alert: true });
}

/** Ask reporter: the officer's next message (a reply to the prompt) becomes the question. */
async function askReporter(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  if (!ticket.reporterLinkEnc) {
    // No follow-up, erased or unlinked: say so before anything else, a question could never arrive.
    await ctx.answerCallbackQuery({ text: ctx.t("erasure:alerts.unreachable"), show_alert: true });
    return;
  }
  const decision = decideForStaff(ticketState(ticket), { type: "askReporter" }, officer.actor);
  if (!decision.ok) return refuse(ctx, { ok: false, reason: decision.reason, ticket });
  await prompt(ctx, officer, ticket, "question");
  await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.askPrompted") });
}

/** Reject as duplicate: the officer replies with the code of the original ticket. */
async function askDuplicate(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const probe = { type: "reject", reason: "DUPLICATE", duplicateOfCode: "?" } as const;
  const decision = decideForStaff(ticketState(ticket), probe, officer.actor);
  if (!decision.ok) return refuse(ctx, { ok: false, reason: decision.reason, ticket });
  await refreshCard(ctx.api, triageServices(ctx.app), ticket.id, ctx.callbackQuery.message);
  await prompt(ctx, officer, ticket, "duplicate");
  await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.duplicatePrompted") });
}

async function prompt(
  ctx: CallbackContext,
  officer: Officer,
  ticket: Ticket,
  kind: "question" | "duplicate" | "revealReason",
): Promise<void> {
  const t = triageServices(ctx.app).staffT;
  const pressed = ctx.callbackQuery.message;
  const mention = `<a href="tg://user?id=${officer.identity.id}">${escapeHtml(officer.identity.name)}</a>`;
  const text =
    kind === "question"
      ? t("triage:ask.prompt", { officer: mention, pseudonym: reporterLabel(t, ticket), code: ticket.code })
      : kind === "duplicate"
        ? t("triage:duplicate.prompt", { officer: mention, code: ticket.code })
        : t("roster:contact.reasonPrompt", { officer: mention, code: ticket.code });
  const sent = await ctx.api.sendMessage(ctx.app.config.staffChatId, text, {
    ...underMessage(ctx.app.config, pressed ? targetOf(pressed) : cardOf(ticket)),
    reply_markup: { force_reply: true, selective: true, input_field_placeholder: ticket.code },
  });
  setPending(ctx, {
    kind,
    code: ticket.code,
    promptId: sent.message_id,
    until: Date.now() + PENDING_INPUT_MS,
  });
}

/**
 * Show contact (admins): first the admin types the reason (a reply to the bot's prompt, handled in
 * officer-input.ts); the next press then shows the name and phone in an alert only the admin sees, records the
 * reason in the audit event and announces in the group who revealed which ticket and why.
 */
async function revealContact(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const decision = decideForStaff(ticketState(ticket), { type: "revealContact" }, officer.actor);
  if (!decision.ok) return refuse(ctx, { ok: false, reason: decision.reason, ticket });
  if (ticket.personalDataPurgedAt || !ticket.reporterNameEnc || !ticket.reporterPhoneEnc) {
    await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.contactGone"), show_alert: true });
    return;
  }
  const grant = activeReveal(ctx, ticket.code, Date.now());
  if (!grant) {
    await prompt(ctx, officer, ticket, "revealReason");
    await ctx.answerCallbackQuery({ text: ctx.t("roster:contact.reasonAsked") });
    return;
  }
  setReveal(ctx, undefined);
  const services = triageServices(ctx.app);
  const name = ctx.app.cipher.decrypt(ticket.reporterNameEnc);
  const phone = ctx.app.cipher.decrypt(ticket.reporterPhoneEnc);
  await services.store.recordEvent(
    ticket.id,
    { type: decision.event.type, status: ticket.status, note: grant.reason },
    officer.identity,
  );
  ctx.logger.info({ report_id: ticket.id }, "contact details revealed to an administrator");
  const t = services.staffT;
  await ctx.api.sendMessage(
    ctx.app.config.staffChatId,
    t("roster:contact.announce", { admin: officer.identity.name, code: ticket.code, reason: grant.reason }),
    underMessage(ctx.app.config, cardOf(ticket)),
  );
  await refreshCard(ctx.api, services, ticket.id, ctx.callbackQuery.message);
  await ctx.answerCallbackQuery({
    text: ctx.t("triage:alerts.contact", { name: name.slice(0, 100), phone }),
    show_alert: true,
  });
}

/** Evidence: queued for the staff worker, which posts the files under the card within the group's budget. */
async function requestEvidence(ctx: CallbackContext, officer: Officer, ticket: Ticket): Promise<void> {
  const count = ticket._count.evidence;
  if (count === 0) {
    await ctx.answerCallbackQuery({ text: ctx.t("triage:alerts.noEvidence"), show_alert: true });
    return;
  }
  const minute = Math.floor(Date.now() / 60_000);
  const queued = await triageServices(ctx.app).store.enqueue([
    {
      kind: TRIAGE_OUTBOX.evidence,
      dedupeKey: `${TRIAGE_OUTBOX.evidence}:${ticket.id}:${minute}`,
      payload: { reportId: ticket.id, requestedBy: officer.identity.name },
    },
  ]);
  await ctx.answerCallbackQuery({
    text: ctx.t(queued > 0 ? "triage:alerts.evidenceQueued" : "triage:alerts.evidenceAlready", { count }),
  });
}

/** More: the whole chronology, under the pressed card. */
async function showChronology(ctx: CallbackContext, ticket: Ticket): Promise<void> {
  const t = triageServices(ctx.app).staffT;
  const pressed = ctx.callbackQuery.message;
  await ctx.api.sendMessage(
    ctx.app.config.staffChatId,
    t("triage:chronology.full", { code: ticket.code, text: ticket.chronology.slice(0, 3900) }),
    {
      ...underMessage(ctx.app.config, pressed ? targetOf(pressed) : cardOf(ticket)),
      link_preview_options: { is_disabled: true },
    },
  );
  await ctx.answerCallbackQuery();
}

/** Map pin: the reported location as a Telegram location under the card (on demand: it costs a message). */
async function showPin(ctx: CallbackContext, ticket: Ticket): Promise<void> {
  const pressed = ctx.callbackQuery.message;
  if (ticket.latitude !== null && ticket.longitude !== null) {
    await ctx.api.sendLocation(
      ctx.app.config.staffChatId,
      ticket.latitude,
      ticket.longitude,
      underMessage(ctx.app.config, pressed ? targetOf(pressed) : cardOf(ticket)),
    );
  }
  await ctx.answerCallbackQuery();
}
