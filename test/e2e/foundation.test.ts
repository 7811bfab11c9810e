import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAFF_CHAT_ID } from "../support/bot-identity.ts";
import { runBotOnce, webhookEnv } from "../support/bot-process.ts";
import { UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import {
  groupTextMessage,
  makeUser,
  myChatMemberAdded,
  supergroup,
  textMessage,
} from "../support/updates.ts";

describe("the bot in long polling mode", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await TestBot.start({ FLOOD_LIMIT: "8/2" });
  });
  afterAll(() => t?.stop());

  it("greets a citizen in Indonesian with the privacy notice, the menu and the language choice", async () => {
    const chat = new UserChat(t.api, makeUser(5001, { firstName: "Siti", languageCode: "id" }));
    const [greeting] = await chat.send("/start");
    expect(greeting?.ok).toBe(true);
    expect(greeting?.text).toContain("Halo, Siti!");
    expect(greeting?.text).toContain("Privasi");
    expect(greeting?.keyboard?.labels).toEqual(
      expect.arrayContaining(["📝 Lapor", "📂 Laporan saya", "📣 Pengumuman", "❓ Bantuan", "🇬🇧 English"]),
    );
  });

  it("greets a citizen whose Telegram is in English in English", async () => {
    const chat = new UserChat(t.api, makeUser(5002, { firstName: "Ann", languageCode: "en" }));
    const [greeting] = await chat.send("/start");
    expect(greeting?.text).toContain("Hello, Ann!");
    expect(greeting?.keyboard?.labels).toContain("📝 Report");
  });

  it("switches language with a button, remembers it, and sets the chat's command menu", async () => {
    const chat = new UserChat(t.api, makeUser(5003, { firstName: "Budi", languageCode: "id" }));
    await chat.send("/start");
    const reactions = await chat.press("🇬🇧 English");
    expect(reactions.map((r) => r.text).join("\n")).toContain("Language changed to English");
    const menu = t.api.callsTo("setMyCommands").find((call) => {
      const scope = call.params.scope as { type?: string; chat_id?: number } | undefined;
      return scope?.type === "chat" && scope.chat_id === 5003;
    });
    expect(menu?.params.commands).toEqual(
      expect.arrayContaining([expect.objectContaining({ command: "report" })]),
    );
    const [help] = await chat.send("/bantuan");
    expect(help?.text).toContain("What can be reported?");
    await chat.send("/bahasa");
    await chat.press("🇮🇩 Bahasa Indonesia");
    const [bantuan] = await chat.send("/help");
    expect(bantuan?.text).toContain("Apa yang bisa dilaporkan?");
  });

  it("explains what can be reported with /bantuan and /help, and privacy with /privasi", async () => {
    const chat = new UserChat(t.api, makeUser(5004, { languageCode: "id" }));
    const [help] = await chat.send("/bantuan");
    expect(help?.text).toMatch(/Politik uang[\s\S]*Hoaks[\s\S]*Netralitas ASN/);
    const [privacy] = await chat.send("/privasi");
    expect(privacy?.text).toContain("tidak terenkripsi ujung-ke-ujung");
  });

  it("sets the command menu in both languages at start", () => {
    const menus = t.api.callsTo("setMyCommands").filter((call) => {
      const scope = call.params.scope as { type?: string } | undefined;
      return scope?.type === "all_private_chats";
    });
    const byLanguage = new Map(
      menus.map((call) => [call.params.language_code ?? "default", call.params.commands]),
    );
    expect(byLanguage.get("id")).toEqual(
      expect.arrayContaining([expect.objectContaining({ command: "lapor" })]),
    );
    expect(byLanguage.get("en")).toEqual(
      expect.arrayContaining([expect.objectContaining({ command: "report" })]),
    );
  });

  it("answers nothing in a foreign group and leaves it", async () => {
    const group = supergroup(-1009999, { title: "Grup Warga" });
    const user = makeUser(5005, { languageCode: "id" });
    const mark = t.api.mark();
    t.api.pushUpdate(myChatMemberAdded(group, user));
    t.api.pushUpdate(groupTextMessage(user, group, "/start"));
    await t.api.waitForCall("leaveChat", (params) => params.chat_id === -1009999, { after: mark });
    const sentToGroup = t.api.calls
      .slice(mark)
      .filter((call) => call.method.startsWith("send") && call.params.chat_id === -1009999);
    expect(sentToGroup).toEqual([]);
  });

  it("does not leave the staff group", async () => {
    const staff = supergroup(DEFAULT_STAFF_CHAT_ID, { title: "Piket" });
    const mark = t.api.mark();
    t.api.pushUpdate(groupTextMessage(makeUser(5006), staff, "selamat pagi"));
    t.api.pushUpdate(textMessage(makeUser(5007, { languageCode: "id" }), "/bantuan"));
    await t.api.waitForCall("sendMessage", (params) => params.chat_id === 5007, { after: mark });
    const leftStaff = t.api.calls
      .slice(mark)
      .some((call) => call.method === "leaveChat" && call.params.chat_id === DEFAULT_STAFF_CHAT_ID);
    expect(leftStaff).toBe(false);
  });

  it("reports healthy database and Redis on /healthz", async () => {
    const response = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: true, redis: true });
  });

  it("logs no message text", async () => {
    const chat = new UserChat(t.api, makeUser(5008, { languageCode: "id" }));
    await chat.send("RAHASIA-PRIBADI-77 nomor 0812999");
    expect(t.bot.output()).not.toContain("RAHASIA-PRIBADI-77");
    expect(t.bot.output()).not.toContain("0812999");
  });

  it("throttles a flood with one polite note and keeps the draft", async () => {
    const user = makeUser(5009, { languageCode: "id" });
    const chat = new UserChat(t.api, user);
    await chat.send("/lapor");
    await chat.press("📌 Pelanggaran lainnya");
    const mark = t.api.mark();
    for (let i = 0; i < 20; i++) t.api.pushUpdate(textMessage(user, `spam ${i}`));
    await t.api.waitForCall("sendMessage", (params) => String(params.text).includes("Pelan-pelan"), {
      after: mark,
    });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the flood window passes
    const notes = t.api.calls.slice(mark).filter((call) => String(call.params.text).includes("Pelan-pelan"));
    expect(notes).toHaveLength(1);
    const next = await chat.send("Kampanye di tempat ibadah");
    expect(next.map((reply) => reply.text).join("\n")).toContain("Kapan kejadiannya?");
  });

  it("stops on SIGTERM with exit code 0", async () => {
    const exit = await t.bot.stop();
    expect(exit.code).toBe(0);
    expect(t.bot.logs.some((line) => line.msg === "stopped")).toBe(true);
  });
});

