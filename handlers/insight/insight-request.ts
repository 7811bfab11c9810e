import { type InsightArgs, parseInsightArgs } from "../../domain/insight/insight-args.ts";
import type { InsightFilter } from "../../domain/insight/insight-queries.ts";
import { lastDays } from "../../domain/insight/period.ts";
import type { Region } from "../../domain/regions/region-types.ts";
import type { BotContext } from "../common/context.ts";
import { insightServices } from "./insight-services.ts";

/** The period officers get when they name none. */
export const DEFAULT_PERIOD_DAYS = 30;

export interface InsightRequest {
  filter: InsightFilter;
  args: InsightArgs;
  region?: Region;
}

/** A refusal of the command's arguments: the error's key, and the command's examples. */
export interface BadRequest {
  errorKey: string;
  params?: Record<string, unknown>;
}

/**
 * Reads a command's text into a filter: the period (default the last 30 days), the category, and an area found by
 * the region search (a province, or a regency/city when `levels` allows it).
 */
export async function readRequest(
  ctx: BotContext,
  text: string,
  now: Date,
  options: { levels: ReadonlyArray<"province" | "regency">; category: boolean },
): Promise<InsightRequest | BadRequest> {
  const { timeZone } = insightServices(ctx.app);
  const parsed = parseInsightArgs(text, now, timeZone);
  if (!parsed.ok) return { errorKey: `insight:errors.${parsed.error}` };
  const { args } = parsed;
  if (args.category && !options.category) return { errorKey: "insight:errors.unexpectedCategory" };
  const filter: InsightFilter = {
    period: args.period ?? lastDays(DEFAULT_PERIOD_DAYS, now, timeZone),
    category: args.category,
  };
  let region: Region | undefined;
  if (args.area) {
    const catalog = await ctx.app.regions();
    for (const level of options.levels) {
      region = catalog.search(args.area, { level, limit: 1 })[0];
      if (region) break;
    }
    if (!region) {
      const anyLevel = catalog.search(args.area, { limit: 1 })[0];
      return anyLevel && !options.levels.includes("regency")
        ? { errorKey: "insight:errors.areaNotProvince" }
        : { errorKey: "insight:errors.areaUnknown", params: { area: args.area.slice(0, 60) } };
    }
    if (region.level === "province") filter.provinceCode = region.code;
    else filter.regencyCode = region.code;
  }
  return { filter, args, region };
}

export function isBadRequest(value: InsightRequest | BadRequest): value is BadRequest {
  return "errorKey" in value;
}

/** A cache key for a query over a filter (its period is in days, so "30h" asked twice is one key). */
export function cacheKey(kind: string, filter: InsightFilter): string {
  return JSON.stringify([kind, filter.period, filter.category, filter.provinceCode, filter.regencyCode]);
}
