import { parseRupiah } from "./amount.ts";
import { ASN_SOCIAL_MEDIA_ACTIONS, CATEGORIES, type Category, OPTIONS } from "./categories.ts";
import { parseLinks } from "./links.ts";
import type { ParseResult } from "./parse-result.ts";
import { parseChronology, parseCount, parseShortText } from "./text.ts";

/**
 * The report conversation as data. A step is asked with `report:steps.<id>.prompt`; its answer is stored in
 * the draft under its id. Adding a question is adding an entry here (and its locale keys), not a code path.
 *
 * Kinds:
 * - `choice`: one of `options` (buttons labelled `report:options.<id>.<option>`; typing a label or number works too)
 * - `multi`: several of `options`, toggled, then Done
 * - `text`: typed text read by `parse`
 * - `date`: Today / Yesterday / a typed date
 * - `location`: Telegram's location button, or the region picker
 * - `evidence`: photos, videos, documents, voice notes, links; Done / Skip
 * - `contact`: Telegram's contact button (or a typed number)
 */
export type Step =
  | (StepBase & { kind: "choice"; options: readonly string[]; columns?: number })
  | (StepBase & { kind: "multi"; options: readonly string[]; columns?: number })
  | (StepBase & {
      kind: "text";
      parse: (text: string) => ParseResult<unknown>;
      /** How a stored answer is shown (default: as text). */
      display?: "rupiah" | "links";
    })
  | (StepBase & { kind: "date" })
  | (StepBase & { kind: "location" })
  | (StepBase & { kind: "evidence" })
  | (StepBase & { kind: "contact" });

export type StepKind = Step["kind"];

interface StepBase {
  /** Short (callback data carries it) and stable (drafts store answers under it). */
  id: string;
  /** May be skipped with the Skip button. */
  optional?: boolean;
  /** Asked only when this holds for the answers so far. */
  when?: (answers: Readonly<Record<string, unknown>>) => boolean;
  /** Holds personal data: encrypted in the draft, shown only to the reporter. */
  personal?: boolean;
  /** A safety tip (`report:safety.<tip>`) shown with the prompt. */
  safetyTip?: string;
}

const shortText = (min: number, max: number) => (text: string) => parseShortText(text, { min, max });

/** Per category: its own questions, asked right after the category. */
export const CATEGORY_STEPS: Record<Category, readonly Step[]> = {
  MONEY_POLITICS: [
    {
      id: "mp_given",
      kind: "multi",
      options: OPTIONS.mp_given,
      columns: 2,
      safetyTip: "noConfront",
    },
    { id: "mp_value", kind: "text", parse: parseRupiah, display: "rupiah", optional: true },
    { id: "mp_giver", kind: "text", parse: shortText(3, 300) },
    { id: "mp_beneficiary", kind: "text", parse: shortText(2, 200), optional: true },
    { id: "mp_recipients", kind: "text", parse: parseCount, optional: true },
  ],
  HOAX: [
    {
      id: "hx_platforms",
      kind: "multi",
      options: OPTIONS.hx_platforms,
      columns: 2,
    },
    { id: "hx_links", kind: "text", parse: parseLinks, display: "links", optional: true },
    { id: "hx_falsehood", kind: "text", parse: shortText(10, 1000) },
  ],
  ASN_NEUTRALITY: [
    { id: "asn_name", kind: "text", parse: shortText(2, 120), optional: true },
    { id: "asn_agency", kind: "text", parse: shortText(2, 200) },
    { id: "asn_position", kind: "text", parse: shortText(2, 200), optional: true },
    {
      id: "asn_actions",
      kind: "multi",
      options: OPTIONS.asn_actions,
      columns: 1,
    },
    {
      id: "asn_platforms",
      kind: "multi",
      options: OPTIONS.asn_platforms,
      columns: 2,
      when: (answers) =>
        Array.isArray(answers.asn_actions) &&
        answers.asn_actions.some((action) => ASN_SOCIAL_MEDIA_ACTIONS.includes(String(action))),
    },
    { id: "asn_link", kind: "text", parse: parseLinks, display: "links", optional: true },
    { id: "asn_account", kind: "text", parse: shortText(2, 100), optional: true },
    { id: "asn_candidate", kind: "text", parse: shortText(2, 200), optional: true },
  ],
  OTHER: [{ id: "ot_title", kind: "text", parse: shortText(5, 120) }],
};

/** The answers that hold the witnesses of an identified report, in order. */
export const WITNESS_ANSWER_IDS = ["witness_1", "witness_2", "witness_3"] as const;

const identified = (answers: Readonly<Record<string, unknown>>) => answers.identity === "IDENTIFIED";

/** Asked before the category's questions. */
export const HEAD_STEPS: readonly Step[] = [
  { id: "category", kind: "choice", options: CATEGORIES, columns: 1 },
];

/** Asked after the category's questions, for every category. */
export const TAIL_STEPS: readonly Step[] = [
  { id: "occurred_on", kind: "date" },
  { id: "learned_on", kind: "date" },
  { id: "location", kind: "location" },
  { id: "place_note", kind: "text", parse: shortText(2, 200), optional: true },
  { id: "chronology", kind: "text", parse: parseChronology },
  { id: "evidence", kind: "evidence", optional: true, safetyTip: "keepOriginal" },
  { id: "identity", kind: "choice", options: OPTIONS.identity, columns: 1 },
  { id: "reporter_name", kind: "text", parse: shortText(2, 100), when: identified, personal: true },
  { id: "reporter_phone", kind: "contact", when: identified, personal: true },
  // A formal report needs witnesses: up to three, one free-text answer each ("name, how to reach them"); Skip ends
  // the list. Encrypted like the reporter's own contact data.
  ...WITNESS_ANSWER_IDS.map(
    (id, index): Step => ({
      id,
      kind: "text",
      parse: shortText(2, 200),
      optional: true,
      personal: true,
      when: (answers) =>
        identified(answers) && (index === 0 || typeof answers[WITNESS_ANSWER_IDS[index - 1]!] === "string"),
    }),
  ),
];

/** The steps of a draft with this category and answers, in order (the head only while no category is chosen). */
export function stepsFor(category: Category | undefined, answers: Readonly<Record<string, unknown>>): Step[] {
  const all = category ? [...HEAD_STEPS, ...CATEGORY_STEPS[category], ...TAIL_STEPS] : [...HEAD_STEPS];
  return all.filter((step) => !step.when || step.when(answers));
}

/** Every step of every category, by id. */
export const STEP_BY_ID: ReadonlyMap<string, Step> = new Map(
  [...HEAD_STEPS, ...Object.values(CATEGORY_STEPS).flat(), ...TAIL_STEPS].map((step) => [step.id, step]),
);
