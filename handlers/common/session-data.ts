import type { Locale } from "./locale.ts";

/**
 * What grammY keeps per chat and user (Redis, or the embedded store). Plain JSON only: it is serialised, and
 * it must survive a deploy, so every feature's part carries its own version and migrates old shapes.
 */
export interface SessionData {
  /** The language the user picked with /bahasa, or the one detected at first contact. */
  locale?: Locale;
  /** The report being written (domain/report/draft.ts), read through `readDraft` which migrates old shapes. */
  report?: unknown;
  /** A draft that could not be read, kept rather than thrown away. */
  unreadableReport?: unknown;
  /** The last submitted draft, so that a second tap on Submit names the ticket instead of making another. */
  lastSubmitted?: { draftId: string; code: string };
  /**
   * Triage state (handlers/triage/session-state.ts, read through `readTriageState`): in a reporter's private
   * chat, the ticket they are answering (reply mode); in the staff group, an officer's pending question or
   * duplicate code.
   */
  triage?: unknown;
  /**
   * An admin's announcement being composed in the staff group (handlers/broadcast/composer-state.ts, read
   * through `readComposer`, which drops unknown or expired shapes).
   */
  broadcastComposer?: unknown;
  /**
   * A reporter turning an anonymous ticket into a formal report from /status (handlers/triage/formal-report.ts,
   * zod-validated there); its personal answers are encrypted.
   */
  formalReport?: unknown;
}

export const initialSession = (): SessionData => ({});
