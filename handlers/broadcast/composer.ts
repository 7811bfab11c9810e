import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { Actor } from "../../domain/broadcast/broadcast-store.ts";
import { contentFromMessage, type IncomingContentMessage } from "../../domain/broadcast/content.ts";
import { parseTicketCode } from "../../domain/report/ticket-code.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { isLocale, LOCALES, type Locale } from "../common/locale.ts";
import { adminOf, refusalKey } from "./admin-guard.ts";
import { BC, COMPOSER_AREA, COMPOSER_LANGUAGE } from "./callbacks.ts";
import { broadcastCommandNames } from "./commands.ts";
import { type ComposerState, newComposer, readComposer, writeComposer } from "./composer-state.ts";
import { audienceLabel, composerCard, formatNumber, ticketList } from "./render.ts";
import { sendContent, unsubscribeKeyboard } from "./send-content.ts";
import { broadcastServices } from "./services.ts";

/** Linked tickets per announcement: each gets a personal follow-up. */
export const MAX_LINKED_TICKETS = 20;

const CANCEL = /^\/(batal|cancel)(@\w+)?$/i;
const safe = { interpolation: { escapeValue: false } } as const;

/** The forum topic of the update's message, to keep the conversation in it. */
function threadOf(ctx: BotContext): number | undefined {
  const message = ctx.msg as Message | undefined;
  return message?.is_topic_message ? message.message_thread_id : undefined;
}

/**
 * The composer in the staff group (administrators only): `/siaran` (`/broadcast`) → the content as an ordinary
 * message → a card to choose the audience (all, an area, a language) and link tickets → Preview, which stores
 * the draft and shows it exactly as subscribers will receive it, with the audience count and Send / Cancel.
 * The state between steps is the admin's session in the group; after Preview the buttons carry the draft's id.
 */
