import { z } from "zod";
import { isTimeZone } from "../domain/insight/period.ts";
import { parseHolidayOverrides } from "../domain/legal-clock/holiday-calendar.ts";
import { LOCALES } from "../handlers/common/locale.ts";

/** Thrown by {@link parseConfig}; the message is one line naming the variable and what is expected. */
export class ConfigError extends Error {}

export type { Locale } from "../handlers/common/locale.ts";

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .transform((value) => (value === "" ? fallback : Number(value)))
    .pipe(z.number().int().positive());

/** "N/S": at most N per S seconds. */
const rate = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+\/\d+$/)
    .default(fallback)
    .transform((value: string) => {
      const [limit, seconds] = value.split("/").map(Number);
      return { limit: limit!, windowMs: seconds! * 1000 };
    })
    .pipe(z.object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() }));

const booleanFlag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(String(fallback))
    .transform((value) => (value === "" ? String(fallback) : value))
    .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
    .transform((value) => ["true", "1", "yes"].includes(value));

/**
 * Every environment variable Awasi reads, with the hint shown when it is missing or malformed.
 * Names in the first block are a fixed interface (see README "Configuration").
 */
/** A comma-separated list, items trimmed, empty ones dropped; empty when unset. */
const commaList = () =>
  z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    );

const variables = {
  BOT_TOKEN: {
    schema: z
      .string()
      .trim()
      .regex(/^\d+:[A-Za-z0-9_-]+$/),
    hint: "get one from @BotFather (looks like 123456:ABC-DEF...) and set it in .env",
  },
  STAFF_CHAT_ID: {
    schema: z
      .string()
      .trim()
      .regex(/^-\d+$/)
      .transform(Number),
    hint: "the officers' supergroup id, a negative number like -1001234567890 (README: finding STAFF_CHAT_ID)",
  },
  TELEGRAM_API_ROOT: {
    schema: z.url({ protocol: /^https?$/ }).default("https://api.telegram.org"),
    hint: "an http(s) URL of a Bot API server, or unset for Telegram's",
  },
  DATABASE_URL: {
    schema: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    hint: "a postgresql:// URL, or unset for the embedded database under DATA_DIR",
  },
  REDIS_URL: {
    schema: optionalText.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    hint: "a redis:// URL, or unset for embedded session storage",
  },
  BOT_MODE: { schema: z.enum(["polling", "webhook"]).default("polling"), hint: "polling or webhook" },
  WEBHOOK_URL: {
    schema: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    hint: "the public https URL Telegram posts updates to, e.g. https://bot.example.org/telegram",
  },
  WEBHOOK_SECRET: {
    schema: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/)
        .optional(),
    ),
    hint: "16-256 characters of A-Z, a-z, 0-9, _ or - (generate: openssl rand -hex 32)",
  },
  PORT: {
    schema: z.string().trim().default("8080").transform(Number).pipe(z.number().int().min(0).max(65535)),
    hint: "a TCP port number (0 picks a free one)",
  },
  DEFAULT_LOCALE: { schema: z.enum(LOCALES).default("id"), hint: "id or en" },
  STAFF_LOCALE: {
    schema: z.enum(LOCALES).optional(),
    hint: "id or en: the staff group's language (cards, menu, topics); unset = DEFAULT_LOCALE",
  },
  LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    hint: "fatal, error, warn, info, debug, trace or silent",
  },
  DATA_KEY: {
    schema: optionalText,
    hint: "32 random bytes in base64 (openssl rand -base64 32); required with DATABASE_URL",
  },
  DATA_DIR: { schema: z.string().trim().default("./data"), hint: "a directory for the embedded database" },
  DATA_KEY_FILE: {
    schema: optionalText,
    hint: "a file for the embedded database's generated key (default: the user's config directory, ~/.config/awasi)",
  },
  REDIS_KEY_PREFIX: { schema: z.string().default("awasi:"), hint: "a key prefix such as awasi:" },
  DRAFT_TTL_HOURS: { schema: positiveInt(72), hint: "hours after which an untouched report draft expires" },
  REPORTS_PER_DAY: { schema: positiveInt(10), hint: "reports one citizen may submit per day" },
  EVIDENCE_LIMIT: { schema: positiveInt(10), hint: "evidence items per report" },
  ELECTION_KIND: {
    schema: z.enum(["pemilu", "pilkada"]).default("pemilu"),
    hint: "pemilu (follow-up within 7 days) or pilkada (3 + 2 days)",
  },
  UNCLAIMED_REMINDER_MINUTES: {
    schema: positiveInt(60),
    hint: "minutes before an unclaimed ticket is recalled",
  },
  DEADLINE_WARNING_HOURS: { schema: positiveInt(24), hint: "hours before a follow-up deadline to warn" },
  STAFF_RATE: {
    schema: rate("20/60"),
    hint: "messages per seconds to the staff group, like 20/60 (Telegram allows about 20 a minute)",
  },
  FLOOD_LIMIT: {
    schema: rate("20/10"),
    hint: "updates per seconds one citizen may send before the bot asks them to slow down, like 20/10",
  },
  QUEUE_SUMMARY_THRESHOLD: {
    schema: positiveInt(10),
    hint: "queued cards before a summary message is posted",
  },
  BROADCAST_RATE: {
    schema: positiveInt(25),
    hint: "announcement messages per second (Telegram allows about 30)",
  },
  BROADCAST_TWO_PERSON: {
    schema: booleanFlag(false),
    hint: "true or false: a second administrator must approve each announcement",
  },
  PUBLIC_CHANNEL_ID: {
    schema: optionalText.pipe(
      z
        .string()
        .regex(/^(-\d+|@\w{5,})$/)
        .optional(),
    ),
    hint: "a channel id like -1001234567890 or @channelname, where announcements are posted too",
  },
  VOTING_DAYS: {
    schema: commaList().pipe(z.array(z.iso.date())),
    hint: "voting days as YYYY-MM-DD, comma-separated (e.g. 2029-02-14); incidents on them or in the 3-day quiet period before are urgent",
  },
  HOLIDAYS: {
    schema: z
      .string()
      .default("")
      .transform((value, ctx) => {
        const parsed = parseHolidayOverrides(value);
        if ("invalid" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.invalid });
          return z.NEVER;
        }
        return parsed;
      }),
    hint: "days off the built-in calendar lacks, YYYY-MM-DD, comma-separated (e.g. 2026-03-20); -YYYY-MM-DD removes a day",
  },
  PERSONAL_DATA_RETENTION_DAYS: {
    schema: positiveInt(90),
    hint: "days after a case is closed before the reporter's personal data is deleted",
  },
  DIGEST_TIME: {
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .default("07:00")
      .pipe(z.union([z.literal("off"), z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/)]))
      .transform((value) => {
        if (value === "off") return null;
        const [hours, minutes] = value.split(":").map(Number);
        return hours! * 60 + minutes!;
      }),
    hint: "the daily digest's local time as HH:MM (e.g. 07:00), or off",
  },
  TZ: {
    schema: z.string().trim().default("Asia/Jakarta").refine(isTimeZone),
    hint: "an IANA time zone such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
  },
  FOLLOW_UP_WINDOW_DAYS: {
    schema: positiveInt(30),
    hint: "days after an anonymous case is closed, rejected or forwarded before its link to the reporter's account is deleted",
  },
  STAFF_ALLOWLIST: {
    schema: commaList().pipe(
      z.array(
        z
          .string()
          .regex(/^\d{1,15}$/)
          .transform(Number),
      ),
    ),
    hint: "Telegram user ids of the officers who may act, comma-separated (e.g. 12345678,23456789), or unset for every member",
  },
  PROTECT_CONTENT: {
    schema: booleanFlag(true),
    hint: "true or false: whether staff-group messages can be forwarded",
  },
} satisfies Record<string, { schema: z.ZodType; hint: string }>;

