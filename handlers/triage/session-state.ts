import { z } from "zod";
import type { BotContext } from "../common/context.ts";

/**
 * The triage part of the session (`ctx.session.triage`), versioned like the report draft so a deploy can
 * migrate it. In a reporter's private chat `reply` is the reply mode; in the staff group `pending` is what the
 * bot waits for from this officer (the session key is per chat and user, so officers do not share it).
 */
const stateSchema = z.object({
  v: z.literal(1),
  reply: z
    .object({
      code: z.string(),
      until: z.number(),
      /** The album being answered, acknowledged once. */
      mediaGroupId: z.string().optional(),
    })
    .optional(),
  pending: z
    .object({
      kind: z.enum(["question", "duplicate", "revealReason"]),
      code: z.string(),
      /** The bot's prompt; a reply to it is the answer. */
      promptId: z.number(),
      until: z.number(),
    })
    .optional(),
  /** An administrator gave the reason to see a ticket's contact details: the next Show contact press shows them. */
  reveal: z.object({ code: z.string(), reason: z.string(), until: z.number() }).optional(),
});
export type TriageState = z.infer<typeof stateSchema>;
export type ReplyMode = NonNullable<TriageState["reply"]>;
export type PendingInput = NonNullable<TriageState["pending"]>;
export type RevealGrant = NonNullable<TriageState["reveal"]>;

/** How long a reporter's reply mode and an officer's pending question last without use. */
export const REPLY_MODE_MS = 30 * 60_000;
export const PENDING_INPUT_MS = 15 * 60_000;

/** The triage state, or an empty one when absent or unreadable (nothing in it is worth keeping aside). */
export function readTriageState(ctx: BotContext): TriageState {
  const parsed = stateSchema.safeParse(ctx.session.triage);
  return parsed.success ? parsed.data : { v: 1 };
}

export function writeTriageState(ctx: BotContext, state: TriageState): void {
  ctx.session.triage = state.reply || state.pending || state.reveal ? state : undefined;
}

/** The reporter's reply mode if still valid at `now`. */
export function activeReply(ctx: BotContext, now: number): ReplyMode | undefined {
  const reply = readTriageState(ctx).reply;
  return reply && reply.until > now ? reply : undefined;
}

/** The officer's pending input if still valid at `now`. */
export function activePending(ctx: BotContext, now: number): PendingInput | undefined {
  const pending = readTriageState(ctx).pending;
  return pending && pending.until > now ? pending : undefined;
}

export function setReply(ctx: BotContext, reply: ReplyMode | undefined): void {
  writeTriageState(ctx, { ...readTriageState(ctx), reply });
}

/** How long a reason given for Show contact stays valid for the press that shows the details. */
export const REVEAL_GRANT_MS = 5 * 60_000;

/** The reason this administrator gave to see this ticket's contact, if still valid at `now`. */
export function activeReveal(ctx: BotContext, code: string, now: number): RevealGrant | undefined {
  const reveal = readTriageState(ctx).reveal;
  return reveal && reveal.code === code && reveal.until > now ? reveal : undefined;
}

export function setReveal(ctx: BotContext, reveal: RevealGrant | undefined): void {
  writeTriageState(ctx, { ...readTriageState(ctx), reveal });
}

export function setPending(ctx: BotContext, pending: PendingInput | undefined): void {
  writeTriageState(ctx, { ...readTriageState(ctx), pending });
}
