import { Composer } from "./common/composer.ts";
import type { BotContext } from "./common/context.ts";

/**
 * Awasi works in private chats and in the one staff group. Anywhere else (a group someone added the bot to,
 * a channel) it answers nothing and leaves, so reports and officers' work never show up in a public place.
 */
export const groupGuard = new Composer<BotContext>();

groupGuard.use(async (ctx, next) => {
  const chat = ctx.chat;
  if (!chat || chat.type === "private" || chat.id === ctx.app.config.staffChatId) return next();
  const status = ctx.myChatMember?.new_chat_member.status;
  if (status === "left" || status === "kicked") return; // already out
  ctx.logger.info({ chat_id: chat.id, chat_type: chat.type }, "leaving a chat that is not the staff group");
  await ctx.api.leaveChat(chat.id).catch((error: unknown) => {
    ctx.logger.warn({ err: error }, "could not leave a foreign chat");
  });
});
