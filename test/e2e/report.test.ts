import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import { DETAILS_SCHEMAS } from "../../domain/report/categories.ts";
import { openWitnesses } from "../../domain/witness/witnesses.ts";
import { type BotReply, UserChat } from "../support/conversation.ts";
import { TEST_DATA_KEY, TestBot } from "../support/test-bot.ts";
import {
  callbackQuery,
  contactMessage,
  locationMessage,
  makeUser,
  voiceMessage,
} from "../support/updates.ts";

const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;
const texts = (replies: BotReply[]) => replies.map((reply) => reply.text ?? "").join("\n");
const codeIn = (replies: BotReply[]) => texts(replies).match(CODE)?.[0];

/** Presses Submit and waits for the message that carries the ticket code (it may follow the button's answer). */
async function submit(
  t: TestBot,
  chat: UserChat,
  label: string,
): Promise<{ code?: string; replies: BotReply[] }> {
  const mark = t.api.mark();
  const replies = await chat.press(label);
  const found = codeIn(replies);
  if (found || texts(replies).match(/batas|limit/i)) return { code: found, replies };
  const call = await t.api.waitForCall("sendMessage", (params) => CODE.test(String(params.text)), {
    after: mark,
    timeoutMs: 15_000,
  });
  return { code: String(call.params.text).match(CODE)?.[0], replies };
}

/** The common tail of every report: when, where (region picker), chronology, evidence. */
async function answerWhenWhere(chat: UserChat, options: { english?: boolean } = {}): Promise<void> {
  await chat.press(options.english ? "Today" : "Hari ini");
  await chat.press(options.english ? "The same day it happened" : "Hari yang sama dengan kejadian");
}

