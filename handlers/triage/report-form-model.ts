import type { EvidenceFingerprint } from "../../domain/evidence/evidence-store.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import type { Category } from "../../domain/report/categories.ts";
import { formatDate } from "../../domain/report/dates.ts";
import type { ReportLocation } from "../../domain/report/draft.ts";
import { CATEGORY_STEPS } from "../../domain/report/steps.ts";
import type { Witness } from "../../domain/witness/witnesses.ts";
import type { Translate } from "../common/context.ts";
import type { Locale } from "../common/locale.ts";
import { answerFormatter } from "../common/report-format.ts";
import { formatDateTime } from "./card.ts";
import { formatSize } from "./fingerprint-lines.ts";

/** One "label: value" line of the form. */
export interface FormRow {
  label: string;
  value: string;
}

export interface FormSection {
  title: string;
  rows: FormRow[];
  /** Running text under the rows (the chronology; a notice). */
  text?: string;
}

/** The filled-in report form as plain text, ready to lay out (PDF) or to test. */
export interface ReportFormModel {
  title: string;
  subtitle: string;
  sections: FormSection[];
  footer: FormRow[];
  signatures: [string, string];
}

/** What the form is made of: the ticket's stored answers, never more than the copy's reader may see. */
export interface ReportFormInput {
  code: string;
  category: Category;
  details: Record<string, unknown>;
  occurredOn: string;
  learnedOn: string;
  location: ReportLocation;
  placeNote: string | null;
  chronology: string;
  createdAt: Date;
  evidence: EvidenceFingerprint[];
  /** The reporter's own name and phone: only for an identified report, only in the admin's or the reporter's copy. */
  reporter: { name: string; phone: string } | null;
  anonymous: boolean;
  witnesses: Witness[];
  /** Days left to file formally within the legal limit (negative: passed), and how they are counted. */
  formalWindow: { deadline: string; daysLeft: number };
  electionKind: "pemilu" | "pilkada";
}

/** The category questions that describe the reported party (section 2); the others describe the event. */
const PARTY_STEPS = new Set([
  "mp_giver",
  "mp_beneficiary",
  "asn_name",
  "asn_agency",
  "asn_position",
  "asn_account",
  "asn_link",
  "asn_candidate",
  "hx_platforms",
  "hx_links",
]);

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&#39;": "'",
};

/** The formatter's HTML as the plain text it shows. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|amp|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/**
 * Lays a ticket out in the structure of Bawaslu's report form (Formulir Laporan, Model B.1 of Perbawaslu 7/2022
 * for a Pemilu; the Pilkada form for ELECTION_KIND=pilkada): 1 reporter, 2 reported party, 3 event, 4 witnesses,
 * 5 evidence, 6 chronology, then when it was reported and the days left to file.
 */
export function buildReportForm(
  t: Translate,
  locale: Locale,
  regions: RegionCatalog,
  input: ReportFormInput,
): ReportFormModel {
  const format = answerFormatter(t, locale, regions);
  const notGiven = t("reportForm:notGiven");
  const answerRows = (keep: (stepId: string) => boolean): FormRow[] =>
    CATEGORY_STEPS[input.category]
      .filter((step) => keep(step.id))
      .filter((step) => input.details[step.id] !== undefined && input.details[step.id] !== null)
      .map((step) => ({
        label: plainText(format.label(step.id)),
        value: plainText(format.answer(step, input.details[step.id])),
      }));

  const reporterSection: FormSection = input.reporter
    ? {
        title: t("reportForm:section.reporter"),
        rows: [
          { label: t("reportForm:field.name"), value: input.reporter.name },
          { label: t("reportForm:field.phone"), value: input.reporter.phone },
        ],
      }
    : {
        title: t("reportForm:section.reporter"),
        rows: [],
        text: input.anonymous ? t("reportForm:anonymous") : t("reportForm:identityWithheld"),
      };

  const party = answerRows((id) => PARTY_STEPS.has(id));
  const where = [
    plainText(format.location(input.location)),
    ...(input.placeNote ? [input.placeNote] : []),
  ].join(" · ");

  const evidenceRows: FormRow[] = input.evidence.map((item, index) => ({
    label: `${index + 1}. ${t(`evidence:kind.${item.kind}`)}`,
    value: evidenceValue(t, locale, item, !input.anonymous),
  }));

  return {
    title: t(`reportForm:title.${input.electionKind}`),
    subtitle: t("reportForm:subtitle", { code: input.code }),
    sections: [
      reporterSection,
      {
        title: t("reportForm:section.party"),
        rows: party.length > 0 ? party : [{ label: t("reportForm:field.party"), value: notGiven }],
      },
      {
        title: t("reportForm:section.event"),
        rows: [
          { label: t("reportForm:field.what"), value: plainText(format.category(input.category)) },
          ...answerRows((id) => !PARTY_STEPS.has(id)),
          { label: t("reportForm:field.where"), value: where },
          { label: t("reportForm:field.occurredOn"), value: formatDate(input.occurredOn, locale) },
          { label: t("reportForm:field.learnedOn"), value: formatDate(input.learnedOn, locale) },
        ],
      },
      {
        title: t("reportForm:section.witnesses"),
        rows: input.witnesses.map((witness, index) => ({
          label: `${index + 1}. ${witness.name}`,
          value: witness.contact ?? notGiven,
        })),
        ...(input.witnesses.length === 0 ? { text: t("reportForm:noWitnesses") } : {}),
      },
      {
        title: t("reportForm:section.evidence"),
        rows: evidenceRows,
        ...(evidenceRows.length === 0 ? { text: t("reportForm:noEvidence") } : {}),
      },
      { title: t("reportForm:section.chronology"), rows: [], text: input.chronology },
    ],
    footer: [
      { label: t("reportForm:field.reportedAt"), value: formatDateTime(input.createdAt, locale) },
      { label: t("reportForm:field.code"), value: input.code },
      {
        label: t("reportForm:field.formalLimit"),
        value:
          input.formalWindow.daysLeft >= 0
            ? t("reportForm:daysLeft", {
                count: input.formalWindow.daysLeft,
                deadline: formatDate(input.formalWindow.deadline, locale),
              })
            : t("reportForm:limitPassed", { deadline: formatDate(input.formalWindow.deadline, locale) }),
      },
    ],
    signatures: [t("reportForm:signature.receiver"), t("reportForm:signature.reporter")],
  };
}

/** "foto.jpg · image/jpeg · 1.2 MB · SHA-256 …"; the file name only where the reporter is named anyway. */
function evidenceValue(t: Translate, locale: Locale, item: EvidenceFingerprint, showName: boolean): string {
  if (item.kind === "LINK") return item.url ?? "";
  const parts = [
    ...(showName && item.fileName ? [item.fileName] : []),
    ...(item.mimeType ? [item.mimeType] : []),
    formatSize(item.sizeBytes, t),
  ];
  if (item.hashState === "DONE" && item.sha256) parts.push(`SHA-256 ${item.sha256}`);
  else if (item.hashState === "TOO_LARGE") parts.push(t("reportForm:tooLarge"));
  else parts.push(t("reportForm:hashPending"));
  if (item.receivedAt)
    parts.push(t("reportForm:receivedAt", { at: formatDateTime(item.receivedAt, locale) }));
  if (item.fileUniqueId) parts.push(t("reportForm:telegramRef", { ref: item.fileUniqueId }));
  return parts.join(" · ");
}
