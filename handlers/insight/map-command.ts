import { InputFile } from "grammy";
import { countByRegion, pins, type RegionCount } from "../../domain/insight/insight-queries.ts";
import { renderCountryMap, renderProvinceMap } from "../../domain/insight/render/insight-charts.ts";
import type { BotContext } from "../common/context.ts";
import { cacheKey, isBadRequest, readRequest } from "./insight-request.ts";
import { insightServices, percent, periodLabel } from "./insight-services.ts";

const CAPTION_LINES = 10;
/** Telegram's caption limit. */
export const CAPTION_LIMIT = 1024;

/**
 * `/peta [period] [category] [province]`: the national choropleth of reports per province, or one province's
 * regencies/cities ranked with the pins of its reports; the caption lists the top regions with their share of
 * urgent and of late tickets.
 */
export async function mapCommand(ctx: BotContext, text: string, now = new Date()): Promise<void> {
  const services = insightServices(ctx.app);
  const t = services.staffT;
  const reply = (message: string) => ctx.reply(message, { protect_content: ctx.app.config.protectContent });
  const request = await readRequest(ctx, text, now, { levels: ["province"], category: true });
  if (isBadRequest(request)) {
    await reply(`${t(request.errorKey, request.params)}\n${t("insight:errors.examplesMap")}`);
    return;
  }
  const { filter, region } = request;
  const rules = services.rules(now);
  const catalog = await ctx.app.regions();
  const level = region ? "regency" : "province";
  const counts = (await services.cache.get(cacheKey(`map:${level}`, filter), () =>
    countByRegion(ctx.app.db, filter, rules, level),
  )) as RegionCount[];
  const period = periodLabel(t, services.locale, filter.period);
  const category = filter.category
    ? t(`insight:category.${filter.category}`)
    : t("insight:map.allCategories");
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const title = region ? t("insight:map.titleProvince", { province: region.name }) : t("insight:map.title");
  const frame = {
    title,
    subtitle: t("insight:map.subtitle", { period, category, total }),
    source: t("insight:map.source"),
  };
  const name = (code: string) => catalog.get(code)?.name ?? code;
  let picture: { png: Buffer };
  let pinCount = 0;
  if (region) {
    const points = (await services.cache.get(cacheKey("pins", filter), () =>
      pins(ctx.app.db, filter),
    )) as Awaited<ReturnType<typeof pins>>;
    pinCount = points.length;
    picture = renderProvinceMap(
      region.code,
      counts.map((c) => ({ name: name(c.code), count: c.count })),
      points,
      { ...frame, bars: t("insight:map.bars"), pins: t("insight:map.pins") },
    );
  } else {
    picture = renderCountryMap(counts, { ...frame, legendNone: t("insight:map.legendNone") });
  }
  const lines = [t("insight:map.caption", { title, period, category, total })];
  if (total === 0) lines.push(t("insight:map.empty", { period, category }));
  else {
    lines.push("", t("insight:map.captionHeader"));
    counts.slice(0, CAPTION_LINES).forEach((c, i) => {
      lines.push(
        t("insight:map.captionLine", {
          rank: i + 1,
          name: name(c.code),
          count: c.count,
          urgent: percent(c.urgent, c.count),
          overdue: percent(c.overdue, c.count),
        }),
      );
    });
    if (region) lines.push("", t("insight:map.captionPins", { count: pinCount }));
  }
  await ctx.replyWithPhoto(new InputFile(picture.png, region ? `peta-${region.code}.png` : "peta.png"), {
    caption: fitCaption(lines),
    protect_content: ctx.app.config.protectContent,
  });
}

/** Drops lines from the end until the caption fits Telegram's limit (its HTML tags count as text here: safe). */
export function fitCaption(lines: string[]): string {
  const kept = [...lines];
  while (kept.length > 1 && kept.join("\n").length > CAPTION_LIMIT) kept.pop();
  return kept.join("\n").slice(0, CAPTION_LIMIT);
}
