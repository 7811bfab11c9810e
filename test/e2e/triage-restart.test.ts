import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { cardsOf, STAFF_CHAT_ID, waitForCard } from "./triage-support.ts";

const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;

describe("a crash between writing a ticket and posting its card", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await TestBot.start({ STAFF_RATE: "20/2" });
  }, 120_000);
  afterAll(() => t?.stop());

  it("posts the card once after the restart", async () => {
    // The staff group is out of reach (Telegram answers 502): the ticket is written, its card cannot be posted.
    const unreachable = t.api.onCall("sendMessage", (params) =>
      params.chat_id === STAFF_CHAT_ID
        ? { ok: false, error_code: 502, description: "Bad Gateway" }
        : undefined,
    );
    const chat = new UserChat(t.api, makeUser(9601, { languageCode: "id" }), { quietMs: 100 });
    await chat.send("/lapor");
    await chat.press("📌 Pelanggaran lainnya");
    await chat.send("Kampanye di tempat ibadah");
    await chat.press("Hari ini");
    await chat.press("Hari yang sama dengan kejadian");
    await chat.sendLocation(-6.2297, 106.8531);
    await chat.press("⏭ Lewati");
    await chat.send("Seorang calon berkampanye di masjid setelah salat Jumat dengan membagikan stiker.");
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🕶 Anonim (informasi awal)");
    const submitted = await chat.press("📨 Kirim laporan");
    const code = submitted
      .map((reply) => reply.text ?? "")
      .join("\n")
      .match(CODE)?.[0];
    expect(code).toBeDefined();
    const failed = await t.api.waitForCall(
      "sendMessage",
      (p) => p.chat_id === STAFF_CHAT_ID && String(p.text).includes(code!),
      { timeoutMs: 10_000 },
    );
    expect(failed.response?.ok).toBe(false);

    await t.bot.kill();
    unreachable();
    expect(cardsOf(t.api, code!)).toHaveLength(0);
    await t.restart();

    const card = await waitForCard(t.api, code!, 30_000);
    expect(card.text).toContain("Status: 🆕 Baru");
    const officer = new UserChat(t.api, makeUser(9602, { firstName: "Sari" }), {
      chat: { id: STAFF_CHAT_ID, type: "supergroup", title: "Piket" },
      quietMs: 100,
    });
    const replies = await officer.send(`/tiket ${code}`);
    const history = replies.find((reply) => reply.text?.includes("Riwayat"))?.text ?? "";
    expect(history.match(/kartu dikirim/g)).toHaveLength(1);
    expect(cardsOf(t.api, code!)).toHaveLength(1);
  });
});
