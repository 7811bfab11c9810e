import type { User } from "grammy/types";
import type { StaffActor } from "../../domain/ticket/workflow.ts";
import type { StaffIdentity } from "../../domain/triage/ticket-store.ts";
import type { BotContext } from "../common/context.ts";
import { announceNotAllowlisted } from "../common/staff-refusal.ts";

/** Telegram's stand-in sender for an administrator posting anonymously ("Remain anonymous"). */
export const GROUP_ANONYMOUS_BOT_ID = 1087968824;

/** An officer allowed to act, as the workflow and the audit trail see them. */
export interface Officer {
  actor: StaffActor;
  identity: StaffIdentity;
}

/** Why an update does not count as an officer's action. */
export type NotOfficer = "notStaffChat" | "anonymous" | "notMember" | "notAllowlisted";

/** "Budi Santoso (@budi)": how officers are named on cards and in the audit trail (officers are not protected). */
export function displayName(user: User): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || String(user.id);
  const full = user.username ? `${name} (@${user.username})` : name;
  return full.slice(0, 64);
}

/**
 * Whether this update is an officer's action: it comes from the staff group, from a person (not an anonymous
 * administrator, whose actions could not be attributed), who is a member of the group right now (getChatMember,
 * cached briefly) and on `STAFF_ALLOWLIST` when one is set. Anything else is refused and logged by the caller; an
 * attempt by a member missing from the allowlist is also announced in the group.
 */
export async function officerOf(ctx: BotContext): Promise<Officer | NotOfficer> {
  if (ctx.chat?.id !== ctx.app.config.staffChatId) return "notStaffChat";
  const from = ctx.from;
  if (!from || from.id === GROUP_ANONYMOUS_BOT_ID || ctx.msg?.sender_chat) return "anonymous";
  let role: Awaited<ReturnType<BotContext["app"]["staff"]["roleOf"]>>;
  try {
    role = await ctx.app.staff.roleOf(from.id, from);
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not check staff membership");
    role = null;
  }
  if (!role && ctx.app.staff.refusedByAllowlist(from.id)) {
    await announceNotAllowlisted(ctx, from);
    return "notAllowlisted";
  }
  if (!role) return "notMember";
  return { actor: { id: BigInt(from.id), role }, identity: { id: BigInt(from.id), name: displayName(from) } };
}
