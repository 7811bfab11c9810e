import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import {
  buttonData,
  cardIn,
  officer,
  press,
  STAFF_CHAT_ID,
  seedWhileStopped,
  waitForCard,
  waitForText,
} from "./triage-support.ts";

const HOSTILE =
  'Dia bilang <b>"pilih nomor 2"</b> & kasih amplop </code><a href="https://evil.example">klik</a> lalu pergi.';

describe("ticket cards in a forum staff group", () => {
  let t: TestBot;
  let codes: string[];
  const rina = makeUser(8101, {
    firstName: "Rina",
    lastName: "Wulandari",
    username: "rina_w",
    languageCode: "id",
  });
  const joko = makeUser(8102, { firstName: "Joko", username: "joko_saksi", languageCode: "id" });

  beforeAll(async () => {
    t = await TestBot.start({ STAFF_RATE: "20/2" });
    t.api.setForum(STAFF_CHAT_ID);
    codes = await seedWhileStopped(t, [
      { category: "MONEY_POLITICS", reporter: rina, chronology: HOSTILE },
      {
        category: "HOAX",
        reporter: joko,
        evidence: [
          {
            kind: "PHOTO",
            fileId: "photo-a",
            fileUniqueId: "ua",
            mediaGroupId: "album-1",
            caption: "<i>amplop</i>",
          },
          { kind: "PHOTO", fileId: "photo-b", fileUniqueId: "ub", mediaGroupId: "album-1" },
          {
            kind: "DOCUMENT",
            fileId: "doc-c",
            fileUniqueId: "uc",
            fileName: "Catatan_Joko_Susilo.pdf",
            mimeType: "application/pdf",
          },
          { kind: "LINK", url: "https://example.org/hoaks?a=1&b=2" },
        ],
      },
      {
        category: "ASN_NEUTRALITY",
        reporter: rina,
        identified: { name: "Rina Wulandari", phone: "+6281234567890" },
      },
      {
        category: "OTHER",
        reporter: joko,
        location: { type: "point", latitude: -6.2261, longitude: 106.8456 },
      },
      { category: "MONEY_POLITICS", reporter: joko },
    ]);
    for (const code of codes) await waitForCard(t.api, code);
  }, 120_000);
  afterAll(() => t?.stop());

  it("posts one card per ticket, each in its category's topic (created once), protected from forwarding", () => {
    const topics = t.api.forumTopics(STAFF_CHAT_ID);
    expect(topics.map((topic) => topic.name).sort()).toEqual(
      ["💸 Politik uang", "🧪 Hoaks", "🏛 Netralitas ASN", "📌 Pelanggaran lainnya"].sort(),
    );
    expect(t.api.callsTo("createForumTopic")).toHaveLength(4);
    const topicOf = (name: string) => topics.find((topic) => topic.name === name)!.message_thread_id;
    const cards = codes.map((code) => cardIn(t.api, code)!);
    expect(cards.map((card) => card.message_thread_id)).toEqual([
      topicOf("💸 Politik uang"),
      topicOf("🧪 Hoaks"),
      topicOf("🏛 Netralitas ASN"),
      topicOf("📌 Pelanggaran lainnya"),
      topicOf("💸 Politik uang"),
    ]);
    for (const card of cards) expect(card.has_protected_content).toBe(true);
  });

  it("shows the ticket on the card, citizens' text escaped, the reporter only as a pseudonym", () => {
    const card = cardIn(t.api, codes[0]!)!;
    expect(card.text).toContain("💸 Politik uang");
    expect(card.text).toContain("Status: 🆕 Baru");
    expect(card.text).toContain("Petugas: — (belum diambil)");
    expect(card.text).toMatch(/Batas tindak lanjut: .* \(sisa \d+ hari( \d+ jam)?\)/);
    expect(card.text).toContain("Dasar batas waktu: 7 hari kerja");
    expect(card.text).toContain("Tebet, Kota Jakarta Selatan, DKI Jakarta");
    expect(card.text).toContain("Uang tunai");
    expect(card.text).toContain("Tim sukses caleg nomor 3");
    // The hostile chronology arrives as the reporter typed it: no bold, no link, nothing forged.
    expect(card.text).toContain(HOSTILE);
    expect(card.entities?.some((entity) => entity.type === "text_link")).toBe(false);
    expect(card.text).toMatch(/Pelapor: Pelapor #[2-9A-HJKMNP-Z]{4} · informasi awal anonim/);
    for (const secret of ["Rina", "Wulandari", "rina_w", String(rina.id)])
      expect(card.text).not.toContain(secret);
    expect(buttonData(card)).toEqual([`tkt:cl:${codes[0]}`, `tkt:rj:${codes[0]}`, `tkt:fm:${codes[0]}`]);
  });

  it("gives every report its own pseudonym, even two of one reporter, and shows the buttons each ticket needs", () => {
    const pseudonym = (code: string) => cardIn(t.api, code)!.text!.match(/Pelapor #(\w+)/)![1];
    // codes[0] (anonymous) and codes[2] (identified) are Rina's: her tip cannot be matched to her formal report.
    expect(pseudonym(codes[2]!)).not.toBe(pseudonym(codes[0]!));
    expect(pseudonym(codes[1]!)).not.toBe(pseudonym(codes[0]!));
    expect(buttonData(cardIn(t.api, codes[1]!))).toContain(`tkt:ev:${codes[1]}`);
    const identified = cardIn(t.api, codes[2]!)!;
    expect(identified.text).toContain("beridentitas (laporan resmi)");
    expect(identified.text).not.toContain("6281234567890");
    expect(buttonData(identified)).toContain(`tkt:ct:${codes[2]}`);
    const pinned = cardIn(t.api, codes[3]!)!;
    expect(pinned.text).toContain("titik -6.22600, 106.84600");
    expect(buttonData(pinned)).toContain(`tkt:pn:${codes[3]}`);
  });

  it("posts the evidence on demand under the card: the album kept together, links escaped, no file names", async () => {
    const { user } = officer(t.api, 8201, "Sari");
    const card = cardIn(t.api, codes[1]!)!;
    const mark = t.api.mark();
    const answer = await press(t.api, user, `tkt:ev:${codes[1]}`, card);
    expect(answer.params.text).toContain("Mengirim 4 bukti");
    const links = await t.api.waitForCall("sendMessage", (p) => String(p.text).includes("Tautan"), {
      after: mark,
      timeoutMs: 10_000,
    });
    const album = t.api.callsTo("sendMediaGroup", { after: mark });
    expect(album).toHaveLength(1);
    expect(
      (album[0]!.params.media as Array<{ media: string; caption?: string }>).map((m) => m.media),
    ).toEqual(["photo-a", "photo-b"]);
    expect(album[0]!.messages[0]!.caption).toBe("<i>amplop</i>");
    // An anonymous report's document is uploaded again under a neutral name: the reporter's file name never shows.
    const documents = t.api.callsTo("sendDocument", { after: mark });
    expect(documents.map((call) => (call.params.document as { filename?: string }).filename)).toEqual([
      `bukti-${codes[1]}-3.pdf`,
    ]);
    expect(JSON.stringify(documents)).not.toContain("Joko");
    expect(links.messages[0]!.text).toContain("https://example.org/hoaks?a=1&b=2");
    for (const call of [...album, ...documents, links]) {
      expect(call.params.message_thread_id).toBe(card.message_thread_id);
      expect((call.params.reply_parameters as { message_id: number }).message_id).toBe(card.message_id);
      expect(call.params.protect_content).toBe(true);
    }
  });

  it("shows the map pin and the full chronology on demand", async () => {
    const { user } = officer(t.api, 8202, "Dewi");
    const pinned = cardIn(t.api, codes[3]!)!;
    const mark = t.api.mark();
    await press(t.api, user, `tkt:pn:${codes[3]}`, pinned);
    const [location] = t.api.callsTo("sendLocation", { after: mark });
    // An anonymous report's pin is kept and shown rounded to about 100 m.
    expect(location?.messages[0]?.location).toEqual({ latitude: -6.226, longitude: 106.846 });
    expect(location?.params.message_thread_id).toBe(pinned.message_thread_id);

    const long = cardIn(t.api, codes[0]!)!;
    await press(t.api, user, `tkt:mo:${codes[0]}`, long);
    const full = await waitForText(t.api, STAFF_CHAT_ID, `Kronologi ${codes[0]}`, mark);
    expect(full.text).toContain(HOSTILE);
  });
});
