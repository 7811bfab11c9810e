/**
 * Retry timing and the meaning of Telegram's errors for a sender (outbox worker, broadcast delivery).
 */

/** Options of {@link backoffMs}. */
export interface BackoffOptions {
  /** The cap of the first retry's delay. Default 1 s. */
  baseMs?: number;
  /** The largest delay. Default 5 min. */
  maxMs?: number;
  /** A source of numbers in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (0 = the first retry): exponential backoff with full jitter, a random
 * delay in [0, min(maxMs, baseMs × 2^attempt)). Full jitter spreads the retries of many failed deliveries
 * instead of sending them back in waves (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * Whole milliseconds.
 *
 * @throws RangeError when `attempt` is negative or not finite
 * @example backoffMs(3, { random: () => 0.5 }) // → 4000 (half of the 8 s cap)
 */
export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 1_000, maxMs = 300_000, random = Math.random } = options;
  if (!Number.isFinite(attempt) || attempt < 0) throw new RangeError("attempt must be a finite number ≥ 0");
  const cap = Math.min(maxMs, baseMs * 2 ** Math.floor(attempt));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(r * cap), Math.max(0, Math.ceil(cap) - 1));
}

/** What a sender should do about a failed Bot API call. */
export type TelegramErrorKind =
  /** 429 Too Many Requests: wait `seconds`, pausing the pacer for every message, then retry. */
  | { kind: "retryAfter"; seconds: number }
  /** The recipient is gone (blocked the bot, deactivated, bot removed, chat not found): stop sending to it. */
  | { kind: "blocked" }
  /** The request itself is wrong (message too long, bad entities, …): retrying the same request cannot help. */
  | { kind: "badRequest"; description: string }
  /** Network failure or a Telegram-side error: retry with {@link backoffMs}. */
  | { kind: "transient" };

/**
 * 400 descriptions that mean the recipient no longer exists for this bot. Telegram's wording, as seen in the
 * wild: "Bad Request: chat not found" (never started the bot, or the chat is gone), "Bad Request: user not found",
 * "Bad Request: PEER_ID_INVALID" (a deleted account), "Bad Request: group chat was deactivated".
 */
const GONE_400 = [/chat not found/i, /user not found/i, /peer_id_invalid/i, /chat was deactivated/i];

interface ApiErrorShape {
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown } | null;
}

/**
 * Classifies an error thrown by a Bot API call: grammY's `GrammyError` (it carries `error_code`, `description`
 * and `parameters`), its `HttpError` (network, no `error_code`), a raw `{ ok: false, … }` response, or anything.
 *
 * - 429 → `retryAfter` with `parameters.retry_after` (or the number in "Too Many Requests: retry after 35";
 *   `transient` when neither is there).
 * - 403 → `blocked`: "Forbidden: bot was blocked by the user", "Forbidden: user is deactivated", "Forbidden: bot
 *   was kicked from the group chat", "Forbidden: bot can't initiate conversation with a user", …; each means
 *   this recipient will not receive messages from the bot.
 * - 400 "chat not found" and the like ({@link GONE_400}) → `blocked` too: the recipient is gone.
 * - other 4xx → `badRequest` with the description (also 401/404: a wrong token fails every request and must
 *   be fixed by an operator, retrying cannot help).
 * - 5xx, other codes, no code at all (network errors, timeouts, a thrown non-object) → `transient`.
 *
 * Errors: https://core.telegram.org/api/errors, https://grammy.dev/guide/errors
 */
export function classifyTelegramError(error: unknown): TelegramErrorKind {
  if (typeof error !== "object" || error === null) return { kind: "transient" };
  const { error_code: code, description: rawDescription, parameters } = error as ApiErrorShape;
  if (typeof code !== "number") return { kind: "transient" };
  const description = typeof rawDescription === "string" ? rawDescription : "";

  if (code === 429) {
    const fromParameters = parameters?.retry_after;
    const seconds =
      typeof fromParameters === "number" && Number.isFinite(fromParameters) && fromParameters >= 0
        ? fromParameters
        : Number(/retry after (\d+)/i.exec(description)?.[1] ?? Number.NaN);
    return Number.isFinite(seconds) ? { kind: "retryAfter", seconds } : { kind: "transient" };
  }
  if (code === 403) return { kind: "blocked" };
  if (code === 400 && GONE_400.some((pattern) => pattern.test(description))) return { kind: "blocked" };
  if (code >= 400 && code < 500) return { kind: "badRequest", description };
  return { kind: "transient" };
}
