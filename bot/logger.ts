import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/**
 * JSON logs on stdout. Handlers log ids and outcomes only; as a safety net, fields that could carry message
 * text or personal data are censored wherever they appear one or two levels deep.
 */
export function createLogger(level: LoggerOptions["level"], destination?: pino.DestinationStream): Logger {
  const sensitive = [
    "text",
    "caption",
    "phone_number",
    "first_name",
    "last_name",
    "username",
    "from",
    "chat",
  ];
  return pino(
    {
      level,
      base: { service: "awasi" },
      redact: { paths: [...sensitive, ...sensitive.map((key) => `*.${key}`)], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
