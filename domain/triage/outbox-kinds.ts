import { z } from "zod";
import { NEW_REPORT_OUTBOX_KIND } from "../report/report-store.ts";
import { FORWARD_DESTINATIONS, REJECT_REASONS, REPORT_STATUSES } from "../ticket/workflow.ts";

/**
 * The outbox messages of the triage feature. Two workers deliver them: `staff.*` go to the staff group through
 * the group's pacer (about 20 messages a minute), `reporter.*` go to reporters' private chats. Splitting them
 * keeps a question to a reporter from waiting behind a hundred queued cards.
 *
 * Payloads name tickets by id and Telegram messages by id; a reporter's Telegram id never appears in a payload
 * (the worker decrypts it from `Reporter.telegramIdEnc`), so the outbox table names nobody.
 */
export const TRIAGE_OUTBOX = {
  /** A new ticket's card (written by the report feature with the report). */
  card: NEW_REPORT_OUTBOX_KIND,
  /** A ticket's evidence files, posted under its card on an officer's request. */
  evidence: "staff.evidence",
  /** One message of a reporter's answer, posted under the card. */
  answer: "staff.answer",
  /** A digest of tickets that need attention (unclaimed, deadline near). */
  reminder: "staff.reminder",
  /** A short note under a card (e.g. the reporter cannot be reached). */
  note: "staff.note",
  /** An alert in the staff group: the bot could not post there for a while, or a card failed for good. */
  alert: "staff.alert",
  /**
   * A reporter's answer that could not be copied to the officers (they deleted it): parked, claimed by no worker,
   * until the reporter's next message to the bot, which tells them (handlers/triage/delivery-faults.ts).
   */
  replyLost: "reporter.replyLost",
  /** A status notice to the reporter, in their language. */
  notice: "reporter.notice",
  /** An officer's question to the reporter, with a Reply button. */
  question: "reporter.question",
} as const;

export const STAFF_OUTBOX_KINDS = [
  TRIAGE_OUTBOX.card,
  TRIAGE_OUTBOX.evidence,
  TRIAGE_OUTBOX.answer,
  TRIAGE_OUTBOX.reminder,
  TRIAGE_OUTBOX.note,
  TRIAGE_OUTBOX.alert,
] as const;
export const REPORTER_OUTBOX_KINDS = [TRIAGE_OUTBOX.notice, TRIAGE_OUTBOX.question] as const;

const reportId = z.string().min(1);

export const cardPayload = z.object({ reportId });

export const evidencePayload = z.object({ reportId, requestedBy: z.string() });

/**
 * How an answer message is posted: `text` is sent anew with the attribution in front; `caption` (photo,
 * document, video, voice…) is copied with the attribution and the original caption as its caption; `bare`
 * (a video note, a location…) cannot carry a caption: an attribution line is sent, then the copy. The reporter's
 * `text` is kept only until delivered.
 */
export const answerPayload = z.object({
  reportId,
  messageId: z.number().int().positive(),
  content: z.enum(["text", "caption", "bare"]),
  text: z.string().optional(),
});
export type AnswerPayload = z.infer<typeof answerPayload>;

export const REMINDER_KINDS = ["unclaimed", "deadlineNear", "urgentNear"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const reminderPayload = z.object({
  kind: z.enum(REMINDER_KINDS),
  reportIds: z.array(reportId).min(1),
});

export const NOTE_KEYS = ["reporterUnreachable"] as const;
export const notePayload = z.object({ reportId, key: z.enum(NOTE_KEYS) });

export const ALERT_KEYS = ["unreachable", "cardFailed"] as const;
/** `reason`: Telegram's description; `since`: when the problem was first seen (ISO). */
export const alertPayload = z.object({
  key: z.enum(ALERT_KEYS),
  reason: z.string(),
  since: z.string(),
  reportId: reportId.optional(),
});
export type AlertPayload = z.infer<typeof alertPayload>;

export const replyLostPayload = z.object({ reportId });

export const noticePayload = z.object({
  reportId,
  status: z.enum(REPORT_STATUSES),
  /** The status before the change (older rows lack it). */
  fromStatus: z.enum(REPORT_STATUSES).nullish(),
  forwardedTo: z.enum(FORWARD_DESTINATIONS).nullish(),
  rejectReason: z.enum(REJECT_REASONS).nullish(),
  duplicateOfCode: z.string().nullish(),
});
export type NoticePayload = z.infer<typeof noticePayload>;

/**
 * `text`: the officer's question as typed; without it the officer's message (a photo…) is copied, its caption
 * replaced by `caption` as plain text (a copy would carry the caption's links and mentions).
 */
export const questionPayload = z.object({
  reportId,
  staffMessageId: z.number().int().positive(),
  text: z.string().optional(),
  caption: z.string().optional(),
});
export type QuestionPayload = z.infer<typeof questionPayload>;
