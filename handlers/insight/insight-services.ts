import type { InsightRules } from "../../domain/insight/insight-queries.ts";
import type { Period } from "../../domain/insight/period.ts";
import { TtlCache } from "../../domain/insight/ttl-cache.ts";
import { formatDate } from "../../domain/report/dates.ts";
import { followUpDaysFor } from "../../domain/ticket/deadlines.ts";
import type { AppServices, Translate } from "../common/context.ts";

/** Identical statistics asked within this time are answered from memory. */
export const INSIGHT_CACHE_TTL_MS = 3 * 60_000;

export const DEFAULT_TIME_ZONE = "Asia/Jakarta";

/** What the insight commands share per process. */
export interface InsightServices {
  /** Labels of pictures and captions: the staff group's language (DEFAULT_LOCALE). */
  staffT: Translate;
  locale: "id" | "en";
  timeZone: string;
  followUpDays: number;
  cache: TtlCache<unknown>;
  rules(now: Date): InsightRules;
}

const perApp = new WeakMap<AppServices, InsightServices>();

export function insightServices(app: AppServices): InsightServices {
  let services = perApp.get(app);
  if (!services) {
    const followUpDays = followUpDaysFor(app.config.electionKind);
    services = {
      staffT: app.translatorFor(app.config.defaultLocale),
      locale: app.config.defaultLocale,
      timeZone: app.config.timeZone ?? DEFAULT_TIME_ZONE,
      followUpDays,
      cache: new TtlCache<unknown>(INSIGHT_CACHE_TTL_MS),
      rules: (now) => ({ votingDays: app.config.votingDays, followUpDays, now }),
    };
    perApp.set(app, services);
  }
  return services;
}

/** "1 Nov 2024 – 27 Nov 2024", or one day. */
export function periodLabel(t: Translate, locale: "id" | "en", period: Period): string {
  return period.from === period.to
    ? t("insight:period.day", { day: formatDate(period.from, locale) })
    : t("insight:period.range", { from: formatDate(period.from, locale), to: formatDate(period.to, locale) });
}

/** Percent of `part` in `whole`, rounded; 0 for an empty whole. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}
