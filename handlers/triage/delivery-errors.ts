import { PermanentOutboxError, RetryLaterError } from "../../domain/outbox/outbox-worker.ts";
import { classifyTelegramError } from "../../domain/pacing/backoff.ts";
import { PacerBusyError } from "../../domain/triage/staff-pacer.ts";

/** How long to wait before trying the staff group again when the bot is not allowed to post there. */
const STAFF_UNREACHABLE_RETRY_MS = 60_000;

/**
 * Turns a failed Bot API call of a worker into what the outbox worker understands:
 * - 429: `onRetryAfter` pauses the pacer, and the message is retried after `retry_after` ({@link RetryLaterError});
 * - the pacer was busy for longer than the lease allows: retried when it is free;
 * - recipient gone (403, chat not found): for the staff group, retried later (a ticket must never be lost: an
 *   administrator re-adds the bot); for a reporter, {@link PermanentOutboxError} (they blocked the bot);
 * - another 4xx: {@link PermanentOutboxError} (retrying the same request cannot help; the description is logged);
 * - network and 5xx: rethrown, retried with backoff.
 */
export async function deliveryError(
  error: unknown,
  options: { recipient: "staff" | "reporter"; onRetryAfter?: (ms: number) => Promise<void> },
): Promise<Error> {
  if (error instanceof PacerBusyError)
    return new RetryLaterError(Math.max(error.retryInMs, 250), error.message);
  if (error instanceof RetryLaterError || error instanceof PermanentOutboxError) return error;
  const kind = classifyTelegramError(error);
  if (options.recipient === "staff" && kind.kind === "badRequest" && isRightsLost(kind.description))
    return new StaffUnreachableError(STAFF_UNREACHABLE_RETRY_MS, kind.description);
  switch (kind.kind) {
    case "retryAfter": {
      const ms = kind.seconds * 1000;
      await options.onRetryAfter?.(ms);
      return new RetryLaterError(ms, `429: retry after ${kind.seconds} s`);
    }
    case "blocked":
      return options.recipient === "staff"
        ? new StaffUnreachableError(STAFF_UNREACHABLE_RETRY_MS, descriptionOf(error))
        : new ReporterUnreachableError("the reporter cannot be reached (blocked the bot or gone)");
    case "badRequest":
      return new PermanentOutboxError(kind.description);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * The bot may not post in the staff group (kicked, or its rights to send were taken away): retried later, since a
 * ticket must never be lost, and an alert is posted in the group as soon as the bot can post there again.
 */
export class StaffUnreachableError extends RetryLaterError {}

/**
 * A 400 that means the bot lost its right to post in a group (it is still a member, but restricted). Not the
 * rights to manage topics ("not enough rights to create a topic"): without those the card goes to General.
 */
function isRightsLost(description: string): boolean {
  return /not enough rights to send|have no rights to send|CHAT_WRITE_FORBIDDEN|CHAT_SEND_\w+_FORBIDDEN|CHAT_RESTRICTED/i.test(
    description,
  );
}

function descriptionOf(error: unknown): string {
  const description = (error as { description?: unknown } | null)?.description;
  return typeof description === "string" ? description : "the bot cannot post in the staff group";
}

/** Whether Telegram said a forum topic is closed (an administrator closed it; only admins may post there). */
export function isTopicClosed(error: unknown): boolean {
  const description =
    error instanceof Error ? ((error as { description?: unknown }).description ?? error.message) : error;
  return typeof description === "string" && /TOPIC_CLOSED/i.test(description);
}

/** The reporter blocked the bot or deleted their account: nothing will reach them. */
export class ReporterUnreachableError extends PermanentOutboxError {}

/** Whether Telegram said a forum topic is gone (an administrator deleted it). */
export function isTopicGone(error: unknown): boolean {
  const description =
    error instanceof Error ? ((error as { description?: unknown }).description ?? error.message) : error;
  return (
    typeof description === "string" && /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(description)
  );
}
