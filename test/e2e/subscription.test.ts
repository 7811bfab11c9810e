import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { cipher } from "./broadcast-support.ts";

/** Citizens subscribing to enforcement announcements, in both languages, with an area and a language. */
describe("subscriptions", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await TestBot.start();
  });
  afterAll(() => t?.stop());

  it("subscribes and unsubscribes in Indonesian with /langganan and /berhenti", async () => {
    const chat = new UserChat(t.api, makeUser(7101, { languageCode: "id" }));
    const [subscribed] = await chat.send("/langganan");
    expect(subscribed?.text).toContain("Anda berlangganan pengumuman penindakan");
    expect(subscribed?.text).toContain("Wilayah: seluruh Indonesia");
    expect(subscribed?.keyboard?.labels).toEqual([
      "📍 Pilih wilayah",
      "🌐 Bahasa",
      "🔕 Berhenti berlangganan",
    ]);

    const [stopped] = await chat.send("/berhenti");
    expect(stopped?.text).toContain("tidak lagi menerima pengumuman");
    expect(stopped?.keyboard?.data).toEqual(["sub:on"]);
    // Unsubscribing always works, also twice.
    const [again] = await chat.send("/berhenti");
    expect(again?.text).toContain("tidak lagi menerima pengumuman");
  });

  it("subscribes in English with /subscribe, from the menu button, and unsubscribes with one tap", async () => {
    const chat = new UserChat(t.api, makeUser(7102, { languageCode: "en" }));
    await chat.send("/start");
    await chat.press("menu:announcements");
    expect(chat.lastMessage()?.text).toContain("Get announcements of enforcement");
    const subscribed = await chat.press("📣 Subscribe");
    expect(subscribed.map((r) => r.text).join("\n")).toContain("You now receive enforcement announcements");

    const stopped = await chat.press("🔕 Unsubscribe");
    expect(stopped.map((r) => r.text).join("\n")).toContain("You will no longer receive announcements");
    const [resubscribed] = await chat.send("/subscribe");
    expect(resubscribed?.text).toContain("You now receive enforcement announcements");
    const [off] = await chat.send("/unsubscribe");
    expect(off?.text).toContain("You will no longer receive announcements");
  });

  it("lets a subscriber choose a regency, the whole province or all of Indonesia, and the announcement language", async () => {
    const chat = new UserChat(t.api, makeUser(7103, { languageCode: "id" }));
    await chat.send("/langganan");
    const provinces = await chat.press("📍 Pilih wilayah");
    expect(provinces.at(-1)?.text).toContain("Pilih provinsi Anda (halaman 1 dari 4)");
    // Jawa Barat is on a later page: page forward until it shows.
    for (let page = 0; page < 4 && !chat.lastKeyboard()?.labels.includes("Jawa Barat"); page++) {
      await chat.press(`sub:ap:${String(page + 2)}`);
    }
    await chat.press("Jawa Barat");
    expect(chat.lastMessage()?.text).toContain("Jawa Barat: pilih kabupaten/kota");
    for (let page = 0; page < 4 && !chat.lastKeyboard()?.labels.includes("Kota Bandung"); page++) {
      await chat.press(`sub:rp:32:${String(page + 2)}`);
    }
    const saved = await chat.press("Kota Bandung");
    expect(saved.at(-1)?.text).toContain("Wilayah disimpan: Kota Bandung, Jawa Barat");

    await chat.press("📍 Pilih wilayah");
    await chat.press("sub:pv:32");
    const province = await chat.press("Seluruh Jawa Barat");
    expect(province.at(-1)?.text).toContain("Wilayah disimpan: Jawa Barat");

    await chat.press("📍 Pilih wilayah");
    const all = await chat.press("🇮🇩 Seluruh Indonesia");
    expect(all.at(-1)?.text).toContain("Wilayah disimpan: seluruh Indonesia");

    await chat.press("🌐 Bahasa");
    const language = await chat.press("English");
    expect(language.at(-1)?.text).toContain("Bahasa pengumuman: English");
  });

  it("moves a subscriber's announcements to the language chosen with /bahasa, and tells them", async () => {
    const chat = new UserChat(t.api, makeUser(7106, { languageCode: "id" }));
    await chat.send("/langganan");
    await chat.send("/bahasa");
    const changed = await chat.press("🇬🇧 English");
    expect(changed.at(-1)?.text).toContain(
      "Language changed to English. Enforcement announcements will also come to you in English.",
    );
    const [settings] = await chat.send("/subscribe");
    expect(settings?.text).toContain("English");

    // Someone who is not subscribed is not told about announcements.
    const other = new UserChat(t.api, makeUser(7107, { languageCode: "id" }));
    await other.send("/bahasa");
    const plain = await other.press("🇬🇧 English");
    expect(plain.at(-1)?.text).toContain("Language changed to English.");
    expect(plain.at(-1)?.text).not.toContain("announcements");
  });

  it("tells someone who is not subscribed how to subscribe instead of saving an area", async () => {
    const chat = new UserChat(t.api, makeUser(7104, { languageCode: "id" }));
    await chat.send("/langganan");
    await chat.send("/berhenti");
    const reactions = await chat.press("sub:on");
    expect(reactions.map((r) => r.text).join("\n")).toContain("Anda berlangganan");
    await chat.send("/berhenti");
    // An old area button from before unsubscribing.
    const subscribedMessage = t.api
      .botMessages(7104)
      .find((message) => JSON.stringify(message.reply_markup ?? {}).includes("sub:ap:1"));
    const [answer] = await chat.press("sub:ap:1", subscribedMessage ? { message: subscribedMessage } : {});
    expect(answer?.text ?? "").toContain("Anda belum berlangganan");
  });

  // One look at the database for all of the above (the embedded database must stop the bot to be read).
  it("stored what the citizens chose, naming nobody in the clear", async () => {
    const rows = await t.query((db) =>
      db.subscription.findMany({
        select: {
          active: true,
          locale: true,
          provinceCode: true,
          regencyCode: true,
          chatIdEnc: true,
          chatIdHash: true,
        },
      }),
    );
    const of = (chatId: number) =>
      rows.find((row) => row.chatIdHash === cipher.hash("subscriptionChat", String(chatId)));
    expect(of(7101)).toMatchObject({ active: false, locale: "id" });
    expect(of(7102)).toMatchObject({ active: false, locale: "en" });
    expect(of(7103)).toMatchObject({ active: true, provinceCode: null, regencyCode: null, locale: "en" });
    expect(of(7104)).toMatchObject({ active: false });
    for (const row of rows) {
      expect(row.chatIdEnc).not.toMatch(/710\d/);
      expect(row.chatIdHash).not.toMatch(/710\d/);
    }
    expect(cipher.decrypt(of(7101)!.chatIdEnc)).toBe("7101");
  });
});
