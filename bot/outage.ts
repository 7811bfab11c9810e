import { ChatBusyError, StaleLockError } from "./update-gate.ts";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // Prisma: server unreachable, timed out, closed the connection, pool timeout.
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);

const CONNECTION_MESSAGES =
  /Connection is closed|Connection terminated|connect ECONNREFUSED|MaxRetriesPerRequest|Reached the max retries|timeout exceeded when trying to connect|Can't reach database server|Stream isn't writeable|read ECONNRESET|Client has encountered a connection error/i;

/**
 * Whether an error means a server the bot depends on (PostgreSQL, Redis) is out of reach for now, or another
 * instance holds the chat: the user is told "temporarily unavailable, try again in a moment", nothing is
 * written, and the bot recovers by itself when the server returns. Looks through `cause` chains, since Prisma's
 * driver adapter and ioredis wrap the socket's error.
 */
export function isTemporaryOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (e instanceof ChatBusyError || e instanceof StaleLockError) return true;
    if (typeof e !== "object") return false;
    const { code, name, message, cause } = e as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    if (name === "MaxRetriesPerRequestError") return true;
    if (typeof message === "string" && CONNECTION_MESSAGES.test(message)) return true;
    e = cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}
