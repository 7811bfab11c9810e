import type { Api, Context, SessionFlavor } from "grammy";
import type { Logger } from "pino";
import type { DataCipher } from "../../domain/crypto/data-cipher.ts";
import type { HolidayOverrides } from "../../domain/legal-clock/holiday-calendar.ts";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Locale } from "./locale.ts";
import type { SessionData } from "./session-data.ts";
import type { StaffMembership } from "./staff-membership.ts";

/** Translates a `namespace:key`; interpolated values are HTML-escaped. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The settings features read (a subset of bot/config.ts, which satisfies it). */
export interface FeatureConfig {
  readonly staffChatId: number;
  readonly defaultLocale: Locale;
  /** The staff group's language (STAFF_LOCALE, default DEFAULT_LOCALE). */
  readonly staffLocale: Locale;
  readonly reportsPerDay: number;
  readonly evidenceLimit: number;
  readonly protectContent: boolean;
  readonly electionKind: "pemilu" | "pilkada";
  readonly unclaimedReminderMs: number;
  readonly deadlineWarningMs: number;
  /** Budget for messages to the staff group: at most `limit` in any `windowMs`. */
  readonly staffRate: { limit: number; windowMs: number };
  readonly queueSummaryThreshold: number;
  readonly broadcastRatePerSecond: number;
  readonly broadcastTwoPerson: boolean;
  readonly publicChannelId: string | undefined;
  readonly retentionDays: number;
  /** Voting days (YYYY-MM-DD); they and the 3-day quiet period before them make an incident urgent. */
  readonly votingDays: readonly string[];
  /** The office's time zone (TZ) for periods and the digest; Asia/Jakarta when absent. */
  readonly timeZone?: string;
  /** Minutes after local midnight of the daily digest (DIGEST_TIME); absent or `null`: no digest. */
  readonly digestMinutes?: number | null;
  /** HOLIDAYS: days added to or removed from the holiday calendar (domain/legal-clock/holiday-calendar.ts). */
  readonly holidays: HolidayOverrides;
  /** Days after an anonymous case is finished before its link to the reporter's account is deleted. */
  readonly followUpWindowDays: number;
  /** Telegram user ids who may act in the staff group; empty: every member. */
  readonly staffAllowlist: readonly number[];
}

/** Process-wide services, set on every context by the first middleware. */
export interface AppServices {
  readonly config: FeatureConfig;
  readonly db: PrismaClient;
  readonly cipher: DataCipher;
  readonly translatorFor: (locale: Locale) => Translate;
  readonly detectLocale: (languageCode: string | undefined) => Locale;
  /** The staff group's members and admins (cached getChatMember). */
  readonly staff: StaffMembership;
  /** Indonesian regions, loaded on first use. */
  readonly regions: () => Promise<RegionCatalog>;
}

export interface AppFlavor {
  app: AppServices;
  /** Child logger carrying `update_id`; never log message text or personal data. */
  logger: Logger;
  /** The user's language for this update. */
  locale: Locale;
  t: Translate;
  /** Switches the user's language for this update and remembers it. */
  setLocale(locale: Locale): void;
}

export type BotContext = Context & SessionFlavor<SessionData> & AppFlavor;

/** What background workers (outbox delivery, reminders, broadcasts) get: the services, without an update. */
export interface WorkerDeps extends AppServices {
  readonly api: Api;
  readonly logger: Logger;
  /**
   * Redis shared by the instances (bot/redis.ts), when `REDIS_URL` is set: budgets that must hold across
   * instances (the announcement pacer) live there. Only Lua scripting is needed (ioredis' `eval` fits).
   */
  readonly redis?: SharedRedis;
}

/** The part of the Redis client that workers use. */
export interface SharedRedis {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** A loop that runs beside the bot; `stop` finishes the work in hand. */
export interface BackgroundWorker {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}
