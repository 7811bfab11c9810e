import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealWitnesses } from "../../domain/witness/witnesses.ts";
import { UserChat } from "../support/conversation.ts";
import { pdfText } from "../support/pdf-text.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";
import { buttonData, cipher, officer, press, seedWhileStopped, waitForCard } from "./triage-support.ts";

describe("the ready-to-file report form", { timeout: 180_000 }, () => {
  let t: TestBot;
  let identifiedCode: string;
  let anonymousCode: string;
  const rina = makeUser(8801, { firstName: "Rina", languageCode: "id" });
  const joko = makeUser(8802, { firstName: "Joko", languageCode: "id" });

  beforeAll(async () => {
    t = await TestBot.start({ FLOOD_LIMIT: "1000/10" });
    [identifiedCode, anonymousCode] = (await seedWhileStopped(t, [
      {
        category: "MONEY_POLITICS",
        reporter: rina,
        identified: { name: "Rina Wulandari", phone: "+6281234567890" },
        details: { mp_given: ["CASH"], mp_giver: "Tim sukses caleg nomor 3 berompi oranye" },
        chronology:
          "Pukul tujuh pagi tim sukses membagikan amplop berisi uang 50 ribu kepada warga di TPS 12.",
        evidence: [
          { kind: "DOCUMENT", fileId: "form-doc", fileUniqueId: "form-u1", fileName: "video-tps12.mp4" },
        ],
      },
      {
        category: "HOAX",
        reporter: joko,
        details: {
          hx_platforms: ["WHATSAPP"],
          hx_falsehood: "Pesan berantai menyebut TPS dipindah ke balai desa",
        },
        evidence: [
          { kind: "DOCUMENT", fileId: "form-doc2", fileUniqueId: "form-u2", fileName: "joko-santoso.jpg" },
        ],
      },
    ])) as [string, string];
    await t.query((db) =>
      db.report.update({
        where: { code: identifiedCode },
        data: {
          witnessesEnc: sealWitnesses(cipher, [
            { name: "Sulastri", contact: "Warung depan TPS 12" },
            { name: "Pak Darto" },
          ]),
        },
      }),
    );
    await waitForCard(t.api, identifiedCode);
    await waitForCard(t.api, anonymousCode);
  }, 150_000);
  afterAll(() => t?.stop());

  const documentTo = async (chatId: number, after: number) => {
    const call = await t.api.waitForCall("sendDocument", (p) => p.chat_id === chatId, {
      after,
      timeoutMs: 30_000,
    });
    const file = call.files[0]!;
    expect(file.filename).toMatch(/^formulir-laporan-.*\.pdf$/);
    return { call, text: await pdfText(file.data) };
  };

  it("an administrator gets the filled-in form privately, with every section and the ticket's values", async () => {
    const admin = officer(t.api, 8890, "Wati", "admin");
    const card = await waitForCard(t.api, identifiedCode);
    const mark = t.api.mark();
    const answer = await press(
      t.api,
      admin.user,
      buttonData(card).find((data) => data.startsWith("tkt:fm:"))!,
      card,
    );
    expect(String(answer.params.text)).toContain("chat pribadi");
    const { text } = await documentTo(admin.user.id, mark);
    for (const section of [
      "I. Identitas pelapor",
      "II. Identitas terlapor",
      "III. Peristiwa yang dilaporkan",
      "IV. Saksi-saksi",
      "V. Bukti",
      "VI. Uraian singkat kejadian",
    ])
      expect(text).toContain(section);
    expect(text).toContain("Model B.1");
    expect(text).toContain("Rina Wulandari");
    expect(text).toContain("+6281234567890");
    expect(text).toContain("Tim sukses caleg nomor 3 berompi oranye");
    expect(text).toContain("Sulastri");
    expect(text).toContain("Warung depan TPS 12");
    expect(text).toContain("Pak Darto");
    expect(text).toContain("video-tps12.mp4");
    expect(text).toContain("Tebet");
    expect(text).toContain(identifiedCode);
    expect(text).toMatch(/Batas waktu melapor resmi\s*:\s*(sisa \d+ hari|sudah lewat)/);
    expect(text.replace(/\s+/g, " ")).toContain("amplop berisi uang 50 ribu");
    const events = await t.query((db) =>
      db.reportEvent.findMany({ where: { report: { code: identifiedCode }, type: "FORM_ISSUED" } }),
    );
    expect(events).toHaveLength(1);
  });

  it("an officer who is not an admin is refused", async () => {
    const member = officer(t.api, 8891, "Budi");
    const card = await waitForCard(t.api, identifiedCode);
    const answer = await press(
      t.api,
      member.user,
      buttonData(card).find((data) => data.startsWith("tkt:fm:"))!,
      card,
    );
    expect(String(answer.params.text)).toContain("Hanya admin");
  });

  it("an anonymous ticket's form names nobody and leaves out file names", async () => {
    const admin = officer(t.api, 8890, "Wati", "admin");
    const card = await waitForCard(t.api, anonymousCode);
    const mark = t.api.mark();
    await press(t.api, admin.user, buttonData(card).find((data) => data.startsWith("tkt:fm:"))!, card);
    const { text } = await documentTo(admin.user.id, mark);
    expect(text).toContain("Informasi awal anonim, bukan laporan resmi");
    expect(text).not.toContain("Joko");
    expect(text).not.toContain("joko-santoso.jpg");
    expect(text).not.toContain(String(joko.id));
  });

  it("/formulir KODE gives the reporter their own form; others' and anonymous codes are refused", async () => {
    const chat = new UserChat(t.api, rina, { quietMs: 400 });
    const mark = t.api.mark();
    await chat.send(`/formulir ${identifiedCode}`);
    const { text } = await documentTo(rina.id, mark);
    expect(text).toContain("Rina Wulandari");
    const stranger = new UserChat(t.api, joko, { quietMs: 400 });
    const refused = await stranger.send(`/formulir ${identifiedCode}`);
    expect(refused.map((reply) => reply.text).join("")).toContain(
      `Tidak ada laporan resmi ${identifiedCode}`,
    );
    const anonymous = await stranger.send(`/formulir ${anonymousCode}`);
    expect(anonymous.map((reply) => reply.text).join("")).toContain("informasi anonim");
    const usage = await stranger.send("/formulir");
    expect(usage.map((reply) => reply.text).join("")).toContain("/formulir PU-7K3Q9M");
  });
});
