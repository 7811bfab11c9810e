import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_LINK_LENGTH, MAX_LINKS } from "../../domain/report/links.ts";
import { CHRONOLOGY_MAX_LENGTH } from "../../domain/report/text.ts";
import { type BotReply, UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { CODE } from "./faults-support.ts";

const texts = (replies: BotReply[]) => replies.map((reply) => reply.text ?? "");
const TELEGRAM_LIMIT = 4096;

/** `count` characters of a sentence with HTML's own characters in it (they must survive escaping and cutting). */
const longText = (count: number, sentence: string) =>
  sentence
    .repeat(Math.ceil(count / sentence.length))
    .slice(0, count)
    .trim()
    .padEnd(count, "x");
/** The longest link the validator accepts, different for each `i`. */
const longLink = (i: number) => {
  const head = `https://example.org/bukti/${i}/`;
  return head + "a".repeat(MAX_LINK_LENGTH - head.length);
};

/**
 * The review with the longest answers every validator accepts (a 3,500-character chronology, ten 2,048-character
 * links sent as Telegram splits a long message, the longest short answers): each message stays within Telegram's
 * limit, the longest answers are shortened with a note, Edit shows them whole, and Submit gives a ticket.
 */
describe("the review with the longest answers", { timeout: 180_000 }, () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await TestBot.start({ FLOOD_LIMIT: "1000/10" });
  }, 120_000);
  afterAll(() => t?.stop());

  it("fits in one message, keeps Submit reachable, and shows every answer in full through Edit", async () => {
    const chat = new UserChat(t.api, makeUser(9901, { firstName: "Wati", languageCode: "id" }), {
      quietMs: 400,
    });
    const links = Array.from({ length: MAX_LINKS }, (_, i) => longLink(i));
    const chronology = longText(
      CHRONOLOGY_MAX_LENGTH,
      'Tim & <relawan> "paslon" membagikan amplop di TPS 7. ',
    );
    expect(chronology.length).toBe(CHRONOLOGY_MAX_LENGTH);

    await chat.send("/lapor");
    await chat.press("🧪 Hoaks");
    for (const platform of [
      "WhatsApp",
      "Facebook",
      "Instagram",
      "TikTok",
      "X (Twitter)",
      "YouTube",
      "Telegram",
      "Lainnya",
    ])
      await chat.press(platform);
    await chat.press("✔️ Selesai memilih");
    // Telegram splits a text longer than 4096 characters into several messages sent at once.
    const all = links.join("\n");
    for (let at = 0; at < all.length; at += TELEGRAM_LIMIT)
      await chat.send(all.slice(at, at + TELEGRAM_LIMIT));
    await chat.send(longText(1000, "Pesan berantai & <hoaks> menyebut TPS dipindah. "));
    await chat.press("Hari ini");
    await chat.press("Hari yang sama dengan kejadian");
    await chat.sendLocation(-6.2297, 106.8531);
    await chat.send(longText(200, "Balai warga RT 03 & <RW 05>. "));
    await chat.send(chronology);
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🪪 Dengan identitas (laporan resmi)");
    await chat.send(longText(100, "Wati Setyaningsih Kusumawardhani "));
    await chat.sendContact();
    const review = await chat.press("⏭ Lewati"); // no witnesses

    const shown = review.find((reply) => reply.keyboard?.labels.includes("📨 Kirim laporan"));
    expect(shown?.ok, "the review message is accepted by Telegram").toBe(true);
    expect(shown!.text!.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
    expect(shown!.text).toContain("dipersingkat; tekan ✏️ Kronologi");
    expect(shown!.text).toContain("Wati Setyaningsih"); // short answers are shown whole
    for (const reply of review) expect(reply.ok, reply.error).toBe(true);

    // Edit shows the chronology whole (in messages of its own when it does not fit with the prompt).
    const editChronology = await chat.press("✏️ Kronologi");
    for (const reply of editChronology) expect(reply.ok, reply.error).toBe(true);
    expect(texts(editChronology).join("")).toContain(chronology);
    await chat.press("⬅️ Kembali");

    const editLinks = await chat.press("✏️ Tautan konten");
    for (const reply of editLinks) expect(reply.ok, reply.error).toBe(true);
    const linkText = texts(editLinks).join("\n");
    for (const link of links) expect(linkText).toContain(link);
    const back = await chat.press("⬅️ Kembali");
    expect(back.some((reply) => reply.keyboard?.labels.includes("📨 Kirim laporan"))).toBe(true);

    const submitted = await chat.press("📨 Kirim laporan");
    const code =
      texts(submitted).join("\n").match(CODE)?.[0] ??
      texts(await chat.waitForReplies())
        .join("\n")
        .match(CODE)?.[0];
    expect(code).toBeDefined();
    const stored = await t.query((db) => db.report.findUnique({ where: { code: code! } }), {
      restart: false,
    });
    expect(stored?.chronology).toBe(chronology);
    expect((stored!.details as { hx_links?: string[] }).hx_links).toEqual(links);
  });
});
