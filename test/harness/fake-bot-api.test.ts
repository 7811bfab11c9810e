import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { callbackQuery, makeUser, photoMessage, supergroup, textMessage } from "../support/updates.ts";

let api: FakeBotApi;
const runners: RunnerHandle[] = [];
const servers: Server[] = [];

beforeEach(async () => {
  api = await startFakeBotApi();
});

afterEach(async () => {
  for (const runner of runners.splice(0)) if (runner.isRunning()) await runner.stop();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await api.close();
});

function newBot(token = api.token): Bot {
  return new Bot(token, { client: { apiRoot: api.apiRoot } });
}

/** Runs a bot with long polling against the fake, with a short poll timeout so that stopping is quick. */
function runBot(bot: Bot): RunnerHandle {
  const runner = run(bot, { runner: { fetch: { timeout: 1 }, silent: true } });
  runners.push(runner);
  return runner;
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const siti = makeUser(1001, { firstName: "Siti", username: "siti_r" });

describe("long polling", () => {
  it("delivers pushed updates to a grammY runner, records the replies and drops confirmed updates", async () => {
    const bot = newBot();
    bot.command("start", (ctx) => ctx.reply(`Halo ${ctx.from?.first_name}`));
    runBot(bot);

    const update = api.pushUpdate(textMessage(siti, "/start"));
    const reply = await api.waitForCall("sendMessage");

    expect(reply.params.chat_id).toBe(siti.id);
    expect(reply.messages[0]).toMatchObject({
      text: "Halo Siti",
      chat: { id: siti.id, type: "private", first_name: "Siti" },
      from: { id: api.botInfo.id, is_bot: true, username: "awasi_bot" },
    });
    expect(reply.messages[0]?.message_id).toBeGreaterThan(
      update.message?.message_id ?? Number.POSITIVE_INFINITY,
    );
    expect(api.messagesTo(siti.id)).toEqual([reply]);
    expect(api.callsTo("getMe")).toHaveLength(1);

    await api.waitForCall("getUpdates", (p) => p.offset === update.update_id + 1);
    expect(api.pendingUpdates()).toEqual([]);
  });

  it("honours offset, limit and timeout like Telegram", async () => {
    const bot = newBot();
    const started = performance.now();
    expect(await bot.api.getUpdates({ timeout: 0.2 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);

    const [a, b, c] = [1, 2, 3].map((i) => api.pushUpdate(textMessage(siti, `pesan ${i}`)));
    expect((await bot.api.getUpdates({ limit: 2 })).map((u) => u.update_id)).toEqual([
      a?.update_id,
      b?.update_id,
    ]);
    const rest = await bot.api.getUpdates({ offset: (b?.update_id ?? 0) + 1 });
    expect(rest.map((u) => u.update_id)).toEqual([c?.update_id]);
    expect(api.pendingUpdates().map((u) => u.update_id)).toEqual([c?.update_id]);
  });

  it("answers a waiting poll as soon as an update is pushed, and answers [] on close()", async () => {
    const bot = newBot();
    const mark = api.mark();
    const poll = bot.api.getUpdates({ timeout: 10 });
    await api.waitForCall("getUpdates", undefined, { after: mark });
    const started = performance.now();
    const pushed = api.pushUpdate(textMessage(siti, "halo"));
    expect((await poll).map((u) => u.update_id)).toEqual([pushed.update_id]);
    // Well inside the 10 s long poll: the push answered it, the poll did not time out.
    expect(performance.now() - started).toBeLessThan(5_000);

    const waiting = bot.api.getUpdates({ offset: pushed.update_id + 1, timeout: 10 });
    await api.waitForCall("getUpdates", (p) => p.offset === pushed.update_id + 1);
    await api.close();
    expect(await waiting).toEqual([]);
  });

  it("answers the older of two concurrent polls with 409 Conflict, like Telegram for two instances", async () => {
    const first = newBot().api.getUpdates({ timeout: 10 });
    await api.waitForCall("getUpdates");
    const second = newBot().api.getUpdates({ timeout: 10 });
    await expect(first).rejects.toMatchObject({
      error_code: 409,
      description: expect.stringContaining("terminated"),
    });
    api.pushUpdate(textMessage(siti, "halo"));
    expect(await second).toHaveLength(1);
  });

  it("does not deliver update types the bot did not ask for", async () => {
    const bot = newBot();
    api.pushUpdate({
      message_reaction: {
        chat: { id: siti.id, type: "private", first_name: "Siti" },
        message_id: 1,
        user: siti,
        date: 0,
        old_reaction: [],
        new_reaction: [{ type: "emoji", emoji: "👍" }],
      },
    });
    const kept = api.pushUpdate(textMessage(siti, "halo"));
    expect((await bot.api.getUpdates()).map((u) => u.update_id)).toEqual([kept.update_id]);
    expect(api.droppedUpdates).toHaveLength(1);
  });
});

describe("fault injection", () => {
  it("failNext(429) reaches the bot as a GrammyError with retry_after, then the API recovers", async () => {
    const bot = newBot();
    const outcomes: Array<string | GrammyError> = [];
    let done: () => void = () => {};
    const bothDone = new Promise<void>((resolve) => {
      done = resolve;
    });
    bot.on("message:text", async (ctx) => {
      try {
        await ctx.reply("diterima");
        outcomes.push("sent");
      } catch (error) {
        outcomes.push(error as GrammyError);
      }
      if (outcomes.length === 2) done();
    });
    api.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } },
      { when: (p) => p.chat_id === siti.id },
    );
    runBot(bot);
    api.pushUpdate(textMessage(siti, "satu"));
    api.pushUpdate(textMessage(siti, "dua"));
    await bothDone;

    const [first, second] = outcomes;
    expect(first).toBeInstanceOf(GrammyError);
    expect(first).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect(second).toBe("sent");
    expect(api.callsTo("sendMessage").map((c) => c.response?.ok)).toEqual([false, true]);
  });

  it("onCall overrides a method until removed; setBlocked answers 403 like a blocked user", async () => {
    const bot = newBot();
    const remove = api.onCall("getChat", (params) => ({
      result: { id: params.chat_id, type: "private", first_name: "X" },
    }));
    expect(await bot.api.getChat(5)).toMatchObject({ first_name: "X" });
    remove();
    expect(await bot.api.getChat(5)).toMatchObject({ id: 5, type: "private" });

    api.setBlocked(siti.id);
    await expect(bot.api.sendMessage(siti.id, "halo")).rejects.toMatchObject({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
  });

  it("rejects a wrong token with 401 Unauthorized", async () => {
    await expect(newBot("999:WRONG").api.getMe()).rejects.toMatchObject({
      error_code: 401,
      description: "Unauthorized",
    });
  });
});

describe("webhook mode", () => {
  it("posts pushed updates with the secret header; getUpdates is a 409 Conflict meanwhile", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(`dapat: ${ctx.message.text}`));
    const handle = webhookCallback(bot, "http", { secretToken: "rahasia_123" });
    const seenHeaders: IncomingHttpHeaders[] = [];
    const url = await listen(
      createServer((req, res) => {
        seenHeaders.push(req.headers);
        void handle(req, res);
      }),
    );

    await bot.api.setWebhook(`${url}/telegram`, { secret_token: "rahasia_123" });
    expect(await bot.api.getWebhookInfo()).toMatchObject({ url: `${url}/telegram`, pending_update_count: 0 });
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });

    const update = api.pushUpdate(textMessage(siti, "halo"));
    expect(await api.waitForWebhookDelivery(update.update_id)).toMatchObject({ status: 200 });
    expect(seenHeaders[0]?.["x-telegram-bot-api-secret-token"]).toBe("rahasia_123");
    expect((await api.waitForCall("sendMessage")).messages[0]?.text).toBe("dapat: halo");

    await bot.api.deleteWebhook();
    expect(await bot.api.getUpdates()).toEqual([]);
  });

  it("retries a failed delivery and executes a method returned in the webhook response", async () => {
    let requests = 0;
    const url = await listen(
      createServer((req, res) => {
        requests += 1;
        req.resume();
        if (requests === 1) {
          res.writeHead(500).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ method: "sendMessage", chat_id: siti.id, text: "lewat balasan webhook" }));
      }),
    );
    await newBot().api.setWebhook(url);
    const update = api.pushUpdate(textMessage(siti, "halo"));
    await api.waitForWebhookDelivery(update.update_id, { succeeded: true });
    expect(api.webhookDeliveries.map((d) => d.status)).toEqual([500, 200]);
    const reply = await api.waitForCall("sendMessage");
    expect(reply).toMatchObject({ source: "webhook-reply", response: { ok: true } });
    expect(api.pendingUpdates()).toEqual([]);
  });
});

