import type { ChatMember, ChatMemberUpdated, User } from "grammy/types";
import { createStaffRoster, type RosterRole } from "../../domain/staff/staff-roster.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext, Translate } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import type { Locale } from "../common/locale.ts";
import { roleOfMember, type StaffRole } from "../common/staff-membership.ts";
import { formatDateTime } from "./card.ts";
import { displayName, officerOf } from "./staff-guard.ts";

/** The roster's commands: each has an Indonesian and an English name; both work. */
export const ROSTER_COMMANDS = {
  who: { id: "siapa", en: "who" },
} as const satisfies Record<string, Record<Locale, string>>;

/** The roster's part of the staff group's command menu. */
export function rosterCommandMenu(locale: Locale, t: Translate) {
  return [{ command: ROSTER_COMMANDS.who[locale], description: t("roster:menu.who") }];
}

const ROSTER_LIMIT = 50;

/** The roster's role for a membership role. */
export function rosterRole(role: StaffRole | null): RosterRole | null {
  return role === "admin" ? "ADMIN" : role === "officer" ? "OFFICER" : null;
}

/** Whether a chat member is in the group at all (a restricted member still is). */
function inGroup(member: ChatMember): boolean {
  return (
    member.status === "creator" ||
    member.status === "administrator" ||
    member.status === "member" ||
    (member.status === "restricted" && member.is_member)
  );
}

/** A person as the staff group sees them: a mention with their escaped name. */
function mention(user: User): string {
  return `<a href="tg://user?id=${user.id}">${escapeHtml(displayName(user))}</a>`;
}

/**
 * The staff group's insiders: a chat_member update (asked for in ALLOWED_UPDATES) forgets the member's cached
 * role at once and records who can act since when; someone joining or being promoted is announced in the group
 * (with who let them in, and whether STAFF_ALLOWLIST or a restriction keeps them from acting), so an admin sees
 * a leaked invite link used. `/siapa` (`/who`) lists who can act now.
 */
export function staffRoster(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on("chat_member", async (ctx) => {
    const update = ctx.chatMember;
    if (update.chat.id !== ctx.app.config.staffChatId) return;
    const user = update.new_chat_member.user;
    ctx.app.staff.forget(user.id);
    const allowed = ctx.app.staff.allowed(user.id);
    const role = allowed ? roleOfMember(update.new_chat_member) : null;
    await createStaffRoster(ctx.app.db).record(
      user.id,
      rosterRole(role),
      new Date(update.date * 1000),
      displayName(user),
    );
    const notice = noticeOf(ctx, update, allowed);
    if (!notice) return;
    ctx.logger.info("staff group membership changed: announced");
    await ctx.api.sendMessage(ctx.app.config.staffChatId, notice, {
      protect_content: ctx.app.config.protectContent,
      link_preview_options: { is_disabled: true },
    });
  });

  composer.command([...new Set(Object.values(ROSTER_COMMANDS.who))], async (ctx) => {
    const officer = await officerOf(ctx);
    const t = ctx.app.translatorFor(ctx.app.config.defaultLocale);
    if (officer === "notStaffChat") {
      await ctx.reply(ctx.t("triage:command.staffOnly"));
      return;
    }
    if (typeof officer === "string") {
      await ctx.reply(ctx.t(`triage:alerts.${officer}`), { protect_content: ctx.app.config.protectContent });
      return;
    }
    const roster = createStaffRoster(ctx.app.db);
    const lines: string[] = [];
    for (const entry of await roster.list(ROSTER_LIMIT)) {
      // Checked again now: someone who left without the bot seeing it drops out of the roster here.
      const now = await ctx.app.staff.roleOf(Number(entry.userId)).catch(() => undefined);
      if (now === null) continue;
      const current = now === undefined ? entry.role : rosterRole(now);
      lines.push(
        t("roster:who.line", {
          name: entry.name,
          role: t(`roster:role.${current}`),
          since: formatDateTime(entry.since, ctx.app.config.defaultLocale),
        }),
      );
    }
    const list =
      ctx.app.config.staffAllowlist.length > 0 ? "roster:who.allowlistOn" : "roster:who.allowlistOff";
    await ctx.reply([t("roster:who.title", { count: lines.length }), ...lines, "", t(list)].join("\n"), {
      protect_content: ctx.app.config.protectContent,
    });
  });

  return composer;
}

/** The announcement of a join or a promotion; nothing for other changes (leaving, demotion, restriction). */
function noticeOf(ctx: BotContext, update: ChatMemberUpdated, allowed: boolean): string | undefined {
  const t = ctx.app.translatorFor(ctx.app.config.defaultLocale);
  const before = update.old_chat_member;
  const after = update.new_chat_member;
  const joined = !inGroup(before) && inGroup(after);
  const promoted = !joined && roleOfMember(after) === "admin" && roleOfMember(before) !== "admin";
  if (!joined && !promoted) return undefined;
  const user = after.user;
  const lines = [
    joined
      ? t("roster:joined", { who: mention(user), id: user.id })
      : t("roster:promoted", { who: mention(user), id: user.id }),
  ];
  if (update.invite_link) {
    lines.push(
      t("roster:viaInviteLink", { link: update.invite_link.name ?? update.invite_link.invite_link }),
    );
  } else if (update.from.id !== user.id) {
    lines.push(t("roster:by", { who: mention(update.from) }));
  }
  if (after.status === "restricted") lines.push(t("roster:restricted"));
  else if (!allowed) lines.push(t("roster:notOnAllowlist"));
  else lines.push(t(roleOfMember(after) === "admin" ? "roster:canActAdmin" : "roster:canActOfficer"));
  return lines.join("\n");
}
