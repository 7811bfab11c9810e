import { InlineKeyboard, Keyboard } from "grammy";
import type { Message } from "grammy/types";
import { z } from "zod";
import { normalizeIndonesianPhone } from "../../domain/report/phone.ts";
import { parseShortText } from "../../domain/report/text.ts";
import {
  openWitnesses,
  sealWitnesses,
  WITNESS_LIMIT,
  WITNESS_STEPS,
  type Witness,
} from "../../domain/witness/witnesses.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { canBecomeFormal, FORMAL_CALLBACK } from "../common/legal-clock.ts";
import { refreshCard } from "./card-view.ts";
import { ownTicket } from "./own-ticket.ts";
import { triageServices } from "./services.ts";

const STEP_IDS = ["name", "phone", "witness_name", "witness_contact"] as const;
type StepId = (typeof STEP_IDS)[number];

/** The conversation's state in the session. Personal values are ciphertexts (domain/crypto cipher). */
const stateSchema = z.object({
  v: z.literal(1),
  code: z.string(),
  step: z.enum(STEP_IDS),
  until: z.number(),
  nameEnc: z.string().optional(),
  phoneEnc: z.string().optional(),
  /** Witnesses so far, sealed (domain/witness/witnesses.ts). */
  witnessesEnc: z.string().nullable().optional(),
  /** The name of the witness whose contact is asked. */
  pendingNameEnc: z.string().optional(),
});
type FormalState = z.infer<typeof stateSchema>;

const STATE_MS = 30 * 60_000;

function readState(ctx: BotContext): FormalState | undefined {
  const parsed = stateSchema.safeParse(ctx.session.formalReport);
  return parsed.success && parsed.data.until > Date.now() ? parsed.data : undefined;
}

function writeState(ctx: BotContext, state: FormalState | undefined): void {
  ctx.session.formalReport = state ? { ...state, until: Date.now() + STATE_MS } : undefined;
}

/**
 * "Make it a formal report" from an anonymous ticket's /status: explains what being named means (hearings,
 * LPSK protection), then asks the reporter's name, their own phone (contact button or typed, validated as in the
 * report flow) and up to three witnesses (name, optional contact; Skip). The ticket becomes identified in one
 * transaction with an IDENTIFIED event, and its card is edited. Installed before the report feature so that the
 * answers are not taken for a draft's.
 */
export function formalReport(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const citizen = composer.chatType("private");

  // Each press is answered last, after the bot's reply, so the reporter's app stops its spinner on the answer.
  citizen.callbackQuery(/^frm:([iy]):([A-Z0-9-]{3,16})$/, async (ctx) => {
    const [, verb, code] = ctx.match;
    const ticket = await ownTicket(ctx, code!);
    if (!ticket || !canBecomeFormal(ticket, ctx.app.config)) {
      await ctx.reply(ctx.t("legalClock:formal.notAllowed"));
    } else if (verb === "i") {
      await ctx.reply(ctx.t("legalClock:formal.explain"), {
        reply_markup: new InlineKeyboard()
          .text(ctx.t("legalClock:formal.continue"), FORMAL_CALLBACK.start(ticket.code))
          .text(ctx.t("legalClock:formal.cancel"), FORMAL_CALLBACK.cancel),
      });
    } else {
      const state: FormalState = { v: 1, code: ticket.code, step: "name", until: 0 };
      writeState(ctx, state);
      await ask(ctx, state);
    }
    await ctx.answerCallbackQuery();
  });

  citizen.callbackQuery(FORMAL_CALLBACK.cancel, async (ctx) => {
    writeState(ctx, undefined);
    await ctx.reply(ctx.t("legalClock:formal.cancelled"), { reply_markup: { remove_keyboard: true } });
    await ctx.answerCallbackQuery();
  });

  citizen.callbackQuery(FORMAL_CALLBACK.skip, async (ctx) => {
    const state = readState(ctx);
    if (state?.step === "witness_name") await finish(ctx, state);
    else if (state?.step === "witness_contact") await addWitness(ctx, state, undefined);
    await ctx.answerCallbackQuery();
  });

  citizen.on("message", async (ctx, next) => {
    const state = readState(ctx);
    if (!state) return next();
    if (ctx.message.text?.startsWith("/")) {
      writeState(ctx, undefined);
      return next();
    }
    await onAnswer(ctx, state, ctx.message);
  });

  return composer;
}

function witnessesOf(ctx: BotContext, state: FormalState): Witness[] {
  return openWitnesses(ctx.app.cipher, state.witnessesEnc);
}

