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
}

export const initialSession = (): SessionData => ({});
