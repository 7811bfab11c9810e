import { Composer, InlineKeyboard } from "grammy";
import type { SubscriptionStore } from "../../domain/subscription/subscription-store.ts";
import { commandNames } from "../common/commands.ts";
import type { BotContext } from "../common/context.ts";
import { MENU } from "../common/menu.ts";

/**
 * Enforcement announcements for citizens: `/langganan` (`/subscribe`), `/berhenti` (`/unsubscribe`), the
 * Announcements menu button and the offer after a report. Unsubscribing is one tap and always works.
 */
export function createSubscriptionFeature(deps: { store: SubscriptionStore }) {
  const feature = new Composer<BotContext>();
  const citizen = feature.chatType("private");

  async function showState(ctx: BotContext): Promise<void> {
    const subscribed = await deps.store.isSubscribed(ctx.chat!.id);
    const keyboard = subscribed
      ? new InlineKeyboard().text(ctx.t("subscription:buttons.unsubscribe"), "sub:off")
      : new InlineKeyboard().text(ctx.t("subscription:buttons.subscribe"), "sub:on");
    await ctx.reply(ctx.t(subscribed ? "subscription:stateOn" : "subscription:stateOff"), {
      reply_markup: keyboard,
    });
  }

  async function subscribe(ctx: BotContext): Promise<void> {
    await deps.store.subscribe(ctx.chat!.id, ctx.locale);
    await ctx.reply(ctx.t("subscription:subscribed"), {
      reply_markup: new InlineKeyboard().text(ctx.t("subscription:buttons.unsubscribe"), "sub:off"),
    });
  }

  async function unsubscribe(ctx: BotContext): Promise<void> {
    await deps.store.unsubscribe(ctx.chat!.id);
    await ctx.reply(ctx.t("subscription:unsubscribed"), {
      reply_markup: new InlineKeyboard().text(ctx.t("subscription:buttons.subscribe"), "sub:on"),
    });
  }

  citizen.command(commandNames("subscribe"), subscribe);
  citizen.command(commandNames("unsubscribe"), unsubscribe);
  citizen.callbackQuery(MENU.announcements, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showState(ctx);
  });
  citizen.callbackQuery("sub:on", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await subscribe(ctx);
  });
  citizen.callbackQuery("sub:off", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await unsubscribe(ctx);
  });
  return feature;
}
