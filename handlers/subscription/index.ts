import { InlineKeyboard } from "grammy";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import {
  areaFromCode,
  type SubscriptionState,
  type SubscriptionStore,
} from "../../domain/subscription/subscription-store.ts";
import { commandNames } from "../common/commands.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext, Translate } from "../common/context.ts";
import { ignoreHarmlessEdit } from "../common/edit-errors.ts";
import { isLocale, LOCALES } from "../common/locale.ts";
import { MENU } from "../common/menu.ts";
import { provincePicker, regencyPicker } from "./area-picker.ts";
import { PROVINCE, PROVINCE_PAGE, REGENCY_PAGE, SET_AREA, SET_LANGUAGE, SUB } from "./callbacks.ts";

/** The subscriber's area and language, as one HTML block. */
export function settingsText(t: Translate, regions: RegionCatalog, state: SubscriptionState): string {
  const code = state.regencyCode ?? state.provinceCode;
  const area = code ? (regions.label(code) ?? code) : t("subscription:areaAll");
  const language = isLocale(state.locale) ? t(`subscription:languages.${state.locale}`) : state.locale;
  return t("subscription:settings", { area, language });
}

function settingsKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("subscription:buttons.area"), SUB.provincePage(1))
    .text(t("subscription:buttons.language"), SUB.language)
    .row()
    .text(t("subscription:buttons.unsubscribe"), SUB.off);
}

/**
 * Enforcement announcements for citizens: `/langganan` (`/subscribe`), `/berhenti` (`/unsubscribe`), the
 * Announcements menu button, the offer after a report and the button under every announcement. Unsubscribing is
 * one tap and always works. A subscriber may choose an area (a province, or a regency/city) to also receive the
 * announcements for that area, and the language of the announcements' buttons.
 */
