import { z } from "zod";
import { CATEGORIES } from "./categories.ts";

/**
 * A report in progress: plain JSON kept in the session (Redis), so it survives restarts and deploys.
 * Bump {@link DRAFT_VERSION} when the shape changes and teach {@link readDraft} the old one: drafts are
 * migrated, never dropped. A change of the steps themselves needs no version: answers are keyed by step id,
 * and a draft whose current step no longer exists resumes at its first unanswered step.
 */
export const DRAFT_VERSION = 1;

export const EVIDENCE_KINDS = [
  "PHOTO",
  "VIDEO",
  "DOCUMENT",
  "VOICE",
  "AUDIO",
  "ANIMATION",
  "VIDEO_NOTE",
  "LINK",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const evidenceItemSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  fileId: z.string().optional(),
  fileUniqueId: z.string().optional(),
  mediaGroupId: z.string().optional(),
  fileName: z.string().optional(),
  mimeType: z.string().optional(),
  fileSize: z.number().int().nonnegative().optional(),
  caption: z.string().optional(),
  url: z.string().optional(),
  /** The Telegram message's date (Unix seconds): when the file reached the bot. */
  receivedAt: z.number().int().optional(),
});
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

export const locationSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("point"),
    latitude: z.number(),
    longitude: z.number(),
    /** The reporter chose to share the exact point (an anonymous report's pin is otherwise rounded). */
    exact: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("region"),
    provinceCode: z.string(),
    regencyCode: z.string(),
    districtCode: z.string().optional(),
  }),
]);
export type ReportLocation = z.infer<typeof locationSchema>;

/** Where the region picker is: the parent whose children are listed (null: provinces), the page, a search. */
export const pickerSchema = z.object({
  parentCode: z.string().nullable(),
  page: z.number().int().nonnegative(),
  query: z.string().optional(),
});
export type PickerState = z.infer<typeof pickerSchema>;

export const REVIEW = "review";

export const draftSchema = z.object({
  version: z.literal(DRAFT_VERSION),
  id: z.string().min(8),
  category: z.enum(CATEGORIES).optional(),
  /** Validated answers by step id; `null` = an optional step skipped. */
  answers: z.record(z.string(), z.unknown()),
  /** The step being asked, or {@link REVIEW}. */
  stepId: z.string(),
  /** The current step was opened with Edit from the review: return there once answered. */
  fromReview: z.boolean(),
  evidence: z.array(evidenceItemSchema),
  picker: pickerSchema.optional(),
  /** Options ticked so far at a multiple-choice step, before Done. */
  selection: z.array(z.string()).optional(),
  /** The acknowledgement of the album being received, edited as its items arrive. */
  album: z.object({ mediaGroupId: z.string(), messageId: z.number(), count: z.number() }).optional(),
  /**
   * The last typed answer, to join the parts of a long message that Telegram split; `stepId` is the step it
   * answered, so that a part arriving after the first one moved the draft on goes back to that step;
   * `partLength` the length of the last part alone (only a full part can be followed by another).
   */
  lastText: z
    .object({
      date: z.number(),
      text: z.string(),
      stepId: z.string().optional(),
      partLength: z.number().optional(),
    })
    .optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ReportDraft = z.infer<typeof draftSchema>;

export function newDraft(id: string, now: number): ReportDraft {
  return {
    version: DRAFT_VERSION,
    id,
    answers: {},
    stepId: "category",
    fromReview: false,
    evidence: [],
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Reads a draft from the session, migrating older shapes. A draft that cannot be read at all is kept out of
 * the conversation (undefined) rather than crashing it; the caller logs it.
 */
export function readDraft(raw: unknown): ReportDraft | undefined {
  const parsed = draftSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export function isExpired(draft: ReportDraft, now: number, ttlMs: number): boolean {
  return now - draft.updatedAt > ttlMs;
}