describe("the bot in webhook mode", () => {
  let t: TestBot;
  let port: number;
  const secret = "s3cret-token-for-tests-0123456789";
  beforeAll(async () => {
    const env = await webhookEnv(secret);
    port = Number(env.PORT);
    t = await TestBot.start(env);
  });
  afterAll(() => t?.stop());

  it("registers its webhook with the secret token and answers /start delivered to it", async () => {
    const setWebhook = t.api.callsTo("setWebhook").at(-1);
    expect(setWebhook?.params).toMatchObject({
      url: `http://127.0.0.1:${port}/telegram`,
      secret_token: secret,
    });
    const chat = new UserChat(t.api, makeUser(6001, { firstName: "Wati", languageCode: "id" }));
    const [greeting] = await chat.send("/start");
    expect(greeting?.text).toContain("Halo, Wati!");
  });

  it("refuses an update without Telegram's secret token", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update_id: 1, ...textMessage(makeUser(6002), "/start") }),
    });
    expect(response.status).toBe(401);
  });

  it("serves /healthz on the same port", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe("a malformed configuration", () => {
  const base = { STAFF_CHAT_ID: "-1001234567890", TELEGRAM_API_ROOT: "http://127.0.0.1:9" };

  it.each([
    [{ BOT_TOKEN: undefined }, "BOT_TOKEN is missing"],
    [{ BOT_TOKEN: "not-a-token" }, "BOT_TOKEN is invalid"],
    [{ BOT_TOKEN: "123:abc", STAFF_CHAT_ID: "staff" }, "STAFF_CHAT_ID is invalid"],
    [{ BOT_TOKEN: "123:abc", BOT_MODE: "webhook" }, "WEBHOOK_URL is missing"],
    [{ BOT_TOKEN: "123:abc", DATABASE_URL: "postgresql://localhost/awasi" }, "DATA_KEY is missing"],
    [{ BOT_TOKEN: "123:abc", DATA_KEY: "short" }, "DATA_KEY must be 32 random bytes"],
  ])("stops with exit code 1 and one line naming the variable (%j)", async (env, expected) => {
    const result = await runBotOnce({ ...base, ...env });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  });
});
