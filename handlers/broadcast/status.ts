import { EVERYONE, parseAudience } from "../../domain/broadcast/audience.ts";
import { Composer } from "../common/composer.ts";
import type { BotContext } from "../common/context.ts";
import { escapeHtml } from "../common/html.ts";
import { broadcastCommandNames } from "./commands.ts";
import { audienceLabel, formatNumber } from "./render.ts";
import { broadcastServices } from "./services.ts";

const safe = { interpolation: { escapeValue: false } } as const;

/** `/siaran_status` (`/broadcast_status`) in the staff group: the ten newest broadcasts, for any staff member. */
export function statusFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => ctx.chat?.id === ctx.app.config.staffChatId);

  staff.command(broadcastCommandNames("status"), async (ctx) => {
    const { staffT: t, staffLocale, store } = broadcastServices(ctx.app);
    const role = ctx.from ? await ctx.app.staff.roleOf(ctx.from.id).catch(() => null) : null;
    if (!role) return;
    const broadcasts = await store.recent(10);
    if (broadcasts.length === 0) {
      await ctx.reply(t("broadcast:list.empty"));
      return;
    }
    const regions = await ctx.app.regions();
    const n = (value: number) => formatNumber(value, staffLocale);
    const date = new Intl.DateTimeFormat(staffLocale === "id" ? "id-ID" : "en-GB", {
      timeZone: "Asia/Jakarta",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    const items = broadcasts.map((broadcast, index) => {
      let audience = EVERYONE;
      try {
        audience = parseAudience(broadcast.audience);
      } catch {
        // An unreadable audience is listed as "all subscribers"; the sender never sends such a broadcast.
      }
      return t("broadcast:list.item", {
        index: index + 1,
        date: date.format(broadcast.startedAt ?? broadcast.createdAt),
        status: t(`broadcast:status.${broadcast.status}`),
        author: escapeHtml(broadcast.createdByName ?? String(broadcast.createdById)),
        audience: audienceLabel(t, regions, audience),
        sent: n(broadcast.sent),
        total: n(broadcast.total),
        blocked: n(broadcast.blocked),
        failed: n(broadcast.failed),
        ...safe,
      });
    });
    await ctx.reply([t("broadcast:list.title"), ...items].join("\n\n"));
  });

  return feature;
}