async function ask(ctx: BotContext, state: FormalState, hint?: string): Promise<void> {
  const { t } = ctx;
  const cancel = new InlineKeyboard().text(t("legalClock:formal.cancel"), FORMAL_CALLBACK.cancel);
  const withSkip = new InlineKeyboard()
    .text(t("legalClock:formal.skip"), FORMAL_CALLBACK.skip)
    .text(t("legalClock:formal.cancel"), FORMAL_CALLBACK.cancel);
  const prefix = hint ? `${hint}\n\n` : "";
  switch (state.step) {
    case "name":
      await ctx.reply(prefix + t("legalClock:formal.askName"), { reply_markup: cancel });
      return;
    case "phone":
      await ctx.reply(prefix + t("legalClock:formal.askPhone"), {
        reply_markup: new Keyboard().requestContact(t("report:buttons.shareContact")).resized().oneTime(),
      });
      return;
    case "witness_name": {
      const step = WITNESS_STEPS[0]!;
      const number = witnessesOf(ctx, state).length + 1;
      await ctx.reply(prefix + t(step.promptKey, { number, max: WITNESS_LIMIT }), { reply_markup: withSkip });
      return;
    }
    case "witness_contact": {
      const step = WITNESS_STEPS[1]!;
      const name = state.pendingNameEnc ? ctx.app.cipher.decrypt(state.pendingNameEnc) : "";
      await ctx.reply(prefix + t(step.promptKey, { name }), { reply_markup: withSkip });
    }
  }
}

/** A parse failure's hint, in the report flow's words. */
const hintOf = (ctx: BotContext, errorKey: string, input = "") =>
  ctx.t(errorKey, { length: [...input].length });

async function onAnswer(ctx: BotContext, state: FormalState, message: Message): Promise<void> {
  const cipher = ctx.app.cipher;
  const text = message.text;
  const step: StepId = state.step;
  if (step === "phone") {
    let raw: string | undefined = text;
    if (message.contact) {
      if (message.contact.user_id !== undefined && message.contact.user_id !== ctx.from?.id) {
        return ask(ctx, state, ctx.t("report:hints.ownContact"));
      }
      raw = message.contact.phone_number.startsWith("+")
        ? message.contact.phone_number
        : `+${message.contact.phone_number}`;
    }
    if (raw === undefined) return ask(ctx, state, ctx.t("report:hints.contact"));
    const phone = normalizeIndonesianPhone(raw);
    if (!phone.ok) return ask(ctx, state, hintOf(ctx, phone.errorKey, raw));
    const next: FormalState = { ...state, phoneEnc: cipher.encrypt(phone.value), step: "witness_name" };
    writeState(ctx, next);
    await ctx.reply(ctx.t("legalClock:formal.phoneSaved"), { reply_markup: { remove_keyboard: true } });
    return ask(ctx, next);
  }
  if (text === undefined) return ask(ctx, state);
  if (step === "name") {
    const name = parseShortText(text, { min: 2, max: 100 });
    if (!name.ok) return ask(ctx, state, hintOf(ctx, name.errorKey, text));
    const next: FormalState = { ...state, nameEnc: cipher.encrypt(name.value), step: "phone" };
    writeState(ctx, next);
    return ask(ctx, next);
  }
  const witnessStep = WITNESS_STEPS.find((candidate) => candidate.id === step)!;
  const parsed = witnessStep.parse(text);
  if (!parsed.ok) return ask(ctx, state, hintOf(ctx, parsed.errorKey, text));
  if (step === "witness_name") {
    const next: FormalState = {
      ...state,
      pendingNameEnc: cipher.encrypt(parsed.value),
      step: "witness_contact",
    };
    writeState(ctx, next);
    return ask(ctx, next);
  }
  return addWitness(ctx, state, parsed.value);
}

async function addWitness(ctx: BotContext, state: FormalState, contact: string | undefined): Promise<void> {
  const cipher = ctx.app.cipher;
  const name = state.pendingNameEnc ? cipher.decrypt(state.pendingNameEnc) : undefined;
  const witnesses = witnessesOf(ctx, state);
  if (name) witnesses.push(contact ? { name, contact } : { name });
  const next: FormalState = {
    ...state,
    witnessesEnc: sealWitnesses(cipher, witnesses),
    pendingNameEnc: undefined,
    step: "witness_name",
  };
  if (witnesses.length >= WITNESS_LIMIT) return finish(ctx, next);
  writeState(ctx, next);
  return ask(ctx, next);
}

async function finish(ctx: BotContext, state: FormalState): Promise<void> {
  writeState(ctx, undefined);
  const ticket = await ownTicket(ctx, state.code);
  if (!ticket || !state.nameEnc || !state.phoneEnc || !canBecomeFormal(ticket, ctx.app.config)) {
    await ctx.reply(ctx.t("legalClock:formal.notAllowed"));
    return;
  }
  const services = triageServices(ctx.app);
  const witnesses = witnessesOf(ctx, state);
  const changed = await services.store.identify(ticket.id, {
    nameEnc: state.nameEnc,
    phoneEnc: state.phoneEnc,
    witnessesEnc: sealWitnesses(ctx.app.cipher, witnesses),
    note: `witnesses ${witnesses.length}`,
  });
  if (!changed) {
    await ctx.reply(ctx.t("legalClock:formal.notAllowed"));
    return;
  }
  ctx.logger.info(
    { report_id: ticket.id, witnesses: witnesses.length },
    "anonymous ticket made a formal report",
  );
  await refreshCard(ctx.api, services, ticket.id).catch((error: unknown) => {
    ctx.logger.warn({ err: error }, "could not edit the card after the formal report");
  });
  await ctx.reply(ctx.t("legalClock:formal.done", { code: ticket.code, witnesses: witnesses.length }));
}
