import { MemorySessionStorage } from "grammy";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../bot/config.ts";
import { createBot } from "../../bot/create-bot.ts";
import { createI18n } from "../../bot/i18n.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { DEFAULT_BOT_INFO } from "../support/bot-identity.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";

const NOT_MODIFIED = {
  error_code: 400,
  description:
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
};

// Found by the fuzz test (test/fuzz/): the subscription's language picker pressed twice asked Telegram to show what
// the message already showed, and the refusal reached bot.catch.
describe("an edit that changes nothing", () => {
  let api: FakeBotApi;
  beforeAll(async () => {
    api = await startFakeBotApi();
  });
  afterAll(() => api?.close());

  async function botApi() {
    const config = parseConfig({
      BOT_TOKEN: api.token,
      STAFF_CHAT_ID: "-1001234567890",
      TELEGRAM_API_ROOT: api.apiRoot,
      LOG_LEVEL: "silent",
    });
    const { bot } = createBot({
      config,
      db: {} as PrismaClient,
      cipher: createDataCipher(TEST_DATA_KEY),
      i18n: await createI18n("id"),
      logger: pino({ level: "silent" }),
      sessionStorage: new MemorySessionStorage<SessionData>(),
      botInfo: DEFAULT_BOT_INFO,
    });
    return bot.api;
  }

  it("is done, not an error; other refusals of an edit still are", async () => {
    const bot = await botApi();
    api.failNext("editMessageText", NOT_MODIFIED);
    await expect(bot.editMessageText(8301, 5, "Pilih bahasa")).resolves.toBe(true);
    api.failNext("editMessageReplyMarkup", NOT_MODIFIED);
    await expect(bot.editMessageReplyMarkup(8301, 5)).resolves.toBe(true);
    api.failNext("editMessageText", { error_code: 400, description: "Bad Request: message can't be edited" });
    await expect(bot.editMessageText(8301, 5, "Pilih bahasa")).rejects.toThrow("can't be edited");
    api.failNext("sendMessage", NOT_MODIFIED);
    await expect(bot.sendMessage(8301, "Halo")).rejects.toThrow("not modified");
  });
});
