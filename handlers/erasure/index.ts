import { InlineKeyboard } from "grammy";
import { eraseReporter } from "../../domain/privacy/erasure.ts";
import { commandNames } from "../common/commands.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";

/** Callback data of the confirmation (`del:`). */
const ERASE = { confirm: "del:yes", cancel: "del:no" } as const;

/**
 * `/hapus` (`/delete_my_data`): a citizen erases themselves. A confirmation first says plainly what goes and what
 * stays (the anonymised content of cases in progress); on Yes the database part is erased in one transaction
 * (domain/privacy/erasure.ts) and the session (draft, reply mode, language) is deleted from the session storage.
 * Afterwards no status notice or officer's question can reach this chat.
 */
export function createErasureFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const citizen = feature.chatType("private");

  citizen.command(commandNames("erase"), async (ctx) => {
    const keyboard = new InlineKeyboard()
      .text(ctx.t("erasure:buttons.confirm"), ERASE.confirm)
      .row()
      .text(ctx.t("erasure:buttons.cancel"), ERASE.cancel);
    await ctx.reply(ctx.t("erasure:confirm"), { reply_markup: keyboard });
  });

  citizen.callbackQuery(ERASE.cancel, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t("erasure:cancelled")).catch(() => undefined);
  });

  citizen.callbackQuery(ERASE.confirm, async (ctx) => {
    const t = ctx.t;
    const result = await eraseReporter(ctx.app.db, ctx.app.cipher, {
      userId: ctx.from.id,
      chatId: ctx.chat.id,
    });
    // The session storage deletes the session (draft, reply mode, language) at the end of this update.
    ctx.session = null as unknown as BotContext["session"];
    ctx.logger.info(
      { reports: result.reports, cancelled: result.cancelledMessages, subscription: result.subscription },
      "a citizen erased their data",
    );
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await ctx.reply(
      t("erasure:done", {
        reports: result.reports,
        subscription: t(result.subscription ? "erasure:subscriptionDeleted" : "erasure:noSubscription"),
      }),
    );
  });

  return feature;
}
