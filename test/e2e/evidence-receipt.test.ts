import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { buttonData, officer, press, waitForCard } from "./triage-support.ts";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const CODE = /\bLN-[2-9A-HJKMNP-Z]{6}\b/;

describe("evidence receipts", { timeout: 180_000 }, () => {
  let t: TestBot;
  const photo = Buffer.from("foto amplop di TPS 12 — bytes asli");
  const document = Buffer.alloc(300_000, 7);
  beforeAll(async () => {
    t = await TestBot.start({ FLOOD_LIMIT: "1000/10" });
    t.api.setFile("rcpt-photo", { content: photo });
    t.api.setFile("rcpt-doc", { content: document });
    t.api.setFile("rcpt-huge", { size: 25 * 1024 * 1024 });
  });
  afterAll(() => t?.stop());

  it("hashes every file as Telegram serves it, sends the reporter a receipt, and shows officers the same", async () => {
    const citizen = makeUser(8701, { firstName: "Dewi", languageCode: "id" });
    // A generous quiet time: the bot's next question may follow the button's answer by a while on a busy machine.
    const chat = new UserChat(t.api, citizen, { quietMs: 600 });
    await chat.send("/start");
    await chat.press("📝 Lapor");
    await chat.press("📌 Pelanggaran lainnya");
    await chat.send("Perusakan alat peraga kampanye di jalan raya");
    await chat.press("Hari ini");
    await chat.press("Hari yang sama dengan kejadian");
    await chat.send("tebet");
    await chat.press(/^Tebet, Kota Jakarta Selatan/);
    await chat.press("⏭ Lewati");
    await chat.send("Malam hari tiga orang merobek baliho calon nomor 2 di perempatan jalan raya.");
    await chat.sendPhoto({ fileId: "rcpt-photo" });
    await chat.sendDocument({ fileId: "rcpt-doc", fileName: "rekaman.pdf", fileSize: document.length });
    await chat.sendDocument({ fileId: "rcpt-huge", fileName: "video.mp4", fileSize: 25 * 1024 * 1024 });
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🕶 Anonim (informasi awal)");
    const mark = t.api.mark();
    const submitted = await chat.press("📨 Kirim laporan");
    const confirmation = submitted.map((reply) => reply.text ?? "").join("\n");
    const code =
      confirmation.match(CODE)?.[0] ??
      String(
        (await t.api.waitForCall("sendMessage", (p) => CODE.test(String(p.text)), { after: mark })).params
          .text,
      ).match(CODE)![0];

    const receipt = await t.api.waitForCall(
      "sendMessage",
      (p) => p.chat_id === citizen.id && String(p.text).includes("🧾 <b>Tanda terima bukti"),
      { after: mark, timeoutMs: 30_000 },
    );
    const text = String(receipt.params.text);
    expect(text).toContain(code);
    expect(text).toContain(sha256(photo).slice(0, 12));
    expect(text).toContain(sha256(document).slice(0, 12));
    expect(text).toContain("lebih dari 20 MB");
    expect(text).not.toContain("rekaman.pdf");

    const stored = await t.query((db) =>
      db.evidence.findMany({ where: { report: { code } }, orderBy: { position: "asc" } }),
    );
    expect(stored.map((item) => [item.hashState, item.sha256, item.sizeBytes])).toEqual([
      ["DONE", sha256(photo), photo.length],
      ["DONE", sha256(document), document.length],
      ["TOO_LARGE", null, 25 * 1024 * 1024],
    ]);
    expect(stored.every((item) => item.receivedAt !== null)).toBe(true);

    const card = await waitForCard(t.api, code);
    const admin = officer(t.api, 8790, "Wati", "admin");
    const bukti = buttonData(card).find((data) => data.startsWith("tkt:ev:"))!;
    const staffMark = t.api.mark();
    await press(t.api, admin.user, bukti, card);
    const listing = await t.api.waitForCall(
      "sendMessage",
      (p) => String(p.text).includes("Sidik jari bukti"),
      { after: staffMark, timeoutMs: 30_000 },
    );
    expect(String(listing.params.text)).toContain(sha256(photo).slice(0, 12));
  });
});
