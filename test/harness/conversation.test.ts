import { type RunnerHandle, run } from "@grammyjs/runner";
import { Bot, InlineKeyboard, Keyboard } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserChat } from "../support/conversation.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";
import { makeUser } from "../support/updates.ts";

let api: FakeBotApi;
let runner: RunnerHandle;

/** A tiny bot with the shapes Awasi's flows have: a menu, an edit on press, a contact keyboard. */
function demoBot(): Bot {
  const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  bot.command("start", async (ctx) => {
    await ctx.reply("Selamat datang");
    await ctx.reply("Menu", {
      reply_markup: new InlineKeyboard()
        .text("Lapor", "rep:start")
        .row()
        .url("Situs", "https://bawaslu.go.id"),
    });
  });
  bot.callbackQuery("rep:start", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "Oke" });
    await ctx.editMessageText("Kategori?", {
      reply_markup: new InlineKeyboard().text("Politik uang", "rep:cat:pu"),
    });
  });
  bot.callbackQuery("rep:cat:pu", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply("Kirim nomor Anda", {
      reply_markup: new Keyboard().requestContact("Bagikan kontak").oneTime().resized(),
    });
  });
  bot.on("message:contact", (ctx) =>
    ctx.reply(`Nomor ${ctx.message.contact.user_id === ctx.from.id ? "sendiri" : "lain"}`, {
      reply_markup: { remove_keyboard: true },
    }),
  );
  bot.on("message:photo", (ctx) => ctx.reply(`Foto diterima: ${ctx.message.photo.length} ukuran`));
  return bot;
}

beforeEach(async () => {
  api = await startFakeBotApi();
  runner = run(demoBot(), { runner: { fetch: { timeout: 1 }, silent: true } });
});

afterEach(async () => {
  if (runner.isRunning()) await runner.stop();
  await api.close();
});

describe("UserChat", () => {
  it("reads like a chat: send, press, keyboards, contact", async () => {
    const chat = new UserChat(api, makeUser(3003, { firstName: "Wati" }), { quietMs: 60 });

    const greeting = await chat.send("/start");
    expect(greeting.map((r) => r.text)).toEqual(["Selamat datang", "Menu"]);
    expect(greeting.every((r) => r.ok)).toBe(true);
    expect(chat.lastKeyboard()).toMatchObject({
      kind: "inline",
      labels: ["Lapor", "Situs"],
      data: ["rep:start"],
    });

    const reactions = await chat.press("Lapor");
    expect(reactions.map((r) => [r.method, r.text])).toEqual([
      ["answerCallbackQuery", "Oke"],
      ["editMessageText", "Kategori?"],
    ]);
    expect(reactions[1]?.message?.message_id).toBe(greeting[1]?.message?.message_id);

    await expect(chat.press(/Situs/)).rejects.toThrow(/No button matching/);
    await chat.press(/^rep:cat:/);
    expect(chat.lastKeyboard()).toMatchObject({ kind: "reply", labels: ["Bagikan kontak"] });
    expect(chat.replyKeyboard()?.rows[0]?.[0]).toEqual({ text: "Bagikan kontak", requestContact: true });

    const [shared] = await chat.sendContact();
    expect(shared?.text).toBe("Nomor sendiri");
    expect(chat.replyKeyboard()).toBeUndefined();

    const [photo] = await chat.sendPhoto({ caption: "bukti" });
    expect(photo?.text).toMatch(/^Foto diterima: \d+ ukuran$/);
    expect(await chat.send("teks bebas", { expectReply: false, quietMs: 30 })).toEqual([]);
  });
});
