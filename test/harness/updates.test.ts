import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { DEFAULT_BOT_INFO, DEFAULT_BOT_TOKEN } from "../support/bot-identity.ts";
import {
  callbackQuery,
  contactMessage,
  detectEntities,
  groupTextMessage,
  makeUser,
  mediaGroup,
  myChatMemberAdded,
  photoMessage,
  privateChatOf,
  supergroup,
  textMessage,
} from "../support/updates.ts";

const budi = makeUser(2002, { firstName: "Budi", languageCode: "en" });

describe("update factories", () => {
  it("mark commands with bot_command entities, also /cmd@awasi_bot and commands after text", () => {
    expect(textMessage(budi, "/start").message?.entities).toEqual([
      { type: "bot_command", offset: 0, length: 6 },
    ]);
    expect(textMessage(budi, "/start@awasi_bot PU-7K3Q9M").message?.entities).toEqual([
      { type: "bot_command", offset: 0, length: 16 },
    ]);
    expect(detectEntities("coba /bantuan lagi")).toEqual([{ type: "bot_command", offset: 5, length: 8 }]);
    expect(textMessage(budi, "halo").message?.entities).toBeUndefined();
    expect(detectEntities("🙂 lihat https://contoh.id/hoaks, kata @warga_baik")).toEqual([
      { type: "url", offset: 9, length: 23 },
      { type: "mention", offset: 39, length: 11 },
    ]);
  });

  it("produce updates grammY routes like real ones", async () => {
    const bot = new Bot(DEFAULT_BOT_TOKEN, { botInfo: DEFAULT_BOT_INFO });
    const seen: string[] = [];
    bot.command("lapor", (ctx) => {
      seen.push(`lapor:${ctx.match}`);
    });
    bot.callbackQuery(/^rep:/, (ctx) => {
      seen.push(`cb:${ctx.callbackQuery.data}`);
    });
    bot.on("my_chat_member", (ctx) => {
      seen.push(`member:${ctx.myChatMember.new_chat_member.status}`);
    });
    bot.on("message:photo", (ctx) => {
      seen.push(`photo:${ctx.message.caption}`);
    });
    const staff = supergroup(-1003, { title: "Petugas" });
    const updates = [
      textMessage(budi, "/lapor@awasi_bot uang"),
      groupTextMessage(budi, staff, "/lapor@other_bot x"),
      callbackQuery(budi, "rep:cat:pu", textMessage(budi, "x").message as NonNullable<Update["message"]>),
      myChatMemberAdded(staff, budi),
      photoMessage(budi, { caption: "amplop" }),
    ];
    for (const [i, update] of updates.entries()) await bot.handleUpdate({ ...update, update_id: i + 1 });
    expect(seen).toEqual(["lapor:uang", "cb:rep:cat:pu", "member:member", "photo:amplop"]);
  });

  it("number messages per chat and give every photo size its own ids", () => {
    const first = textMessage(budi, "a").message?.message_id ?? 0;
    expect(textMessage(budi, "b").message?.message_id).toBe(first + 1);
    expect(textMessage(budi, "c", { chat: supergroup(-1_009_999) }).message?.message_id).toBe(1);

    const sizes = photoMessage(budi, { fileId: "AgACmine" }).message?.photo ?? [];
    expect(sizes.length).toBeGreaterThan(2);
    expect(new Set(sizes.map((s) => s.file_id)).size).toBe(sizes.length);
    expect(new Set(sizes.map((s) => s.file_unique_id)).size).toBe(sizes.length);
    expect(sizes.at(-1)?.file_id).toBe("AgACmine");

    const album = mediaGroup(budi, 3, { caption: "bukti" });
    expect(new Set(album.map((u) => u.message?.media_group_id)).size).toBe(1);
    expect(album.map((u) => u.message?.caption)).toEqual(["bukti", undefined, undefined]);
  });

  it("build private chats and contacts like Telegram", () => {
    expect(privateChatOf(budi)).toEqual({ id: 2002, type: "private", first_name: "Budi" });
    expect(budi.language_code).toBe("en");
    expect(
      contactMessage(budi, { phone: "+628123", firstName: "Budi", userId: budi.id }).message?.contact,
    ).toEqual({
      phone_number: "+628123",
      first_name: "Budi",
      user_id: 2002,
    });
  });
});
