import type { User } from "grammy/types";
import type { Actor } from "../../domain/broadcast/broadcast-store.ts";
import type { BotContext } from "../common/context.ts";
import { announceNotAllowlisted } from "../common/staff-refusal.ts";

/** Telegram's stand-in sender for an administrator posting anonymously ("Remain anonymous"). */
const GROUP_ANONYMOUS_BOT_ID = 1087968824;

/** Why an update may not act on announcements. */
export type NotAdmin = "notStaffChat" | "anonymous" | "notAdmin";

/** "Budi Santoso (@budi)": how an administrator is named on announcements (officers are not protected). */
export function actorName(user: User): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || String(user.id);
  return (user.username ? `${name} (@${user.username})` : name).slice(0, 64);
}

/**
 * The administrator behind this update, if it comes from the staff group and its sender is an administrator
 * (or the creator) of the group right now (getChatMember, cached briefly). An anonymous administrator cannot
 * act: announcements and approvals must be attributable, and the two-person rule needs to tell people apart.
 */
export async function adminOf(ctx: BotContext): Promise<Actor | NotAdmin> {
  if (ctx.chat?.id !== ctx.app.config.staffChatId) return "notStaffChat";
  const from = ctx.from;
  if (!from || from.id === GROUP_ANONYMOUS_BOT_ID || ctx.msg?.sender_chat) return "anonymous";
  try {
    const role = await ctx.app.staff.roleOf(from.id, from);
    if (!role && ctx.app.staff.refusedByAllowlist(from.id)) await announceNotAllowlisted(ctx, from);
    if (role !== "admin") return "notAdmin";
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not check the staff group's administrators");
    return "notAdmin";
  }
  return { id: from.id, name: actorName(from) };
}

/** The locale key that explains a refusal. */
export function refusalKey(reason: NotAdmin): string {
  return reason === "anonymous" ? "broadcast:anonymousAdmin" : "broadcast:notAdmin";
}
