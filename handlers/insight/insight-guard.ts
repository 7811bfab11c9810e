import type { BotContext } from "../common/context.ts";

/** Telegram's stand-in sender for an administrator posting anonymously ("Remain anonymous"). */
const GROUP_ANONYMOUS_BOT_ID = 1087968824;

export type InsightRefusal = "staffOnly" | "anonymous" | "notMember" | "adminOnly";

/**
 * Whether this update may run an insight command: it comes from the staff group, from a member right now
 * (getChatMember, cached briefly); exports also need an administrator. Returns the refusal's locale key otherwise.
 */
export async function insightRefusal(
  ctx: BotContext,
  need: "officer" | "admin",
): Promise<InsightRefusal | null> {
  if (ctx.chat?.id !== ctx.app.config.staffChatId) return "staffOnly";
  const from = ctx.from;
  if (!from || from.id === GROUP_ANONYMOUS_BOT_ID || ctx.msg?.sender_chat) {
    // An anonymous administrator may look at statistics but not take an export that must be attributable.
    return need === "admin" ? "anonymous" : null;
  }
  let role: "admin" | "officer" | null;
  try {
    role = await ctx.app.staff.roleOf(from.id);
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not check staff membership");
    role = null;
  }
  if (!role) return "notMember";
  if (need === "admin" && role !== "admin") return "adminOnly";
  return null;
}
