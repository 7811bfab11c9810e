import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../bot/config.ts";

const minimal = { BOT_TOKEN: "123456:ABC-def_ghi", STAFF_CHAT_ID: "-1001234567890" };

describe("parseConfig", () => {
  it("fills the defaults of a laptop: embedded database and sessions, polling, Indonesian", () => {
    const config = parseConfig(minimal);
    expect(config).toMatchObject({
      staffChatId: -1001234567890,
      telegramApiRoot: "https://api.telegram.org",
      databaseUrl: undefined,
      redisUrl: undefined,
      mode: "polling",
      port: 8080,
      defaultLocale: "id",
      dataDir: "./data",
      reportsPerDay: 10,
      staffRate: { limit: 20, windowMs: 60_000 },
      protectContent: true,
    });
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ ...minimal, DATABASE_URL: "", REDIS_URL: "  " }).databaseUrl).toBeUndefined();
  });

  it.each([
    [{ BOT_TOKEN: undefined }, /^BOT_TOKEN is missing: get one from @BotFather/],
    [{ STAFF_CHAT_ID: "1234" }, /^STAFF_CHAT_ID is invalid: the officers' supergroup id/],
    [{ BOT_MODE: "push" }, /^BOT_MODE is invalid: polling or webhook/],
    [{ BOT_MODE: "webhook" }, /^WEBHOOK_URL is missing/],
    [{ BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/tg" }, /^WEBHOOK_SECRET is missing/],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL is invalid: a postgresql:\/\/ URL/],
    [{ DATABASE_URL: "postgresql://db/awasi" }, /^DATA_KEY is missing: with DATABASE_URL set/],
    [{ PORT: "99999" }, /^PORT is invalid/],
    [{ STAFF_RATE: "20 per minute" }, /^STAFF_RATE is invalid/],
    [{ DEFAULT_LOCALE: "fr" }, /^DEFAULT_LOCALE is invalid: id or en/],
  ])("refuses %j with one line naming the variable", (overrides, message) => {
    expect(() => parseConfig({ ...minimal, ...overrides })).toThrow(ConfigError);
    expect(() => parseConfig({ ...minimal, ...overrides })).toThrow(message);
  });

  it("reads rates, flags and the webhook settings", () => {
    const config = parseConfig({
      ...minimal,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/telegram",
      WEBHOOK_SECRET: "0123456789abcdef0123",
      STAFF_RATE: "20/2",
      PROTECT_CONTENT: "false",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
    });
    expect(config.staffRate).toEqual({ limit: 20, windowMs: 2000 });
    expect(config.protectContent).toBe(false);
    expect(config.telegramApiRoot).toBe("http://127.0.0.1:8081");
    expect(config.webhook.secret).toBe("0123456789abcdef0123");
  });
});

describe("the legal clock's and the staff group's settings", () => {
  it("reads HOLIDAYS as days added and removed, and refuses a day that does not exist", () => {
    expect(parseConfig(minimal).holidays).toEqual({ add: [], remove: [] });
    expect(parseConfig({ ...minimal, HOLIDAYS: "2026-12-31, -2026-12-24" }).holidays).toEqual({
      add: ["2026-12-31"],
      remove: ["2026-12-24"],
    });
    expect(() => parseConfig({ ...minimal, HOLIDAYS: "2026-13-01" })).toThrow(/^HOLIDAYS is invalid: /);
  });

  it("speaks DEFAULT_LOCALE in the staff group unless STAFF_LOCALE says otherwise", () => {
    expect(parseConfig({ ...minimal, DEFAULT_LOCALE: "en" }).staffLocale).toBe("en");
    expect(parseConfig({ ...minimal, STAFF_LOCALE: "en" })).toMatchObject({
      defaultLocale: "id",
      staffLocale: "en",
    });
    expect(() => parseConfig({ ...minimal, STAFF_LOCALE: "fr" })).toThrow(/^STAFF_LOCALE is invalid/);
  });
});

describe("parseConfig: the staff allowlist and the follow-up window", () => {
  it("reads STAFF_ALLOWLIST as Telegram user ids, empty by default; FOLLOW_UP_WINDOW_DAYS defaults to 30", () => {
    expect(parseConfig(minimal)).toMatchObject({ staffAllowlist: [], followUpWindowDays: 30 });
    expect(
      parseConfig({ ...minimal, STAFF_ALLOWLIST: " 12345678, 23456789 ,", FOLLOW_UP_WINDOW_DAYS: "14" }),
    ).toMatchObject({ staffAllowlist: [12345678, 23456789], followUpWindowDays: 14 });
  });

  it.each([
    [{ STAFF_ALLOWLIST: "12345678,@budi" }, /^STAFF_ALLOWLIST is invalid: Telegram user ids/],
    [{ FOLLOW_UP_WINDOW_DAYS: "0" }, /^FOLLOW_UP_WINDOW_DAYS is invalid/],
  ])("refuses %j with one line naming the variable", (overrides, message) => {
    expect(() => parseConfig({ ...minimal, ...overrides })).toThrow(message);
  });
});
