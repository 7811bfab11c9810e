import type { User } from "grammy/types";
import type { BotContext } from "./context.ts";
import { escapeHtml } from "./html.ts";

const ANNOUNCE_EVERY_MS = 60_000;
const lastAnnounced = new Map<number, number>();

/**
 * Tells the staff group that a member who is not on `STAFF_ALLOWLIST` tried to act (a leaked invite link, or a
 * colleague not yet approved). Once a minute per person, so a burst of presses is one notice.
 */
export async function announceNotAllowlisted(ctx: BotContext, user: User, now = Date.now()): Promise<void> {
  const last = lastAnnounced.get(user.id);
  if (last !== undefined && now - last < ANNOUNCE_EVERY_MS) return;
  if (lastAnnounced.size > 1000) lastAnnounced.clear();
  lastAnnounced.set(user.id, now);
  ctx.logger.warn("a staff-group member not on STAFF_ALLOWLIST tried to act");
  const t = ctx.app.translatorFor(ctx.app.config.defaultLocale);
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || String(user.id);
  await ctx.api
    .sendMessage(
      ctx.app.config.staffChatId,
      t("roster:notAllowlistedAttempt", {
        who: `<a href="tg://user?id=${user.id}">${escapeHtml(name.slice(0, 64))}</a>`,
        id: user.id,
      }),
      { protect_content: ctx.app.config.protectContent },
    )
    .catch((error: unknown) => ctx.logger.warn({ err: error }, "could not announce a refused member"));
}
