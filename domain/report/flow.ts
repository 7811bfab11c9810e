import { type Category, DETAILS_SCHEMAS } from "./categories.ts";
import type { IsoDate } from "./dates.ts";
import { type EvidenceItem, locationSchema, REVIEW, type ReportDraft, type ReportLocation } from "./draft.ts";
import { STEP_BY_ID, type Step, stepsFor } from "./steps.ts";

/**
 * The report conversation's engine: which step comes next, back, skip, edit from the review. Pure functions
 * over a draft; they return a new draft and never touch Telegram.
 */

export const visibleSteps = (draft: ReportDraft): Step[] => stepsFor(draft.category, draft.answers);

export const isAnswered = (draft: ReportDraft, step: Step): boolean => draft.answers[step.id] !== undefined;

/** The first step without an answer (skipped optional steps count as answered), or the review. */
export function firstPending(draft: ReportDraft): string {
  return visibleSteps(draft).find((step) => !isAnswered(draft, step))?.id ?? REVIEW;
}

/** The step being asked, or undefined at the review. A step a deploy removed resumes at the first pending one. */
export function currentStep(draft: ReportDraft): Step | undefined {
  if (draft.stepId === REVIEW) return undefined;
  const step = visibleSteps(draft).find((candidate) => candidate.id === draft.stepId);
  if (step) return step;
  const pending = firstPending(draft);
  return pending === REVIEW ? undefined : STEP_BY_ID.get(pending);
}

/** Normalises `stepId` after a deploy or a change of answers (see {@link currentStep}). */
export function settle(draft: ReportDraft): ReportDraft {
  const step = currentStep(draft);
  const stepId = step?.id ?? REVIEW;
  return stepId === draft.stepId ? draft : { ...draft, stepId, picker: undefined };
}

/**
 * Stores the answer of the current step and moves on: to the next unanswered step, or the review when every
 * step is answered (or when the step was opened from the review and nothing new became necessary).
 */
export function answer(draft: ReportDraft, stepId: string, value: unknown, now: number): ReportDraft {
  const answers = { ...draft.answers, [stepId]: value };
  const category = stepId === "category" ? (value as Category) : draft.category;
  const updated: ReportDraft = { ...draft, answers, category, picker: undefined, updatedAt: now };
  const steps = visibleSteps(updated);
  const index = steps.findIndex((step) => step.id === stepId);
  const next = steps.slice(index + 1).find((step) => !isAnswered(updated, step));
  const pending = firstPending(updated);
  const stepIdNext = updated.fromReview ? pending : (next?.id ?? pending);
  return { ...updated, stepId: stepIdNext, fromReview: updated.fromReview && stepIdNext !== REVIEW };
}

/** Skips an optional step (stored as `null`, shown as "not given"). */
export function skip(draft: ReportDraft, stepId: string, now: number): ReportDraft {
  return answer(draft, stepId, null, now);
}

/** One step back (answers are kept); from a step opened in the review, back to the review. */
export function back(draft: ReportDraft, now: number): ReportDraft {
  if (draft.fromReview || draft.stepId === REVIEW) {
    if (draft.stepId !== REVIEW)
      return { ...draft, stepId: REVIEW, fromReview: false, picker: undefined, updatedAt: now };
    const steps = visibleSteps(draft);
    return { ...draft, stepId: steps.at(-1)?.id ?? "category", picker: undefined, updatedAt: now };
  }
  const steps = visibleSteps(draft);
  const index = steps.findIndex((step) => step.id === draft.stepId);
  const previous = steps[Math.max(0, index - 1)];
  return { ...draft, stepId: previous?.id ?? "category", picker: undefined, updatedAt: now };
}

/** Opens a step from the review; answering it returns to the review. */
export function edit(draft: ReportDraft, stepId: string, now: number): ReportDraft | undefined {
  if (!visibleSteps(draft).some((step) => step.id === stepId)) return undefined;
  return { ...draft, stepId, fromReview: true, picker: undefined, updatedAt: now };
}

export function addEvidence(draft: ReportDraft, items: EvidenceItem[], now: number): ReportDraft {
  return { ...draft, evidence: [...draft.evidence, ...items], updatedAt: now };
}

/** Takes a file back out of the evidence (by Telegram's `file_unique_id`); undefined when the draft has no such file. */
export function removeEvidence(
  draft: ReportDraft,
  fileUniqueId: string,
  now: number,
): ReportDraft | undefined {
  const kept = draft.evidence.filter((item) => item.fileUniqueId !== fileUniqueId);
  if (kept.length === draft.evidence.length) return undefined;
  return { ...draft, evidence: kept, updatedAt: now };
}

/** What a finished draft becomes: the columns of a report. */
export interface Submission {
  category: Category;
  details: Record<string, unknown>;
  occurredOn: IsoDate;
  learnedOn: IsoDate;
  location: ReportLocation;
  placeNote: string | null;
  chronology: string;
  evidence: EvidenceItem[];
  anonymous: boolean;
  /** Anonymous with no follow-up: the report is stored without any link to the reporter's account. */
  noTrace?: boolean;
  /** Encrypted, as kept in the draft; only for identified reports. */
  reporterNameEnc: string | null;
  reporterPhoneEnc: string | null;
  /** Witnesses of an identified report, encrypted JSON (domain/witness/witnesses.ts); null when none. */
  witnessesEnc?: string | null;
}

/**
 * Checks a draft against its category's schema and turns it into a {@link Submission}; or names the first step
 * that still needs an answer.
 */
export function toSubmission(
  draft: ReportDraft,
): { ok: true; value: Submission } | { ok: false; stepId: string } {
  const pending = firstPending(draft);
  if (pending !== REVIEW || !draft.category)
    return { ok: false, stepId: pending === REVIEW ? "category" : pending };
  const a = draft.answers;
  const schema = DETAILS_SCHEMAS[draft.category];
  const detailAnswers = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((key) => a[key] !== null && a[key] !== undefined)
      .map((key) => [key, a[key]]),
  );
  const details = schema.safeParse(detailAnswers);
  const location = locationSchema.safeParse(a.location);
  if (!details.success) {
    const key = String(details.error.issues[0]?.path[0] ?? "category");
    return { ok: false, stepId: key };
  }
  if (!location.success) return { ok: false, stepId: "location" };
  const identified = a.identity === "IDENTIFIED";
  return {
    ok: true,
    value: {
      category: draft.category,
      details: details.data,
      occurredOn: String(a.occurred_on),
      learnedOn: String(a.learned_on),
      location: location.data,
      placeNote: typeof a.place_note === "string" ? a.place_note : null,
      chronology: String(a.chronology),
      evidence: draft.evidence,
      anonymous: !identified,
      noTrace: a.identity === "NO_TRACE",
      reporterNameEnc: identified ? String(a.reporter_name) : null,
      reporterPhoneEnc: identified ? String(a.reporter_phone) : null,
    },
  };
}
