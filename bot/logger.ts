import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/** Options of {@link createLogger}. */
export interface LoggerSafetyOptions {
  /** Values that must never appear in a log line (the bot token, DATA_KEY, the webhook secret). */
  secrets?: readonly (string | undefined)[];
}

/**
 * JSON logs on stdout, with every value passed through {@link sanitizeLogValue} before pino sees it (pino's
 * `logMethod` hook, so no call site can bypass it: objects, errors, the message and its interpolation
 * arguments, and child-logger bindings alike) and every finished line scrubbed of secrets once more.
 */
export function createLogger(
  level: LoggerOptions["level"],
  destination?: pino.DestinationStream,
  options: LoggerSafetyOptions = {},
): Logger {
  const scrub = secretScrubber(options.secrets ?? []);
  const sanitize = (value: unknown) => sanitizeLogValue(value, scrub);
  const logger = pino(
    {
      level,
      base: { service: "awasi" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { bindings: (bindings) => sanitize(bindings) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // An error passed alone is what pino would log as `err`: keep that shape.
          const safe = args.map((arg, index) =>
            index === 0 && arg instanceof Error ? { err: sanitize(arg) } : sanitize(arg),
          );
          // pino takes the message from `err.message` when none is given: give it the sanitized one.
          const [first] = safe;
          if (
            safe.length === 1 &&
            isRecord(first) &&
            isRecord(first.err) &&
            typeof first.err.message === "string"
          ) {
            safe.push(first.err.message);
          }
          return method.apply(this, safe as Parameters<typeof method>);
        },
        streamWrite: scrub,
      },
    },
    destination,
  );
  // pino applies `formatters.bindings` to the root only; children inherit this `child` through their prototype.
  const child = logger.child;
  logger.child = function sanitizedChild(this: Logger, bindings, childOptions) {
    return child.call(this, sanitize(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}

/**
 * Sends `console.error`/`console.warn`/`console.log` of libraries (grammY prints failed `getUpdates` calls,
 * with the request URL and so the token, there) through the logger, so they are sanitized like everything else.
 */
export function routeConsoleThroughLogger(logger: Logger): void {
  console.error = (...args: unknown[]) => logger.error({ console: args }, "library output");
  console.warn = (...args: unknown[]) => logger.warn({ console: args }, "library output");
  console.log = (...args: unknown[]) => logger.info({ console: args }, "library output");
}

/** Keys whose values are dropped wherever they appear, compared without `_` and case. */
const DROPPED_KEYS = new Set(
  [
    // request payloads and query parameters (grammY's GrammyError.payload, Prisma and pg parameters)
    "payload",
    "params",
    "parameters",
    "args",
    "arguments",
    "values",
    "body",
    "query",
    "detail",
    "where",
    // Telegram identities and message content
    "chat_id",
    "user_id",
    "from_id",
    "sender_id",
    "telegram_id",
    "from",
    "chat",
    "sender_chat",
    "user",
    "contact",
    "location",
    "text",
    "caption",
    "entities",
    "phone",
    "phone_number",
    "first_name",
    "last_name",
    "username",
    "name",
    "latitude",
    "longitude",
    "headers",
  ].map(normaliseKey),
);

/** Fields of an error worth keeping; anything else on an error (a payload, a request) is left out. */
const ERROR_FIELDS = [
  "code",
  "errno",
  "syscall",
  "error_code",
  "description",
  "method",
  "status",
  "statusText",
  "type",
  "severity",
  "routine",
  "constraint",
  "table",
  "column",
  "clientVersion",
  "meta",
] as const;

const MAX_DEPTH = 6;
const MAX_ITEMS = 20;
const MAX_STRING = 4000;

function normaliseKey(key: string): string {
  return key.replaceAll("_", "").toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Removes secrets from a string: the configured ones, anything shaped like a bot token, the token segment of a
 * Bot API URL (`/bot<TOKEN>/`), passwords in connection URLs, and URL query strings.
 */
export function secretScrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  const known = secrets.filter(
    (secret): secret is string => typeof secret === "string" && secret.length >= 6,
  );
  const knownPattern = known.length > 0 ? new RegExp(known.map(escapeRegExp).join("|"), "g") : undefined;
  return (text) => {
    let out = knownPattern ? text.replace(knownPattern, "[secret]") : text;
    out = out
      .replace(/\/bot\d+:[^/\s"'?]+/g, "/bot[secret]")
      .replace(/\b\d{5,}:[A-Za-z0-9_-]{20,}/g, "[secret]")
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, "$1[secret]@")
      .replace(/(\bhttps?:\/\/[^\s?"']+)\?[^\s"']*/g, "$1?[redacted]");
    return out;
  };
}

/**
 * Values that PostgreSQL and Prisma quote in their error messages (`Key (col)=(value)`, `invalid input syntax for
 * type bigint: "value"`, a Prisma invocation's argument dump): the message keeps its meaning, not the value.
 */
function withoutParameterValues(message: string, errorName: string): string {
  let out = message;
  if (errorName.startsWith("Prisma") && out.includes("invocation")) {
    // Prisma prints the call and its arguments between the first line and the explanation at the end.
    const lines = out.split("\n").filter((line) => line.trim() !== "");
    const head = lines.find((line) => line.includes("invocation")) ?? "";
    out = `${head.trim()} … ${lines.at(-1)?.trim() ?? ""}`;
  }
  return out
    .replace(/\)=\([^)]*\)/g, ")=([redacted])")
    .replace(/(:\s*)"[^"]*"\s*$/g, '$1"[redacted]"')
    .replace(/(Failing row contains )\(.*\)/g, "$1([redacted])");
}

function sanitizeString(text: string, scrub: (text: string) => string): string {
  const clipped = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  return scrub(clipped);
}

function sanitizeError(
  error: Error,
  scrub: (text: string) => string,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const name = error.name || error.constructor?.name || "Error";
  const message = sanitizeString(withoutParameterValues(String(error.message ?? ""), name), scrub);
  // The stack repeats the raw message on its first line(s): keep only the frames.
  const frames = String(error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .map((line) => scrub(line));
  const out: Record<string, unknown> = {
    type: name,
    message,
    stack: [`${name}: ${message}`, ...frames].join("\n"),
  };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of ERROR_FIELDS) {
    if (fields[field] !== undefined) out[field] = sanitizeAt(fields[field], scrub, depth + 1, seen);
  }
  const retryAfter = (fields.parameters as { retry_after?: unknown } | undefined)?.retry_after;
  if (typeof retryAfter === "number") out.retry_after = retryAfter;
  // grammY's HttpError keeps the network error in `error`; standard errors chain through `cause`.
  if (fields.error !== undefined) out.error = sanitizeAt(fields.error, scrub, depth + 1, seen);
  if (error.cause !== undefined) out.cause = sanitizeAt(error.cause, scrub, depth + 1, seen);
  if (error instanceof AggregateError) out.errors = sanitizeAt(error.errors, scrub, depth + 1, seen);
  return out;
}

function sanitizeAt(
  value: unknown,
  scrub: (text: string) => string,
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === "string") return sanitizeString(value, scrub);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  }
  if (seen.has(value)) return "[circular]";
  if (depth > MAX_DEPTH) return "[truncated]";
  seen.add(value);
  try {
    if (value instanceof Error) return sanitizeError(value, scrub, depth, seen);
    if (value instanceof Date) return value.toISOString();
    if (value instanceof URL) return sanitizeString(value.href, scrub);
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((item) => sanitizeAt(item, scrub, depth + 1, seen));
      return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
    }
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (DROPPED_KEYS.has(normaliseKey(key))) continue;
      const safe = sanitizeAt(item, scrub, depth + 1, seen);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * The one place that decides what may be logged. Strings lose secrets (see {@link secretScrubber}); errors become
 * `{ type, message, stack, code…, cause }` with parameter values cut from their messages and everything else on
 * them (payloads, requests) left out; keys that carry a request payload, a Telegram identity or message content
 * (`payload`, `chat_id`, `user_id`, `from`, `text`, `phone_number`, `parameters`…) are dropped at any depth.
 */
export function sanitizeLogValue(
  value: unknown,
  scrub: (text: string) => string = secretScrubber([]),
): unknown {
  return sanitizeAt(value, scrub, 0, new WeakSet());
}