// The embedded database is single-process: reading it stops and restarts the bot, which takes a while.
describe("citizen reporting", { timeout: 180_000 }, () => {
  let t: TestBot;
  beforeAll(async () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
    t = await TestBot.start({ REPORTS_PER_DAY: "3", FLOOD_LIMIT: "1000/10", VOTING_DAYS: today });
  });
  afterAll(() => t?.stop());

  it("walks money politics to a ticket in Indonesian: region picker, album, edit from the review", async () => {
    const chat = new UserChat(t.api, makeUser(7001, { firstName: "Rina", languageCode: "id" }));
    await chat.send("/start");
    const started = await chat.press("📝 Lapor");
    expect(texts(started)).toContain("Apa yang ingin Anda laporkan?");
    const given = await chat.press("💸 Politik uang");
    expect(texts(given)).toContain("jangan menegur"); // the safety tip where it matters
    await chat.press("Uang tunai");
    await chat.press("Sembako/barang");
    const value = await chat.press("✔️ Selesai memilih");
    expect(texts(value)).toContain("perkiraan nilainya");
    await chat.send("50rb");
    await chat.send("Tim sukses caleg nomor 3, pakai rompi oranye");
    await chat.press("⏭ Lewati");
    await chat.send("sekitar 20");
    await answerWhenWhere(chat);
    await chat.send("tebet");
    expect(chat.lastKeyboard()?.labels).toContain("Tebet, Kota Jakarta Selatan, DKI Jakarta");
    await chat.press(/^Tebet, Kota Jakarta Selatan/);
    await chat.send("TPS 12, RT 03/RW 05");
    await chat.send("Pukul 07.00 tim sukses membagikan amplop berisi uang 50 ribu kepada warga yang antre.");
    const album = await chat.sendAlbum(3);
    expect(album.filter((reply) => reply.method === "sendMessage")).toHaveLength(1); // one acknowledgement
    expect(texts(album)).toMatch(/Album diterima: 3 berkas|Album diterima: 1 berkas/);
    await chat.sendDocument();
    await chat.send("https://example.org/video-pembagian");
    await chat.press("✅ Selesai kirim bukti");
    const review = await chat.press("🕶 Anonim (informasi awal)");
    expect(texts(review)).toContain("Periksa laporan Anda");
    expect(texts(review)).toContain("Rp 50.000");
    expect(texts(review)).toContain("Tebet, Kota Jakarta Selatan");
    expect(texts(review)).toContain("Mendesak"); // it happened on a voting day

    await chat.press("✏️ Kronologi");
    const backToReview = await chat.send(
      "Jam tujuh pagi tim sukses membagikan amplop berisi uang lima puluh ribu.",
    );
    expect(texts(backToReview)).toContain("Periksa laporan Anda");
    expect(texts(backToReview)).toContain("Jam tujuh pagi");

    const { code } = await submit(t, chat, "📨 Kirim laporan");
    expect(code).toMatch(/^PU-/);

    const { stored, outbox } = await t.query(async (db) => ({
      stored: await db.report.findUnique({
        where: { code: code! },
        include: { evidence: true, events: true },
      }),
      outbox: await db.outboxMessage.findMany({ where: { kind: "staff.newReport" } }),
    }));
    expect(stored).toMatchObject({
      category: "MONEY_POLITICS",
      status: "NEW",
      anonymous: true,
      districtCode: "31.74.01",
    });
    expect(DETAILS_SCHEMAS.MONEY_POLITICS.parse(stored!.details)).toMatchObject({
      mp_given: ["CASH", "GOODS"],
      mp_value: 50_000,
      mp_recipients: 20,
    });
    expect(stored!.evidence.map((item) => item.kind)).toEqual([
      "PHOTO",
      "PHOTO",
      "PHOTO",
      "DOCUMENT",
      "LINK",
    ]);
    expect(stored!.events.map((event) => event.type)).toContain("CREATED");
    expect(outbox.some((row) => (row.payload as { reportId: string }).reportId === stored!.id)).toBe(true);
  });

  it("walks a hoax to a ticket in English with the location button and links", async () => {
    const chat = new UserChat(t.api, makeUser(7002, { firstName: "Ann", languageCode: "en" }));
    await chat.send("/report");
    await chat.press("🧪 Hoax");
    await chat.press("WhatsApp");
    await chat.press("✔️ Done choosing");
    await chat.send("https://facebook.com/post/123 tiktok.com/@x/video/9");
    await chat.send("It claims the ballot papers are already marked, which is false.");
    await chat.press("Today");
    const where = await chat.press("The same day it happened");
    // What a pin reveals, and the safer way, is said before the button is pressed.
    expect(texts(where)).toContain("A location pin shows where your phone is");
    expect(texts(where)).toContain("pick the region from the list");
    expect(
      chat
        .replyKeyboard()
        ?.rows.flat()
        .some((button) => button.requestLocation),
    ).toBe(true);
    const located = await chat.sendLocation(-6.229712, 106.853149);
    expect(texts(located)).toContain("Received");
    expect(chat.replyKeyboard()).toBeUndefined();
    await chat.press("⏭ Skip");
    const evidenceStep = await chat.send(
      "A broadcast message on WhatsApp says ballots in our village are pre-marked for a candidate.",
    );
    expect(texts(evidenceStep)).toContain("device model and serial number, and its original file name");
    expect(texts(evidenceStep)).toContain("send photos/videos as an ordinary photo");
    await chat.sendPhoto({ caption: "screenshot" });
    await chat.sendDocument({ fileName: "Laporan_Budi_Santoso_Desa_Sukamaju.pdf" });
    await chat.press("✅ Done sending evidence");
    const review = await chat.press("🕶 Anonymous (a tip)");
    expect(texts(review)).toContain("Check your report");
    expect(texts(review)).toContain("-6.23000, 106.85300");
    expect(texts(review)).toContain("stored rounded to about 100 m");
    // The choice is the reporter's: share the exact point, then change their mind again.
    expect(texts(await chat.press("🎯 Share the exact point"))).toContain("-6.22971, 106.85315");
    expect(texts(await chat.press("📍 Round to about 100 m"))).toContain("-6.23000, 106.85300");
    const { code } = await submit(t, chat, "📨 Send report");
    expect(code).toMatch(/^HK-/);
    const stored = await t.query((db) =>
      db.report.findUniqueOrThrow({ where: { code: code! }, include: { evidence: true } }),
    );
    expect([stored.latitude, stored.longitude]).toEqual([-6.23, 106.853]);
    expect(stored.evidence.map((item) => item.fileNameEnc)).toEqual([null, null]);
  });

  it("walks civil-servant neutrality to an identified report with a shared contact", async () => {
    const user = makeUser(7003, { firstName: "Dewi", languageCode: "id" });
    const chat = new UserChat(t.api, user);
    await chat.send("/lapor");
    await chat.press("🏛 Netralitas ASN");
    await chat.press("⏭ Lewati");
    await chat.send("Dinas Pendidikan Kota Bandung");
    await chat.send("Guru");
    await chat.press("Mengunggah konten kampanye");
    await chat.press("✔️ Selesai memilih");
    await chat.press("Instagram"); // the act was on social media: on which platform
    await chat.press("✔️ Selesai memilih");
    await chat.send("instagram.com/p/abc");
    await chat.send("@guru_bandung");
    await chat.send("Pasangan calon nomor 2");
    await answerWhenWhere(chat);
    await chat.send("coblong");
    await chat.press(/^Coblong/);
    await chat.press("⏭ Lewati");
    await chat.send(
      "Seorang guru mengunggah ajakan memilih calon nomor 2 di akun Instagramnya saat jam kerja.",
    );
    await chat.press("✅ Selesai kirim bukti");
    const explained = await chat.press("🪪 Dengan identitas (laporan resmi)");
    expect(texts(explained)).toContain("nama lengkap");
    await chat.send("Dewi Lestari");
    expect(
      chat
        .replyKeyboard()
        ?.rows.flat()
        .some((button) => button.requestContact),
    ).toBe(true);
    const foreign = await chat.sendUpdate(
      contactMessage(user, { phone: "6281111111111", firstName: "Other", userId: 9999 }),
    );
    expect(texts(foreign)).toContain("kontak orang lain");
    const witnessAsked = await chat.sendContact();
    expect(texts(witnessAsked)).toContain("Tulis saksi pertama");
    const tooShort = await chat.send("x");
    expect(texts(tooShort)).toContain("Tulis saksi pertama"); // the same step again, with a hint
    await chat.send("Sulastri, warung depan sekolah");
    const review = await chat.press("⏭ Lewati");
    expect(texts(review)).toContain("Dewi Lestari");
    expect(texts(review)).toContain("Sulastri, warung depan sekolah");
    const { code } = await submit(t, chat, "📨 Kirim laporan");
    expect(code).toMatch(/^AS-/);

    const stored = await t.query((db) => db.report.findUnique({ where: { code: code! } }));
    expect(stored?.anonymous).toBe(false);
    expect(stored?.reporterNameEnc).toBeTruthy();
    expect(stored?.reporterNameEnc).not.toContain("Dewi");
    expect(stored?.witnessesEnc).not.toContain("Sulastri");
    expect(openWitnesses(createDataCipher(TEST_DATA_KEY), stored?.witnessesEnc)).toEqual([
      { name: "Sulastri", contact: "warung depan sekolah" },
    ]);
  });

  it("walks another violation to a ticket, then lists it with /status and opens it by code", async () => {
    const chat = new UserChat(t.api, makeUser(7004, { languageCode: "id" }));
    await chat.send("/lapor");
    await chat.press("📌 Pelanggaran lainnya");
    await chat.send("Kampanye di tempat ibadah");
    await answerWhenWhere(chat);
    await chat.press("Aceh");
    await chat.press("Kabupaten Aceh Selatan");
    await chat.press("Tidak tahu kecamatannya");
    await chat.press("⏭ Lewati");
    await chat.send("Seorang calon berkampanye di masjid setelah salat Jumat dengan membagikan stiker.");
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🕶 Anonim (informasi awal)");
    const code = (await submit(t, chat, "📨 Kirim laporan")).code!;
    expect(code).toMatch(/^LN-/);

    const list = await chat.send("/status");
    expect(texts(list)).toContain(code);
    expect(texts(list)).toContain("Diterima");
    const detail = await chat.send(`/status ${code.toLowerCase()}`);
    expect(texts(detail)).toContain("Kabupaten Aceh Selatan");
    const other = new UserChat(t.api, makeUser(7005, { languageCode: "id" }));
    expect(texts(await other.send(`/status ${code}`))).toContain("tidak ditemukan");
  });

  it("answers every kind of bad input with a hint and the same step, losing nothing", async () => {
    const user = makeUser(7006, { languageCode: "id" });
    const chat = new UserChat(t.api, user);
    await chat.send("/lapor");
    const sticker = await chat.sendSticker();
    expect(texts(sticker)).toContain("Pilih salah satu tombol");
    const location = await chat.sendLocation(-6.2, 106.8);
    expect(texts(location)).toContain("Apa yang ingin Anda laporkan?");
    const typed = await chat.send("2"); // the second option, typed
    expect(texts(typed)).toContain("Di mana hoaks itu tersebar?");
    await chat.press("Facebook");
    await chat.press("✔️ Selesai memilih");
    const badUrl = await chat.send("javascript:alert(1)");
    expect(texts(badUrl)).toContain("Hanya tautan web");
    const photoAtText = await chat.sendPhoto();
    expect(texts(photoAtText)).toContain("Jawab dengan mengetik teks");
    await chat.press("⏭ Lewati");
    const tooShort = await chat.send("bohong");
    expect(texts(tooShort)).toContain("terlalu pendek");
    const tooLong = await chat.send("x ".repeat(700));
    expect(texts(tooLong)).toContain("terlalu panjang");
    await chat.send("Foto surat suara yang sudah dicoblos adalah hasil rekayasa.");
    const voice = await chat.sendUpdate(voiceMessage(user));
    expect(texts(voice)).toContain("Ketik tanggalnya");
    expect(texts(await chat.send("31-02-2024"))).toContain("tidak ada di kalender");
    expect(texts(await chat.send("01-01-2099"))).toContain("belum terjadi");
    expect(texts(await chat.send("kapan-kapan"))).toContain("tidak terbaca");
    const help = await chat.send("/bantuan"); // help in the middle of a report loses nothing
    expect(texts(help)).toContain("Apa yang bisa dilaporkan?");
    expect(texts(await chat.send("/status"))).toContain("belum pernah mengirim laporan");
    const ok = await chat.send("3 hari lalu");
    expect(texts(ok)).toContain("Kapan Anda mengetahuinya?");

    // A button from an earlier question is answered and the current question asked again.
    const categoryMessage = t.api
      .botMessages(user.id)
      .find((m) => m.text?.includes("Apa yang ingin Anda laporkan?"))!;
    const old = await chat
      .press("💸 Politik uang", { message: categoryMessage })
      .catch((error: Error) => error);
    if (!(old instanceof Error)) expect(texts(old)).toContain("Kapan Anda mengetahuinya?");

    // Nothing was lost: the review shows every answer given.
    await chat.press("Hari yang sama dengan kejadian");
    await chat.send("bogor");
    await chat.press(/^Kabupaten Bogor/);
    await chat.press("Tidak tahu kecamatannya");
    await chat.press("⏭ Lewati");
    await chat.send("Pesan berantai menyebar di grup warga tentang surat suara yang sudah dicoblos.");
    expect(texts(await chat.sendSticker())).toContain("Stiker tidak bisa dijadikan bukti");
    await chat.press("✅ Selesai kirim bukti");
    const review = await chat.press("🕶 Anonim (informasi awal)");
    expect(texts(review)).toContain("Facebook");
    expect(texts(review)).toContain("rekayasa");
  });

  it("keeps the draft across a restart and makes one ticket when Submit is pressed twice", async () => {
    const user = makeUser(7007, { languageCode: "id" });
    const chat = new UserChat(t.api, user);
    await chat.send("/lapor");
    await chat.press("📌 Pelanggaran lainnya");
    await chat.send("Baliho di sekolah dasar");

    await t.restart();

    // A freshly started process is slower on its first updates: wait longer for each reply to be complete.
    const resumed = await chat.send("/lapor", { quietMs: 1000 });
    expect(texts(resumed)).toContain("belum selesai");
    const step = await chat.press("▶️ Lanjutkan laporan", { quietMs: 1000 });
    expect(texts(step)).toContain("Kapan kejadiannya?");
    await answerWhenWhere(chat);
    await chat.sendUpdate(locationMessage(user, -6.9, 107.6));
    await chat.press("⏭ Lewati");
    await chat.send("Baliho calon dipasang di pagar sekolah dasar negeri sejak minggu lalu.");
    await chat.press("✅ Selesai kirim bukti");
    await chat.press("🕶 Anonim (informasi awal)");
    const review = t.api.botMessages(user.id).at(-1)!;
    // Two taps on Submit arrive before the first is handled.
    const submit = chat
      .lastKeyboard()
      ?.rows.flat()
      .find((button) => button.text === "📨 Kirim laporan")?.data;
    const mark = t.api.mark();
    t.api.pushUpdate(callbackQuery(user, submit!, review));
    t.api.pushUpdate(callbackQuery(user, submit!, review));
    const answers = await t.api.waitForCalls("answerCallbackQuery", 2, undefined, { after: mark });
    const submitted = await t.api.waitForCall("sendMessage", (params) => CODE.test(String(params.text)), {
      after: mark,
    });
    const code = String(submitted.params.text).match(CODE)![0];
    expect(answers.map((call) => call.params.text).join(" ")).toContain(code); // the second tap names the ticket
    const count = await t.query((db) =>
      db.report.count({ where: { chronology: { startsWith: "Baliho calon dipasang" } } }),
    );
    expect(count).toBe(1);
  });

  it("stops at the daily cap with a polite message and keeps the draft", async () => {
    const chat = new UserChat(t.api, makeUser(7008, { languageCode: "en" }));
    const quickReport = async () => {
      await chat.send("/report");
      await chat.press("📌 Another violation");
      await chat.send("Posters on a school fence");
      await answerWhenWhere(chat, { english: true });
      await chat.sendLocation(-6.9, 107.6);
      await chat.press("⏭ Skip");
      await chat.send("Campaign posters were put on the fence of the public primary school last week.");
      await chat.press("✅ Done sending evidence");
      await chat.press("🕶 Anonymous (a tip)");
      return submit(t, chat, "📨 Send report");
    };
    for (let i = 0; i < 3; i++) expect((await quickReport()).code).toBeDefined();
    const capped = await quickReport();
    expect(texts(capped.replies)).toContain("limit of 3 reports a day");
    const stillThere = await chat.send("/report");
    expect(texts(stillThere)).toContain("unfinished report");
  });

  it("cancels a draft with /batal after confirmation", async () => {
    const chat = new UserChat(t.api, makeUser(7009, { languageCode: "id" }));
    await chat.send("/lapor");
    await chat.press("💸 Politik uang");
    const ask = await chat.send("/batal");
    expect(texts(ask)).toContain("Batalkan laporan ini?");
    const done = await chat.press("Ya, batalkan");
    expect(texts(done)).toContain("Laporan dibatalkan");
    expect(texts(await chat.send("/batal"))).toContain("Tidak ada laporan");
  });
});