describe("Bot API methods", () => {
  it("parses multipart uploads: text params, JSON params and files", async () => {
    const bot = newBot();
    const sent = await bot.api.sendPhoto(
      siti.id,
      new InputFile(Buffer.from("not really a jpeg"), "bukti.jpg"),
      {
        caption: "<b>Bukti</b> dari TPS 12",
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text("Setuju", "ok"),
      },
    );
    const call = api.callsTo("sendPhoto")[0];
    expect(call?.params).toMatchObject({
      chat_id: siti.id,
      photo: { filename: "bukti.jpg", size: 17 },
      reply_markup: { inline_keyboard: [[{ text: "Setuju", callback_data: "ok" }]] },
    });
    expect(call?.files).toEqual([expect.objectContaining({ filename: "bukti.jpg", size: 17 })]);
    expect(sent.caption).toBe("Bukti dari TPS 12");
    expect(sent.caption_entities).toEqual([{ type: "bold", offset: 0, length: 5 }]);
    expect(sent.photo?.length).toBeGreaterThan(1);

    const album = await bot.api.sendMediaGroup(-1001, [
      { type: "photo", media: new InputFile(Buffer.from("a"), "a.jpg"), caption: "album" },
      { type: "photo", media: sent.photo?.at(-1)?.file_id ?? "" },
    ]);
    expect(album).toHaveLength(2);
    const [first, second] = album as Message[];
    expect(first?.media_group_id).toBeDefined();
    expect(first?.media_group_id).toBe(second?.media_group_id);
    expect(second?.photo?.at(-1)?.file_id).toBe(sent.photo?.at(-1)?.file_id);
  });

  it("accepts urlencoded bodies, GET query strings and any case of method names; delays sends with setLatency", async () => {
    const body = new URLSearchParams({
      chat_id: "-1001",
      text: "halo",
      disable_notification: "true",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "A", callback_data: "a" }]] }),
    });
    const posted = await fetch(`${api.apiRoot}/bot${api.token}/sendmessage`, { method: "POST", body });
    expect(await posted.json()).toMatchObject({ ok: true, result: { chat: { id: -1001 }, text: "halo" } });
    expect(api.callsTo("sendMessage")[0]?.params).toEqual({
      chat_id: -1001,
      text: "halo",
      disable_notification: true,
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    const got = await fetch(`${api.apiRoot}/bot${api.token}/getChat?chat_id=${siti.id}`);
    expect(await got.json()).toMatchObject({ ok: true, result: { id: siti.id, type: "private" } });

    api.setLatency(60);
    const started = performance.now();
    await newBot().api.sendMessage(siti.id, "lambat");
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("answers edits like Telegram: not modified, keyboard removed when omitted, unknown message", async () => {
    const bot = newBot();
    const keyboard = new InlineKeyboard().text("Klaim", "tkt:claim");
    const card = await bot.api.sendMessage(-1001, "Laporan PU-7K3Q9M", { reply_markup: keyboard });
    await expect(
      bot.api.editMessageText(-1001, card.message_id, "Laporan PU-7K3Q9M", { reply_markup: keyboard }),
    ).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining("message is not modified"),
    });

    const edited = await bot.api.editMessageText(-1001, card.message_id, "Laporan PU-7K3Q9M (diklaim)");
    expect(edited).toMatchObject({ text: "Laporan PU-7K3Q9M (diklaim)", edit_date: expect.any(Number) });
    expect(api.message(-1001, card.message_id)?.reply_markup).toBeUndefined();

    await expect(bot.api.editMessageText(-1001, 999_999, "x")).rejects.toMatchObject({
      description: "Bad Request: message to edit not found",
    });
    expect(await bot.api.deleteMessage(-1001, card.message_id)).toBe(true);
    await expect(bot.api.deleteMessage(-1001, card.message_id)).rejects.toMatchObject({ error_code: 400 });
  });

  it("rejects what Telegram rejects: unparsable HTML/MarkdownV2, long callback data, empty text", async () => {
    const bot = newBot();
    await expect(
      bot.api.sendMessage(siti.id, "Saya <3 pemilu", { parse_mode: "HTML" }),
    ).rejects.toMatchObject({
      description: expect.stringContaining("can't parse entities: Unsupported start tag"),
    });
    await expect(
      bot.api.sendMessage(siti.id, "Rp 50.000", { parse_mode: "MarkdownV2" }),
    ).rejects.toMatchObject({
      description: expect.stringContaining("Character '.' is reserved"),
    });
    const longData = new InlineKeyboard().text("x", "a".repeat(65));
    await expect(bot.api.sendMessage(siti.id, "x", { reply_markup: longData })).rejects.toMatchObject({
      description: "Bad Request: BUTTON_DATA_INVALID",
    });
    await expect(bot.api.sendMessage(siti.id, "   ")).rejects.toMatchObject({
      description: "Bad Request: message text is empty",
    });
  });

  it("copies and forwards messages the users sent, with their content", async () => {
    const bot = newBot();
    const photo = api.pushUpdate(photoMessage(siti, { caption: "uang amplop" })).message as Message;
    const copy = await bot.api.copyMessage(-1001, siti.id, photo.message_id, { caption: "Bukti #1" });
    const stored = api.message(-1001, copy.message_id);
    expect(stored?.photo).toEqual(photo.photo);
    expect(stored?.caption).toBe("Bukti #1");
    expect(stored && "forward_origin" in stored).toBe(false);
    await expect(bot.api.copyMessage(-1001, siti.id, 987_654)).rejects.toMatchObject({
      description: "Bad Request: message to copy not found",
    });
    const forward = await bot.api.forwardMessage(-1001, siti.id, photo.message_id);
    expect(forward.forward_origin).toMatchObject({ type: "user", sender_user: { id: siti.id } });
  });

  it("keeps commands per scope and language, chat members, forum topics and callback answers", async () => {
    const bot = newBot();
    await bot.api.setMyCommands([{ command: "lapor", description: "Buat laporan" }]);
    await bot.api.setMyCommands([{ command: "report", description: "Make a report" }], {
      language_code: "en",
    });
    expect(await bot.api.getMyCommands()).toEqual([{ command: "lapor", description: "Buat laporan" }]);
    expect(api.commands({ type: "default" }, "en")).toEqual([
      { command: "report", description: "Make a report" },
    ]);
    await expect(bot.api.setMyCommands([{ command: "Lapor!", description: "x" }])).rejects.toMatchObject({
      error_code: 400,
    });

    expect(await bot.api.getChatMember(-1001, siti.id)).toMatchObject({
      status: "member",
      user: { id: siti.id },
    });
    api.setChatMember(-1001, siti.id, "administrator");
    expect(await bot.api.getChatMember(-1001, siti.id)).toMatchObject({
      status: "administrator",
      can_manage_topics: true,
    });
    expect((await bot.api.getChatAdministrators(-1001)).map((m) => m.user.id)).toEqual([siti.id]);

    await expect(bot.api.createForumTopic(-1001, "PU-7K3Q9M")).rejects.toMatchObject({
      description: "Bad Request: the chat is not a forum",
    });
    api.setForum(-1001);
    const topic = await bot.api.createForumTopic(-1001, "PU-7K3Q9M");
    expect(topic).toMatchObject({ name: "PU-7K3Q9M", icon_color: expect.any(Number) });
    const inTopic = await bot.api.sendMessage(-1001, "kartu", { message_thread_id: topic.message_thread_id });
    expect(inTopic).toMatchObject({ is_topic_message: true, chat: { is_forum: true } });

    const menu = await bot.api.sendMessage(siti.id, "Menu", {
      reply_markup: new InlineKeyboard().text("Lapor", "rep"),
    });
    const press = api.pushUpdate(callbackQuery(siti, "rep", menu));
    const queryId = press.callback_query?.id ?? "";
    expect(await bot.api.answerCallbackQuery(queryId)).toBe(true);
    await expect(bot.api.answerCallbackQuery(queryId)).rejects.toMatchObject({ error_code: 400 });
  });

  it("learns chats from updates and waits with a clear message when a call never comes", async () => {
    const staff = supergroup(-1002, { title: "Bawaslu Kota", isForum: true });
    api.pushUpdate(textMessage(siti, "halo", { chat: staff, threadId: 77 }));
    const sent = await newBot().api.sendMessage(staff.id, "ok", { message_thread_id: 77 });
    expect(sent.chat).toMatchObject({ title: "Bawaslu Kota", is_forum: true });
    await expect(api.waitForCall("sendVoice", undefined, { timeoutMs: 50 })).rejects.toThrow(
      /Timed out after 50 ms: waited for 1 call\(s\) to sendVoice[\s\S]*sendMessage/,
    );
  });
});
