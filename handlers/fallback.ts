import { Composer } from "./common/composer.ts";
import type { BotContext } from "./common/context.ts";

/** Installed last: what no feature handled still gets an answer in a private chat; buttons are always answered. */
export const fallback = new Composer<BotContext>();

fallback.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("common:expiredButton") }));
fallback.chatType("private").on("message", (ctx) => ctx.reply(ctx.t("common:useMenu")));
