import { MemorySessionStorage } from "grammy";
import type { Update } from "grammy/types";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../bot/config.ts";
import { createBot } from "../../bot/create-bot.ts";
import { createI18n } from "../../bot/i18n.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { SessionData } from "../../handlers/common/session-data.ts";
import { DEFAULT_BOT_INFO } from "../support/bot-identity.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";

/** The real middleware stack with sessions in memory; every Bot API call is answered in process. */
async function flowBot() {
  const config = parseConfig({
    BOT_TOKEN: "123456:TEST",
    STAFF_CHAT_ID: "-1001234567890",
    LOG_LEVEL: "silent",
  });
  const { bot } = createBot({
    config,
    db: {} as PrismaClient, // none of these updates reaches the database
    cipher: createDataCipher(TEST_DATA_KEY),
    i18n: await createI18n("id"),
    logger: pino({ level: "silent" }),
    sessionStorage: new MemorySessionStorage<SessionData>(),
    botInfo: DEFAULT_BOT_INFO,
  });
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    return { ok: true, result: true } as never;
  });
  return { bot, calls };
}

const user = makeUser(8301, { languageCode: "en" });

// Found by the fuzz test (test/fuzz/): grammY throws on any access to the session of an update without a chat or a
// sender, and the language middleware read it for every update.
describe("updates that have no chat or no sender", () => {
  it("pass through without an error: inline queries, polls, poll answers", async () => {
    const { bot, calls } = await flowBot();
    const updates = [
      { update_id: 1, inline_query: { id: "1", from: user, query: "<b>", offset: "" } },
      {
        update_id: 2,
        poll: {
          id: "p",
          question: "?",
          options: [],
          total_voter_count: 0,
          is_closed: true,
          is_anonymous: true,
          type: "regular",
          allows_multiple_answers: false,
        },
      },
      { update_id: 3, poll_answer: { poll_id: "p", user, option_ids: [0] } },
    ];
    for (const update of updates)
      await expect(bot.handleUpdate(update as unknown as Update)).resolves.toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("answers a press on a button of an inline message (no chat) in the presser's language", async () => {
    const { bot, calls } = await flowBot();
    const update = {
      update_id: 4,
      callback_query: {
        id: "q1",
        from: user,
        chat_instance: "1",
        inline_message_id: "AgAAA1",
        data: "rep:back",
      },
    };
    await bot.handleUpdate(update as unknown as Update);
    expect(calls.map((call) => call.method)).toEqual(["answerCallbackQuery"]);
    expect(String(calls[0]?.payload.text)).toMatch(/button/i);
  });
});