export function composerFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const staff = composer.filter((ctx) => ctx.chat?.id === ctx.app.config.staffChatId);

  staff.command(broadcastCommandNames("compose"), async (ctx) => {
    const { staffT: t } = broadcastServices(ctx.app);
    const admin = await adminOf(ctx);
    if (typeof admin === "string") {
      ctx.logger.info({ reason: admin }, "announcement composer refused");
      await ctx.reply(t(refusalKey(admin)));
      return;
    }
    const now = Date.now();
    writeComposer(ctx.session, newComposer(now), now);
    ctx.logger.info({ admin_id: admin.id }, "announcement composer started");
    await ctx.reply(t("broadcast:askContent"), {
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
      reply_markup: { force_reply: true, selective: true },
    });
  });

  // The admin's next messages while the composer waits for content, an area name or ticket codes.
  staff.on("message", async (ctx, next) => {
    const now = Date.now();
    const state = readComposer(ctx.session, now);
    if (!state || state.step === "options") return next();
    const { staffT: t } = broadcastServices(ctx.app);
    const text = ctx.msg.text?.trim();
    if (text && CANCEL.test(text)) {
      writeComposer(ctx.session, undefined, now);
      await ctx.reply(t("broadcast:composerCancelled"));
      return;
    }
    if (text?.startsWith("/")) return next();
    const admin = await adminOf(ctx);
    if (typeof admin === "string") {
      writeComposer(ctx.session, undefined, now);
      return next();
    }
    if (state.step === "content") return takeContent(ctx, state, now);
    if (!text) return next();
    if (state.step === "area") return searchArea(ctx, state, text, now);
    return takeTickets(ctx, state, text, now);
  });

  async function takeContent(ctx: BotContext, state: ComposerState, now: number): Promise<void> {
    const { staffT: t } = broadcastServices(ctx.app);
    const message = ctx.msg!;
    const parsed = contentFromMessage(message as IncomingContentMessage);
    if (!parsed.ok) {
      if (parsed.reason === "album") {
        if (state.refusedAlbum === message.media_group_id) return;
        writeComposer(ctx.session, { ...state, refusedAlbum: message.media_group_id }, now);
        await ctx.reply(t("broadcast:albumRefused"));
        return;
      }
      await ctx.reply(t("broadcast:unsupported"));
      return;
    }
    await showCard(ctx, { ...state, content: parsed.content, step: "options" }, now);
  }

  async function searchArea(
    ctx: BotContext,
    state: ComposerState,
    query: string,
    now: number,
  ): Promise<void> {
    const { staffT: t } = broadcastServices(ctx.app);
    const regions = await ctx.app.regions();
    const found = regions
      .search(query.slice(0, 100), { limit: 20 })
      .filter((region) => region.level !== "district")
      .slice(0, 8);
    if (found.length === 0) {
      await ctx.reply(t("broadcast:areaNone", { query: query.slice(0, 100) }));
      return;
    }
    const keyboard = new InlineKeyboard();
    for (const region of found)
      keyboard.text(regions.label(region.code) ?? region.name, BC.pickArea(region.code)).row();
    keyboard.text(t("broadcast:buttons.back"), BC.back);
    writeComposer(ctx.session, state, now);
    await ctx.reply(t("broadcast:areaResults", { query: query.slice(0, 100) }), { reply_markup: keyboard });
  }

  async function takeTickets(
    ctx: BotContext,
    state: ComposerState,
    text: string,
    now: number,
  ): Promise<void> {
    const { staffT: t, store } = broadcastServices(ctx.app);
    const items = text.split(/[\s,;]+/).filter(Boolean);
    const codes = items.map((item) => parseTicketCode(item));
    const invalid = items.filter((_, index) => codes[index] === null);
    if (invalid.length > 0) {
      await ctx.reply(t("broadcast:ticketsInvalid", { items: invalid.slice(0, 10).join(", ") }));
      return;
    }
    const unique = [...new Set(codes as string[])];
    if (unique.length > MAX_LINKED_TICKETS) {
      await ctx.reply(t("broadcast:tooManyTickets", { max: MAX_LINKED_TICKETS }));
      return;
    }
    const unknown = await store.unknownReportCodes(unique);
    if (unknown.length > 0) {
      await ctx.reply(t("broadcast:ticketsUnknown", { codes: unknown.join(", ") }));
      return;
    }
    await showCard(ctx, { ...state, tickets: unique, step: "options" }, now);
  }

  /** Sends a new card (removing the buttons of the previous one) and remembers it. */
  async function showCard(ctx: BotContext, state: ComposerState, now: number): Promise<void> {
    const { staffT: t } = broadcastServices(ctx.app);
    if (state.cardMessageId !== undefined) {
      await ctx.api
        .editMessageReplyMarkup(ctx.chat!.id, state.cardMessageId, { reply_markup: undefined })
        .catch(() => undefined);
    }
    const card = composerCard(t, await ctx.app.regions(), state);
    const sent = await ctx.reply(card.text, { reply_markup: card.keyboard });
    writeComposer(ctx.session, { ...state, cardMessageId: sent.message_id }, now);
  }

  /** Replaces the pressed message with the card. */
  async function editCard(ctx: BotContext, state: ComposerState, now: number): Promise<void> {
    const { staffT: t } = broadcastServices(ctx.app);
    const pressed = ctx.callbackQuery?.message?.message_id;
    if (state.cardMessageId !== undefined && state.cardMessageId !== pressed) {
      await ctx.api
        .editMessageReplyMarkup(ctx.chat!.id, state.cardMessageId, { reply_markup: undefined })
        .catch(() => undefined);
    }
    const card = composerCard(t, await ctx.app.regions(), state);
    await ctx.editMessageText(card.text, { reply_markup: card.keyboard }).catch((error: unknown) => {
      if (!String(error).includes("message is not modified")) throw error;
    });
    writeComposer(ctx.session, { ...state, cardMessageId: pressed ?? state.cardMessageId }, now);
  }

  /** The presser's composer, or an answer that there is none. */
  async function composerOf(ctx: BotContext): Promise<ComposerState | undefined> {
    const state = readComposer(ctx.session, Date.now());
    if (!state) {
      const { staffT: t } = broadcastServices(ctx.app);
      await ctx.answerCallbackQuery({ text: t("broadcast:composerGone"), show_alert: true });
    }
    return state;
  }

  staff.callbackQuery(BC.everyone, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    await ctx.answerCallbackQuery();
    await editCard(
      ctx,
      { ...state, step: "options", audience: { ...state.audience, area: null } },
      Date.now(),
    );
  });

  staff.callbackQuery(COMPOSER_LANGUAGE, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    await ctx.answerCallbackQuery();
    const choice = ctx.match[1];
    const locale = isLocale(choice) ? choice : null;
    await editCard(ctx, { ...state, step: "options", audience: { ...state.audience, locale } }, Date.now());
  });

  staff.callbackQuery(BC.area, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    const { staffT: t } = broadcastServices(ctx.app);
    await ctx.answerCallbackQuery();
    writeComposer(ctx.session, { ...state, step: "area" }, Date.now());
    await ctx.reply(t("broadcast:askArea"), {
      reply_markup: new InlineKeyboard().text(t("broadcast:buttons.back"), BC.back),
    });
  });

  staff.callbackQuery(COMPOSER_AREA, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    const region = (await ctx.app.regions()).get(ctx.match[1] ?? "");
    if (!region || region.level === "district") {
      await ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
      return;
    }
    await ctx.answerCallbackQuery();
    const area = { level: region.level, code: region.code };
    await editCard(ctx, { ...state, step: "options", audience: { ...state.audience, area } }, Date.now());
  });

  staff.callbackQuery(BC.tickets, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    const { staffT: t } = broadcastServices(ctx.app);
    await ctx.answerCallbackQuery();
    writeComposer(ctx.session, { ...state, step: "tickets" }, Date.now());
    await ctx.reply(t("broadcast:askTickets"), {
      reply_markup: new InlineKeyboard()
        .text(t("broadcast:buttons.noTickets"), BC.noTickets)
        .text(t("broadcast:buttons.back"), BC.back),
    });
  });

  staff.callbackQuery(BC.noTickets, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    await ctx.answerCallbackQuery();
    await editCard(ctx, { ...state, step: "options", tickets: [] }, Date.now());
  });

  staff.callbackQuery(BC.back, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    await ctx.answerCallbackQuery();
    await editCard(ctx, { ...state, step: state.content ? "options" : "content" }, Date.now());
  });

  staff.callbackQuery(BC.discard, async (ctx) => {
    const { staffT: t } = broadcastServices(ctx.app);
    writeComposer(ctx.session, undefined, Date.now());
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(t("broadcast:composerCancelled")).catch(() => undefined);
  });

  staff.callbackQuery(BC.preview, async (ctx) => {
    const state = await composerOf(ctx);
    if (!state) return;
    const { staffT: t } = broadcastServices(ctx.app);
    const admin = await adminOf(ctx);
    if (typeof admin === "string") {
      await ctx.answerCallbackQuery({ text: t(refusalKey(admin)), show_alert: true });
      return;
    }
    if (!state.content) {
      await ctx.answerCallbackQuery({ text: t("broadcast:composerGone"), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await preview(ctx, state, admin);
  });

  /**
   * Stores the draft, then shows it in the group exactly as subscribers will get it (one copy per language of
   * the audience: the unsubscribe button is in the subscriber's language), and the count with Send / Cancel.
   */
  async function preview(ctx: BotContext, state: ComposerState, admin: Actor): Promise<void> {
    const services = broadcastServices(ctx.app);
    const { staffT: t, store } = services;
    const content = state.content!;
    const counts = await store.countAudience(state.audience);
    const draft = await store.createDraft({
      content,
      audience: state.audience,
      linkedReportCodes: state.tickets,
      createdBy: admin,
    });
    ctx.logger.info({ broadcast_id: draft.id, audience: counts.total }, "announcement previewed");
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    writeComposer(ctx.session, { ...state, step: "options", cardMessageId: undefined }, Date.now());

    const present = LOCALES.filter((locale) => (counts.byLocale[locale] ?? 0) > 0);
    const locales: Locale[] = state.audience.locale
      ? [state.audience.locale]
      : present.length > 0
        ? present
        : [services.staffLocale];
    const thread = threadOf(ctx);
    for (const locale of locales) {
      const language =
        locales.length > 1
          ? t("broadcast:previewLanguage", { language: t(`broadcast:languages.${locale}`) })
          : "";
      await ctx.reply(t("broadcast:previewHeader", { language, ...safe }));
      await sendContent(ctx.api, ctx.chat!.id, content, {
        reply_markup: unsubscribeKeyboard(ctx.app.translatorFor(locale)),
        ...(thread !== undefined ? { message_thread_id: thread } : {}),
      });
    }

    const n = (value: number) => formatNumber(value, services.staffLocale);
    const perLanguage =
      present.length > 1
        ? t("broadcast:perLanguage", {
            parts: present
              .map((locale) => `${t(`broadcast:languages.${locale}`)} ${n(counts.byLocale[locale] ?? 0)}`)
              .join(", "),
          })
        : "";
    const twoPerson = ctx.app.config.broadcastTwoPerson;
    const text = t("broadcast:ready", {
      audience: audienceLabel(t, await ctx.app.regions(), state.audience),
      count: n(counts.total),
      perLanguage,
      codes: ticketList(t, state.tickets),
      channel: ctx.app.config.publicChannelId ? t("broadcast:channelToo") : "",
      next:
        counts.total === 0
          ? t("broadcast:nobody")
          : t(twoPerson ? "broadcast:nextApproval" : "broadcast:nextSend"),
      ...safe,
    });
    const keyboard = new InlineKeyboard();
    if (counts.total > 0) {
      keyboard
        .text(
          twoPerson
            ? t("broadcast:buttons.requestApproval")
            : t("broadcast:buttons.send", { count: n(counts.total) }),
          BC.send(draft.id),
        )
        .row();
    }
    keyboard
      .text(t("broadcast:buttons.edit"), BC.edit(draft.id))
      .text(t("broadcast:buttons.cancel"), BC.drop(draft.id));
    await ctx.reply(text, { reply_markup: keyboard });
  }

  // The unsubscribe button under a preview: it only looks like the subscribers' one.
  staff.callbackQuery("sub:off", async (ctx) => {
    const { staffT: t } = broadcastServices(ctx.app);
    await ctx.answerCallbackQuery({ text: t("broadcast:previewButton") });
  });

  return composer;
}
