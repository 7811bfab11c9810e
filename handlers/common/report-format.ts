import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import { formatRupiah } from "../../domain/report/amount.ts";
import type { Category } from "../../domain/report/categories.ts";
import { formatDate } from "../../domain/report/dates.ts";
import type { ReportLocation } from "../../domain/report/draft.ts";
import { CATEGORY_STEPS, type Step } from "../../domain/report/steps.ts";
import type { Translate } from "./context.ts";
import { escapeHtml } from "./html.ts";
import type { Locale } from "./locale.ts";

/**
 * Shows stored report answers to people: the reporter's review, "My reports", the officers' card. Every piece of
 * citizen text goes through {@link escapeHtml}; the result is HTML.
 */
export interface AnswerFormatter {
  /** One answer; `null` (skipped) reads as "not given". Personal answers arrive decrypted. */
  answer(step: Step, value: unknown): string;
  location(location: ReportLocation): string;
  category(category: Category): string;
  /** The label of a step (`report:steps.<id>.label`). */
  label(stepId: string): string;
  /** "label: answer" lines of a category's own questions that have an answer. */
  details(category: Category, details: Record<string, unknown>): string[];
}

export function answerFormatter(t: Translate, locale: Locale, regions: RegionCatalog): AnswerFormatter {
  const option = (stepId: string, value: string) => escapeHtml(t(`report:options.${stepId}.${value}`));
  const formatter: AnswerFormatter = {
    label: (stepId) => t(`report:steps.${stepId}.label`),
    category: (category) => option("category", category),
    location(location) {
      if (location.type === "point") {
        return t("report:format.point", {
          lat: location.latitude.toFixed(5),
          lon: location.longitude.toFixed(5),
        });
      }
      const code = location.districtCode ?? location.regencyCode;
      return escapeHtml(regions.label(code) ?? code);
    },
    answer(step, value) {
      if (value === null || value === undefined) return t("report:format.notGiven");
      switch (step.kind) {
        case "choice":
          return option(step.id, String(value));
        case "multi":
          return (value as string[]).map((item) => option(step.id, item)).join(", ");
        case "date":
          return formatDate(String(value), locale);
        case "location":
          return formatter.location(value as ReportLocation);
        case "evidence":
          return t("report:format.evidenceCount", { count: Number(value) });
        case "text":
          if (step.display === "rupiah") return formatRupiah(Number(value), locale);
          if (step.display === "links") return (value as string[]).map(escapeHtml).join("\n");
          return escapeHtml(String(value));
        default:
          return escapeHtml(String(value));
      }
    },
    details(category, details) {
      return CATEGORY_STEPS[category]
        .filter((step) => details[step.id] !== undefined && details[step.id] !== null)
        .map((step) => `<b>${formatter.label(step.id)}</b>: ${formatter.answer(step, details[step.id])}`);
    },
  };
  return formatter;
}
