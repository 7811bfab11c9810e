import { InputFile } from "grammy";
import { type Summary, summarize } from "../../domain/insight/insight-queries.ts";
import { renderSummaryChart } from "../../domain/insight/render/insight-charts.ts";
import { formatDate } from "../../domain/report/dates.ts";
import { formatRemaining } from "../../domain/ticket/deadlines.ts";
import type { BotContext, Translate } from "../common/context.ts";
import { cacheKey, isBadRequest, readRequest } from "./insight-request.ts";
import { insightServices, periodLabel } from "./insight-services.ts";
import { fitCaption } from "./map-command.ts";

/**
 * `/rekap [period] [area]`: tickets by category, by status and per day in one chart; the caption carries the
 * numbers (total, urgent, past deadline, medians of time to claim and to close, forwarded) so they can be copied.
 */
export async function summaryCommand(ctx: BotContext, text: string, now = new Date()): Promise<void> {
  const services = insightServices(ctx.app);
  const t = services.staffT;
  const request = await readRequest(ctx, text, now, { levels: ["province", "regency"], category: false });
  if (isBadRequest(request)) {
    await ctx.reply(`${t(request.errorKey, request.params)}\n${t("insight:errors.examplesSummary")}`, {
      protect_content: ctx.app.config.protectContent,
    });
    return;
  }
  const { filter, region } = request;
  const summary = (await services.cache.get(cacheKey("summary", filter), () =>
    summarize(ctx.app.db, filter, services.rules(now)),
  )) as Summary;
  const period = periodLabel(t, services.locale, filter.period);
  const area = region ? region.name : t("insight:summary.allAreas");
  const categoryLabel = (c: string) => t(`insight:category.${c}`);
  const statusLabel = (s: string) => t(`insight:status.${s}`);
  const picture = renderSummaryChart(
    summary.byCategory.map((c) => ({ label: categoryLabel(c.category), count: c.count })),
    summary.byStatus.map((s) => ({ label: statusLabel(s.status), count: s.count })),
    summary.daily.map((d) => ({
      label: formatDate(d.day, services.locale).replace(/ \d{4}$/, ""),
      count: d.count,
    })),
    {
      title: t("insight:summary.title"),
      subtitle: t("insight:summary.subtitle", { period, area, total: summary.total }),
      source: t("insight:map.source"),
      categories: t("insight:summary.categories"),
      statuses: t("insight:summary.statuses"),
      trend: t("insight:summary.trend"),
    },
  );
  await ctx.replyWithPhoto(new InputFile(picture.png, "rekap.png"), {
    caption: fitCaption([summaryCaption(t, services.locale, summary, period, area)]),
    protect_content: ctx.app.config.protectContent,
  });
}

/** The numbers of a summary as text. */
export function summaryCaption(
  t: Translate,
  locale: "id" | "en",
  summary: Summary,
  period: string,
  area: string,
): string {
  const none = t("insight:summary.none");
  const pairs = (items: Array<{ label: string; count: number }>) =>
    items.length === 0 ? none : items.map((i) => t("insight:summary.pair", i)).join(" · ");
  const duration = (seconds: number | null) =>
    seconds === null ? none : formatRemaining(seconds * 1000, locale);
  return t("insight:summary.caption", {
    period,
    area,
    total: summary.total,
    incidents: summary.incidents,
    urgent: summary.urgent,
    overdue: summary.overdue,
    categories: pairs(
      summary.byCategory.map((c) => ({ label: t(`insight:category.${c.category}`), count: c.count })),
    ),
    statuses: pairs(
      summary.byStatus.map((s) => ({ label: t(`insight:status.${s.status}`), count: s.count })),
    ),
    claim: duration(summary.medianClaimSeconds),
    close: duration(summary.medianCloseSeconds),
    forwarded: pairs(
      summary.forwarded.map((f) => ({ label: t(`insight:destination.${f.destination}`), count: f.count })),
    ),
  });
}
