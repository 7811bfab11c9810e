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
  switch (kind.kind) {
    case "retryAfter": {
      const ms = kind.seconds * 1000;
      await options.onRetryAfter?.(ms);
      return new RetryLaterError(ms, `429: retry after ${kind.seconds} s`);
    }
    case "blocked":
      return options.recipient === "staff"
        ? new RetryLaterError(STAFF_UNREACHABLE_RETRY_MS, "the bot cannot post in the staff group")
        : new ReporterUnreachableError("the reporter cannot be reached (blocked the bot or gone)");
    case "badRequest":
      return new PermanentOutboxError(kind.description);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
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
