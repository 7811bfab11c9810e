import { InlineKeyboard } from "grammy";
import type { ReportStore } from "../../domain/report/report-store.ts";
import type { SubscriptionStore } from "../../domain/subscription/subscription-store.ts";
import { citizenCommandMenu, commandNames } from "../common/commands.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { isLocale, LOCALES } from "../common/locale.ts";
import { languageCallback, MENU, mainMenuKeyboard } from "../common/menu.ts";

const welcomeText = (ctx: BotContext) =>
  [
    ctx.t("welcome:greeting", { name: ctx.from?.first_name ?? "" }),
    ctx.t("welcome:privacy"),
    ctx.t("welcome:chooseLanguage"),
    ctx.t("welcome:menuPrompt"),
  ].join("\n\n");

/**
 * /start (greeting, privacy notice, menu, language), /bantuan, /privasi and /bahasa in private chats. Choosing a
 * language with /bahasa also moves an active subscription's announcements and the reporter's ticket notices to
 * it: the latest choice wins.
 */
export function createWelcomeFeature(deps: {
  subscriptions: SubscriptionStore;
  /** Reporters' notice language (Reporter.locale) follows /bahasa too. */
  reporters?: Pick<ReportStore, "setReporterLocale">;
}) {
  const welcomeFeature = new Composer<BotContext>();
  const citizen = welcomeFeature.chatType("private");

  citizen.command(commandNames("start"), async (ctx) => {
    await ctx.reply(welcomeText(ctx), {
      reply_markup: mainMenuKeyboard(ctx.t),
      link_preview_options: { is_disabled: true },
    });
  });

  citizen.command(commandNames("help"), (ctx) => ctx.reply(ctx.t("welcome:help")));
  citizen.callbackQuery(MENU.help, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("welcome:help"));
  });

  citizen.command(commandNames("privacy"), (ctx) =>
    ctx.reply(ctx.t("privacy:details", { days: ctx.app.config.retentionDays })),
  );

  citizen.command(commandNames("language"), async (ctx) => {
    const keyboard = new InlineKeyboard();
    for (const locale of LOCALES)
      keyboard.text(ctx.t(`welcome:languageButtons.${locale}`), languageCallback(locale));
    await ctx.reply(ctx.t("welcome:languagePrompt"), { reply_markup: keyboard });
  });

  citizen.callbackQuery(/^lang:(\w+)$/, async (ctx) => {
    const locale = ctx.match[1];
    if (!isLocale(locale)) return ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") });
    ctx.setLocale(locale);
    await ctx.answerCallbackQuery({ text: ctx.t("welcome:languageChanged") });
    // The command menu follows the user's choice in this chat, whatever their Telegram app's language.
    await ctx.api.setMyCommands(citizenCommandMenu(locale, ctx.t), {
      scope: { type: "chat", chat_id: ctx.chat.id },
    });
    const subscribed = await deps.subscriptions.setLocale(ctx.chat.id, locale);
    await deps.reporters?.setReporterLocale(ctx.from.id, locale);
    const changed = [ctx.t("welcome:languageChanged")];
    if (subscribed) changed.push(ctx.t("welcome:announcementsFollowLanguage"));
    await ctx.reply(`${changed.join(" ")}\n\n${ctx.t("welcome:menuPrompt")}`, {
      reply_markup: mainMenuKeyboard(ctx.t),
    });
  });
  return welcomeFeature;
}