export function createSubscriptionFeature(deps: { store: SubscriptionStore }) {
  const feature = new Composer<BotContext>();
  const citizen = feature.chatType("private");
  const { store } = deps;

  /** Shows (or, from a button, replaces with) the subscriber's state and what they can change. */
  async function showState(ctx: BotContext, edit = false): Promise<void> {
    const state = await store.state(ctx.chat!.id);
    const regions = await ctx.app.regions();
    const [text, keyboard] =
      state?.active === true
        ? [
            `${ctx.t("subscription:stateOn")}\n\n${settingsText(ctx.t, regions, state)}`,
            settingsKeyboard(ctx.t),
          ]
        : [
            ctx.t("subscription:stateOff"),
            new InlineKeyboard().text(ctx.t("subscription:buttons.subscribe"), SUB.on),
          ];
    if (edit) {
      await ctx.editMessageText(text, { reply_markup: keyboard });
      return;
    }
    await ctx.reply(text, { reply_markup: keyboard });
  }

  async function subscribe(ctx: BotContext): Promise<void> {
    await store.subscribe(ctx.chat!.id, ctx.locale);
    ctx.logger.info("subscribed to announcements");
    const state = await store.state(ctx.chat!.id);
    const regions = await ctx.app.regions();
    const settings = state
      ? `\n\n${settingsText(ctx.t, regions, state)}\n${ctx.t("subscription:areaHint")}`
      : "";
    await ctx.reply(`${ctx.t("subscription:subscribed")}${settings}`, {
      reply_markup: settingsKeyboard(ctx.t),
    });
  }

  async function unsubscribe(ctx: BotContext): Promise<void> {
    await store.unsubscribe(ctx.chat!.id);
    ctx.logger.info("unsubscribed from announcements");
    await ctx.reply(ctx.t("subscription:unsubscribed"), {
      reply_markup: new InlineKeyboard().text(ctx.t("subscription:buttons.subscribe"), SUB.on),
    });
  }

  /** Area and language buttons only make sense for a subscriber: anyone else is told how to subscribe. */
  async function requireSubscriber(ctx: BotContext): Promise<boolean> {
    if (await store.isSubscribed(ctx.chat!.id)) return true;
    await ctx.answerCallbackQuery({ text: ctx.t("subscription:notSubscribed"), show_alert: true });
    return false;
  }

  citizen.command(commandNames("subscribe"), subscribe);
  citizen.command(commandNames("unsubscribe"), unsubscribe);
  citizen.callbackQuery(MENU.announcements, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showState(ctx);
  });
  citizen.callbackQuery(SUB.on, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await subscribe(ctx);
  });
  // One tap, always: under announcements too (a media message: only its button is removed).
  citizen.callbackQuery(SUB.off, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await unsubscribe(ctx);
  });
  citizen.callbackQuery(SUB.settings, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showState(ctx, true);
  });

  citizen.callbackQuery(PROVINCE_PAGE, async (ctx) => {
    if (!(await requireSubscriber(ctx))) return;
    await ctx.answerCallbackQuery();
    const screen = provincePicker(ctx.t, await ctx.app.regions(), Number(ctx.match[1]));
    // A page pressed twice shows the same screen: Telegram refuses the edit, and nothing is wrong.
    await ctx.editMessageText(screen.text, { reply_markup: screen.keyboard }).catch(ignoreHarmlessEdit);
  });
  citizen.callbackQuery([PROVINCE, REGENCY_PAGE], async (ctx) => {
    if (!(await requireSubscriber(ctx))) return;
    const [, code = "", page = "1"] = ctx.match;
    const screen = regencyPicker(ctx.t, await ctx.app.regions(), code, Number(page));
    if (!screen) return ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
    await ctx.answerCallbackQuery();
    // A page pressed twice shows the same screen: Telegram refuses the edit, and nothing is wrong.
    await ctx.editMessageText(screen.text, { reply_markup: screen.keyboard }).catch(ignoreHarmlessEdit);
  });
  citizen.callbackQuery(SET_AREA, async (ctx) => {
    const code = ctx.match[1] ?? "";
    const regions = await ctx.app.regions();
    const area = code === "all" ? null : areaFromCode(code);
    if (area === undefined || (code !== "all" && !regions.get(code))) {
      return ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
    }
    if (!(await store.setArea(ctx.chat.id, area))) {
      return ctx.answerCallbackQuery({ text: ctx.t("subscription:notSubscribed"), show_alert: true });
    }
    ctx.logger.info({ area_level: area ? (area.regencyCode ? "regency" : "province") : "all" }, "area saved");
    await ctx.answerCallbackQuery();
    const label = code === "all" ? ctx.t("subscription:areaAll") : (regions.label(code) ?? code);
    const state = await store.state(ctx.chat.id);
    const settings = state ? `\n\n${settingsText(ctx.t, regions, state)}` : "";
    await ctx.editMessageText(`${ctx.t("subscription:areaSaved", { area: label })}${settings}`, {
      reply_markup: settingsKeyboard(ctx.t),
    });
  });

  citizen.callbackQuery(SUB.language, async (ctx) => {
    if (!(await requireSubscriber(ctx))) return;
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard();
    for (const locale of LOCALES)
      keyboard.text(ctx.t(`subscription:languages.${locale}`), SUB.setLanguage(locale));
    keyboard.row().text(ctx.t("subscription:buttons.back"), SUB.settings);
    await ctx.editMessageText(ctx.t("subscription:pickLanguage"), { reply_markup: keyboard });
  });
  citizen.callbackQuery(SET_LANGUAGE, async (ctx) => {
    const locale = ctx.match[1];
    if (!isLocale(locale)) return ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
    if (!(await store.setLocale(ctx.chat.id, locale))) {
      return ctx.answerCallbackQuery({ text: ctx.t("subscription:notSubscribed"), show_alert: true });
    }
    await ctx.answerCallbackQuery();
    const state = await store.state(ctx.chat.id);
    const settings = state ? `\n\n${settingsText(ctx.t, await ctx.app.regions(), state)}` : "";
    const language = ctx.t(`subscription:languages.${locale}`);
    await ctx.editMessageText(`${ctx.t("subscription:languageSaved", { language })}${settings}`, {
      reply_markup: settingsKeyboard(ctx.t),
    });
  });
  return feature;
}
