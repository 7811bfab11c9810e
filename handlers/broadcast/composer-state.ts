import { z } from "zod";
import { audienceSchema, EVERYONE } from "../../domain/broadcast/audience.ts";
import { broadcastContentSchema } from "../../domain/broadcast/content.ts";
import type { SessionData } from "../common/session-data.ts";

/** A composer left alone this long is forgotten (the admin starts again with /siaran). */
export const COMPOSER_TTL_MS = 6 * 3_600_000;

/**
 * An admin's announcement being composed, kept in their session in the staff group (one per admin):
 * - `content`: waiting for the announcement itself (the admin's next message);
 * - `options`: the card with audience, language, linked tickets and Preview;
 * - `area`: waiting for a typed region name; `tickets`: waiting for typed ticket codes.
 * After Preview the draft also lives in the database (`draftId`); Send and Cancel work on that row.
 */
const composerSchema = z.object({
  v: z.literal(1),
  step: z.enum(["content", "options", "area", "tickets"]),
  content: broadcastContentSchema.optional(),
  audience: audienceSchema,
  tickets: z.array(z.string()),
  /** The card message (its buttons are removed when a newer card replaces it). */
  cardMessageId: z.number().int().optional(),
  /** The album already refused, so that an album of ten photos gets one answer, not ten. */
  refusedAlbum: z.string().optional(),
  updatedAt: z.number(),
});

export type ComposerState = z.infer<typeof composerSchema>;

/** A fresh composer waiting for content. */
export function newComposer(now: number): ComposerState {
  return { v: 1, step: "content", audience: EVERYONE, tickets: [], updatedAt: now };
}

/** The admin's composer, or undefined when there is none, it expired, or its shape is unknown. */
export function readComposer(session: SessionData, now: number): ComposerState | undefined {
  const parsed = composerSchema.safeParse(session.broadcastComposer);
  if (!parsed.success) return undefined;
  if (now - parsed.data.updatedAt > COMPOSER_TTL_MS) return undefined;
  return parsed.data;
}

/** Saves (or, with undefined, forgets) the admin's composer. */
export function writeComposer(session: SessionData, state: ComposerState | undefined, now: number): void {
  session.broadcastComposer = state ? { ...state, updatedAt: now } : undefined;
}
