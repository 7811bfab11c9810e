import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_STAFF_CHAT_ID } from "../support/bot-identity.ts";
import { type BotProcess, runBotOnce, startBotProcess } from "../support/bot-process.ts";
import { UserChat } from "../support/conversation.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { makeUser } from "../support/updates.ts";

/** A stand-in for bot/main.ts, so that the harness is tested without the product. */
const entry = "test/harness/fixtures/echo-bot.ts";

let api: FakeBotApi;
let bot: BotProcess | undefined;

beforeEach(async () => {
  api = await startFakeBotApi();
});

afterEach(async () => {
  await bot?.kill();
  bot = undefined;
  await api.close();
});

describe("bot process", () => {
  it("starts a bot with a minimal environment, talks to it through the fake API and stops it with SIGTERM", async () => {
    process.env.AWASI_HARNESS_LEAK_CHECK = "must not reach the bot";
    try {
      bot = await startBotProcess({ api, entry, env: { EXTRA: "1" } });
    } finally {
      delete process.env.AWASI_HARNESS_LEAK_CHECK;
    }
    expect(bot.logs.find((l) => l.msg === "bot started")).toMatchObject({
      staffChatId: String(DEFAULT_STAFF_CHAT_ID),
    });

    const chat = new UserChat(api, makeUser(4004), { quietMs: 50 });
    const [menu] = await chat.send("/start");
    expect(menu?.keyboard?.data).toEqual(["rep:start", "help"]);
    const [env] = await chat.send("/env");
    const names = env?.text?.split(",") ?? [];
    expect(names).toEqual(
      expect.arrayContaining([
        "BOT_TOKEN",
        "DATA_DIR",
        "EXTRA",
        "LOG_LEVEL",
        "NODE_ENV",
        "PORT",
        "STAFF_CHAT_ID",
      ]),
    );
    expect(names).not.toContain("AWASI_HARNESS_LEAK_CHECK");

    const mark = bot.logs.length;
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
    await bot.waitForLog("bot stopped", { after: mark, timeoutMs: 100 });
  });

  it("reports a bot that exits instead of starting, with its output", async () => {
    const result = await runBotOnce({ STAFF_CHAT_ID: "-1001" }, { entry, timeoutMs: 10_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("BOT_TOKEN is missing");
    expect(result.logs[0]).toMatchObject({ level: 60 });

    await expect(startBotProcess({ entry, env: { BOT_TOKEN: undefined } })).rejects.toThrow(
      /exited \(code 1[\s\S]*BOT_TOKEN is missing/,
    );
  });
});
