import { MemorySessionStorage } from "grammy";
import type { Update } from "grammy/types";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../bot/config.ts";
import { createBot } from "../../../bot/create-bot.ts";
import { createI18n } from "../../../bot/i18n.ts";
import { sessionKeyFor } from "../../../bot/session.ts";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { newDraft } from "../../../domain/report/draft.ts";
import type { PrismaClient } from "../../../generated/prisma/client.ts";
import type { SessionData } from "../../../handlers/common/session-data.ts";
import { DEFAULT_BOT_INFO } from "../../support/bot-identity.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";
import { makeUser, textMessage } from "../../support/updates.ts";

/** A flow test: the real middleware stack, sessions in memory, every Bot API call answered in-process. */
async function botWithSession(session: SessionData, userId: number) {
  const cipher = createDataCipher(TEST_DATA_KEY);
  const storage = new MemorySessionStorage<SessionData>();
  const key = sessionKeyFor(cipher)({ chat: { id: userId }, from: { id: userId } })!;
  storage.write(key, session);
  const config = parseConfig({
    BOT_TOKEN: "123456:TEST",
    STAFF_CHAT_ID: "-1001234567890",
    LOG_LEVEL: "silent",
  });
  const { bot } = createBot({
    config,
    db: {} as PrismaClient, // this flow never reaches the database
    cipher,
    i18n: await createI18n("id"),
    logger: pino({ level: "silent" }),
    sessionStorage: storage,
    botInfo: DEFAULT_BOT_INFO,
  });
  const sent: { method: string; text?: string }[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    sent.push({ method, text: (payload as { text?: string }).text });
    return {
      ok: true,
      result: { message_id: sent.length, date: 0, chat: { id: userId, type: "private" } },
    } as never;
  });
  return { bot, sent, storage, key };
}

describe("an abandoned draft", () => {
  it("expires after the time to live, with a note the next time the citizen writes", async () => {
    const user = makeUser(8101, { languageCode: "id" });
    const stale = { ...newDraft("draft-stale-1", Date.now() - 73 * 3_600_000), stepId: "ot_title" };
    const { bot, sent, storage, key } = await botWithSession({ locale: "id", report: stale }, user.id);
    await bot.handleUpdate({ update_id: 1, ...textMessage(user, "Kampanye di tempat ibadah") } as Update);
    expect(sent[0]?.text).toContain("kedaluwarsa setelah 72 jam");
    expect(storage.read(key)?.report).toBeUndefined();
  });

  it("is kept when it was touched within the time to live", async () => {
    const user = makeUser(8102, { languageCode: "id" });
    const fresh = {
      ...newDraft("draft-fresh-1", Date.now() - 71 * 3_600_000),
      category: "OTHER" as const,
      stepId: "ot_title",
    };
    const { bot, sent } = await botWithSession({ locale: "id", report: fresh }, user.id);
    await bot.handleUpdate({ update_id: 2, ...textMessage(user, "Kampanye di tempat ibadah") } as Update);
    expect(sent.map((call) => call.text).join("\n")).toContain("Kapan kejadiannya?");
  });
});