type Variables = typeof variables;
type Values = { [K in keyof Variables]: z.output<Variables[K]["schema"]> };

/** Parses the environment once at start. Throws {@link ConfigError} on the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>) {
  const values = {} as Record<string, unknown>;
  for (const [name, { schema, hint }] of Object.entries(variables)) {
    const raw = env[name];
    const result = schema.safeParse(raw === undefined || raw === "" ? undefined : raw);
    if (!result.success) {
      throw new ConfigError(`${name} is ${raw === undefined || raw === "" ? "missing" : "invalid"}: ${hint}`);
    }
    values[name] = result.data;
  }
  const v = values as Values;

  if (v.BOT_MODE === "webhook") {
    if (!v.WEBHOOK_URL)
      throw new ConfigError(`WEBHOOK_URL is missing: BOT_MODE=webhook needs ${variables.WEBHOOK_URL.hint}`);
    if (!v.WEBHOOK_SECRET) {
      throw new ConfigError(
        `WEBHOOK_SECRET is missing: BOT_MODE=webhook needs ${variables.WEBHOOK_SECRET.hint}`,
      );
    }
  }
  if (v.DATABASE_URL && !v.DATA_KEY) {
    throw new ConfigError(`DATA_KEY is missing: with DATABASE_URL set, ${variables.DATA_KEY.hint}`);
  }

  return {
    botToken: v.BOT_TOKEN,
    staffChatId: v.STAFF_CHAT_ID,
    telegramApiRoot: v.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    redisKeyPrefix: v.REDIS_KEY_PREFIX,
    mode: v.BOT_MODE,
    webhook: { url: v.WEBHOOK_URL, secret: v.WEBHOOK_SECRET },
    port: v.PORT,
    defaultLocale: v.DEFAULT_LOCALE,
    staffLocale: v.STAFF_LOCALE ?? v.DEFAULT_LOCALE,
    logLevel: v.LOG_LEVEL,
    dataKey: v.DATA_KEY,
    dataDir: v.DATA_DIR,
    dataKeyFile: v.DATA_KEY_FILE,
    draftTtlMs: v.DRAFT_TTL_HOURS * 3_600_000,
    /** Sessions (language, draft) outlive the draft so that "your draft expired" can still be said. */
    // Sessions hold drafts: they last exactly as long as a draft, so an expired draft is gone, not just hidden.
    sessionTtlSeconds: v.DRAFT_TTL_HOURS * 3600,
    reportsPerDay: v.REPORTS_PER_DAY,
    evidenceLimit: v.EVIDENCE_LIMIT,
    protectContent: v.PROTECT_CONTENT,
    electionKind: v.ELECTION_KIND,
    unclaimedReminderMs: v.UNCLAIMED_REMINDER_MINUTES * 60_000,
    deadlineWarningMs: v.DEADLINE_WARNING_HOURS * 3_600_000,
    staffRate: v.STAFF_RATE,
    floodLimit: v.FLOOD_LIMIT,
    queueSummaryThreshold: v.QUEUE_SUMMARY_THRESHOLD,
    broadcastRatePerSecond: v.BROADCAST_RATE,
    broadcastTwoPerson: v.BROADCAST_TWO_PERSON,
    publicChannelId: v.PUBLIC_CHANNEL_ID,
    retentionDays: v.PERSONAL_DATA_RETENTION_DAYS,
    votingDays: v.VOTING_DAYS,
    /** Minutes after local midnight of the daily digest; `null` when it is off. */
    digestMinutes: v.DIGEST_TIME,
    timeZone: v.TZ,
    holidays: v.HOLIDAYS,
    followUpWindowDays: v.FOLLOW_UP_WINDOW_DAYS,
    /** Empty: every member of the staff group may act. */
    staffAllowlist: v.STAFF_ALLOWLIST,
  };
}

export type Config = ReturnType<typeof parseConfig>;
