/**
 * Reads the arguments of `/peta [period] [category] [area]`, `/rekap [period] [area]` and
 * `/ekspor [period] [csv|xlsx]`: the period first (one or two words), then a category word, then a format word,
 * and whatever is left is an area name for the region search.
 */
import type { Category } from "../report/categories.ts";
import { type Period, type PeriodError, parsePeriod } from "./period.ts";

/** Category words officers type, Indonesian and English. */
const CATEGORY_WORDS: Readonly<Record<string, Category>> = {
  "politik-uang": "MONEY_POLITICS",
  politikuang: "MONEY_POLITICS",
  pu: "MONEY_POLITICS",
  "money-politics": "MONEY_POLITICS",
  hoaks: "HOAX",
  hoax: "HOAX",
  hx: "HOAX",
  asn: "ASN_NEUTRALITY",
  "netralitas-asn": "ASN_NEUTRALITY",
  netralitas: "ASN_NEUTRALITY",
  "asn-neutrality": "ASN_NEUTRALITY",
  lainnya: "OTHER",
  lain: "OTHER",
  other: "OTHER",
};

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface InsightArgs {
  period?: Period;
  category?: Category;
  format?: ExportFormat;
  /** Words left over: an area name to search for. */
  area?: string;
}

export type InsightArgsResult = { ok: true; args: InsightArgs } | { ok: false; error: PeriodError };

/**
 * Splits a command's text into its parts; which parts a command accepts is its own business (an export takes
 * no area, a summary no category).
 *
 * @example parseInsightArgs("30h politik-uang Kalimantan Timur", now, "Asia/Jakarta")
 *   // { period: {…last 30 days}, category: "MONEY_POLITICS", area: "Kalimantan Timur" }
 */
export function parseInsightArgs(text: string, now: Date, timeZone: string): InsightArgsResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const args: InsightArgs = {};
  let rest = words;
  for (const take of [2, 1]) {
    if (rest.length < take) continue;
    const parsed = parsePeriod(rest.slice(0, take).join(" "), now, timeZone);
    if (parsed === null) continue;
    // Two words that are no period ("2024-11-27..2024-11-01 csv") may still start with a one-word period.
    if (!parsed.ok && take === 2) continue;
    if (!parsed.ok) return parsed;
    args.period = parsed.period;
    rest = rest.slice(take);
    break;
  }
  const remaining: string[] = [];
  for (const word of rest) {
    const lower = word.toLowerCase();
    const category = CATEGORY_WORDS[lower];
    if (category && !args.category && remaining.length === 0) {
      args.category = category;
      continue;
    }
    if ((EXPORT_FORMATS as readonly string[]).includes(lower) && !args.format) {
      args.format = lower as ExportFormat;
      continue;
    }
    remaining.push(word);
  }
  if (remaining.length > 0) args.area = remaining.join(" ");
  return { ok: true, args };
}
