import type { Chat, Message, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBot } from "../support/test-bot.ts";
import {
  callbackQuery,
  groupTextMessage,
  makeUser,
  photoMessage,
  privateChatOf,
} from "../support/updates.ts";
import {
  buttonData,
  cardIn,
  officer,
  press as pressOn,
  STAFF_CHAT_ID,
  say as sayOn,
  seedWhileStopped,
  staffGroup,
  waitForCard,
  waitForText,
} from "./triage-support.ts";

const HOUR = 3_600_000;

describe("officers' triage in the staff group", () => {
  let t: TestBot;
  const ani = makeUser(9101, {
    firstName: "Ani",
    lastName: "Saksi",
    username: "ani_saksi",
    languageCode: "en",
  });
  const budiman = makeUser(9102, { firstName: "Budiman", username: "budiman", languageCode: "id" });
  let code: Record<string, string>;
  let sari: User;
  let tono: User;
  let admin: User;

  beforeAll(async () => {
    t = await TestBot.start({ STAFF_RATE: "20/2", QUEUE_SUMMARY_THRESHOLD: "50" });
    const names = ["race", "flow", "reject", "duplicate", "relay", "contact", "forged", "old", "overdue"];
    const codes = await seedWhileStopped(t, [
      { category: "MONEY_POLITICS", reporter: budiman },
      { category: "HOAX", reporter: ani },
      {
        category: "ASN_NEUTRALITY",
        reporter: budiman,
        chronology: "Kepala dinas mengunggah dukungan untuk calon bupati di Facebook kantor.",
      },
      { category: "MONEY_POLITICS", reporter: budiman },
      { category: "OTHER", reporter: ani },
      {
        category: "ASN_NEUTRALITY",
        reporter: ani,
        identified: { name: "Ani Saksi", phone: "+6281211112222" },
      },
      { category: "OTHER", reporter: budiman },
      { category: "HOAX", reporter: budiman, createdAgoMs: 2 * HOUR },
      // Past its legal deadline whatever today's weekday (7 working days never span 20 calendar days).
      { category: "OTHER", reporter: budiman, createdAgoMs: 20 * 24 * HOUR },
    ]);
    code = Object.fromEntries(names.map((name, i) => [name, codes[i]!]));
    for (const c of codes) await waitForCard(t.api, c);
    sari = officer(t.api, 9201, "Sari").user;
    tono = officer(t.api, 9202, "Tono").user;
    admin = officer(t.api, 9203, "Admin Rudi", "admin").user;
  }, 120_000);
  afterAll(() => t?.stop());

  const card = (name: string) => cardIn(t.api, code[name]!)!;
  /** Presses a card button as `user`; resolves with the alert or toast text the bot answered. */
  const press = async (user: User, data: string, message: Message = card(nameOf(data))) =>
    (await pressOn(t.api, user, data, message)).params as { text?: string; show_alert?: boolean };
  const nameOf = (data: string) => Object.keys(code).find((name) => data.endsWith(code[name]!))!;
  /** Says something in the staff group (or, with `chat`, elsewhere) and waits for the bot's message. */
  const say = (
    user: User,
    text: string,
    expect: string,
    options: Message | { chat: Chat.PrivateChat; replyTo?: Message } = {} as never,
  ) => sayOn(t.api, user, text, expect, "message_id" in options ? { replyTo: options } : options);
  const noticeTo = (chatId: number, ticket: string, text: string) =>
    t.api.waitForCall(
      "sendMessage",
      (p) => p.chat_id === chatId && String(p.text).includes(ticket) && String(p.text).includes(text),
      // Every status change is told now, one message a second per chat: a busy test queues several.
      { timeoutMs: 30_000 },
    );

  it("lets exactly one of two officers who press Claim at once win, and names the winner to the other", async () => {
    const shown = card("race");
    const mark = t.api.mark();
    const first = t.api.pushUpdate(callbackQuery(sari, `tkt:cl:${code.race}`, shown));
    const second = t.api.pushUpdate(callbackQuery(tono, `tkt:cl:${code.race}`, shown));
    const ids = [first.callback_query!.id, second.callback_query!.id];
    const answers = await t.api.waitForCalls(
      "answerCallbackQuery",
      2,
      (p) => ids.includes(String(p.callback_query_id)),
      { after: mark, timeoutMs: 10_000 },
    );
    const won = answers.filter((a) => a.params.text === "✋ Tiket ini sekarang milik Anda.");
    const lost = answers.filter((a) => String(a.params.text).startsWith("Tiket ini sudah diambil"));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]!.params.callback_query_id === ids[0] ? "Sari" : "Tono";
    expect(lost[0]!.params.text).toBe(`Tiket ini sudah diambil ${winner}.`);
    expect(lost[0]!.params.show_alert).toBe(true);
    expect(card("race").text).toContain(`Petugas: ${winner}`);
    expect(card("race").text).toContain("Status: 🔎 Ditelaah");
    const history = await say(sari, `/tiket ${code.race}`, "Riwayat");
    expect(history.text!.match(/· diambil ·/g)).toHaveLength(1);
  });

  it("walks a ticket through every transition, telling the reporter in their language each time", async () => {
    const flow = code.flow!;
    expect((await press(sari, `tkt:cl:${flow}`)).text).toBe("✋ Tiket ini sekarang milik Anda.");
    expect(buttonData(card("flow"))).toEqual([
      `tkt:rl:${flow}`,
      `tkt:ak:${flow}`,
      `tkt:vf:${flow}`,
      `tkt:rj:${flow}`,
      `tkt:fm:${flow}`,
    ]);
    await noticeTo(ani.id, flow, "is being reviewed by the duty officers");

    await press(sari, `tkt:rl:${flow}`);
    expect(card("flow").text).toContain("Status: 🆕 Baru");
    expect(card("flow").text).toContain("Terakhir: dilepas · Sari");
    await press(tono, `tkt:cl:${flow}`);
    expect(card("flow").text).toContain("Petugas: Tono");

    const notHolder = await press(sari, `tkt:vf:${flow}`);
    expect(notHolder).toMatchObject({
      text: "Hanya Tono, yang memegang tiket ini, atau admin grup yang bisa melakukannya.",
      show_alert: true,
    });
    expect(card("flow").text).toContain("Status: 🔎 Ditelaah");

    await press(tono, `tkt:vf:${flow}`);
    expect(card("flow").text).toContain("Status: ✔️ Terverifikasi");
    await noticeTo(ani.id, flow, "was verified");

    await press(tono, `tkt:fw:${flow}`);
    expect(
      card("flow")
        .reply_markup?.inline_keyboard.flat()
        .map((b) => b.text),
    ).toEqual(["Gakkumdu", "KASN / BKN", "Proses laporan resmi", "⬅️ Kembali"]);
    await press(tono, `tkt:fd:G:${flow}`);
    expect(card("flow").text).toContain("Diteruskan ke: Gakkumdu");
    await noticeTo(ani.id, flow, "was forwarded to Gakkumdu (Bawaslu, police and prosecutors together)");

    await press(tono, `tkt:cs:${flow}`);
    expect(card("flow").text).toContain("Status: ✅ Selesai");
    await noticeTo(ani.id, flow, "Handling of your report");

    expect((await press(tono, `tkt:ro:${flow}`)).text).toBe("Hanya admin grup yang bisa melakukannya.");
    const reopened = t.api.mark();
    await press(admin, `tkt:ro:${flow}`);
    expect(card("flow").text).toContain("Status: 🔎 Ditelaah");
    expect(card("flow").text).toContain("Petugas: Tono");
    expect(card("flow").text).toContain("Terakhir: dibuka kembali · Admin Rudi");
    await t.api.waitForCall(
      "sendMessage",
      (p) => p.chat_id === ani.id && String(p.text).includes("is being reviewed"),
      {
        after: reopened,
      },
    );

    // A verified violation can also be settled without handing it over.
    await press(tono, `tkt:vf:${flow}`);
    await press(tono, `tkt:cs:${flow}`);
    expect(card("flow").text).toContain("Status: ✅ Selesai");
  });

  it("reopens a rejected ticket, and rejects from VERIFIED and from NEEDS_INFO", async () => {
    const other = code.forged!;
    await press(sari, `tkt:cl:${other}`);
    await press(sari, `tkt:vf:${other}`);
    await press(admin, `tkt:rr:S:${other}`);
    expect(card("forged").text).toContain("Ditolak: Spam");
    await press(admin, `tkt:ro:${other}`);
    expect(card("forged").text).toContain("Status: 🔎 Ditelaah");
    expect(card("forged").text).not.toContain("Ditolak:");
    await press(sari, `tkt:ak:${other}`);
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, `tentang ${other}`);
    await say(sari, "Apakah ada saksi lain?", "Pertanyaan sedang dikirim", prompt);
    expect(card("forged").text).toContain("Status: ❓ Menunggu pelapor");
    await press(admin, `tkt:rr:N:${other}`);
    expect(card("forged").text).toContain("Ditolak: Bukan pelanggaran");
    await press(admin, `tkt:ro:${other}`);
    await press(sari, `tkt:rl:${other}`);
    expect(card("forged").text).toContain("Status: 🆕 Baru");
  });

  it("refuses an action that is not valid in the ticket's status, even from a forged button", async () => {
    const before = card("forged").text;
    expect(await press(sari, `tkt:vf:${code.forged}`)).toMatchObject({
      text: "Tidak bisa selagi tiket berstatus 🆕 Baru.",
      show_alert: true,
    });
    expect(await press(sari, `tkt:cs:${code.forged}`)).toMatchObject({
      text: "Tidak bisa selagi tiket berstatus 🆕 Baru.",
    });
    expect(card("forged").text).toBe(before);
  });

  it("lets only an administrator reject, with the reason told to the reporter in plain words", async () => {
    const reject = code.reject!;
    await press(sari, `tkt:cl:${reject}`);
    expect((await press(sari, `tkt:rj:${reject}`)).text).toBe("Hanya admin grup yang bisa melakukannya.");
    expect((await press(sari, `tkt:rr:S:${reject}`)).text).toBe("Hanya admin grup yang bisa melakukannya.");
    await press(admin, `tkt:rj:${reject}`);
    expect(
      card("reject")
        .reply_markup?.inline_keyboard.flat()
        .map((b) => b.text),
    ).toContain("Bukti tidak cukup");
    await press(admin, `tkt:rr:I:${reject}`);
    expect(card("reject").text).toContain("Status: ✖️ Ditolak");
    expect(card("reject").text).toContain("Ditolak: Bukti tidak cukup");
    expect(buttonData(card("reject"))).toEqual([`tkt:ro:${reject}`]);
    const notice = await noticeTo(budiman.id, reject, "tidak dapat ditindaklanjuti");
    expect(notice.messages[0]!.text).toContain("buktinya belum cukup untuk ditindaklanjuti");

    const duplicate = code.duplicate!;
    await press(admin, `tkt:rj:${duplicate}`);
    await press(admin, `tkt:rr:D:${duplicate}`);
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, `kode tiket yang diduplikasi ${duplicate}`);
    await say(admin, "bukan kode", "bukan kode tiket yang ada", prompt);
    await say(
      admin,
      code.race!.toLowerCase(),
      `${duplicate} ditolak sebagai duplikat dari ${code.race}`,
      prompt,
    );
    expect(card("duplicate").text).toContain(`Ditolak: Duplikat (duplikat dari ${code.race})`);
    await noticeTo(budiman.id, duplicate, `sudah dilaporkan (tiket ${code.race})`);
  });

  it("relays a question to the reporter and their photo answer back under the card, without identities", async () => {
    const relay = code.relay!;
    await press(sari, `tkt:cl:${relay}`);
    expect((await press(sari, `tkt:ak:${relay}`)).text).toBe(
      "Tulis pertanyaan Anda sebagai balasan pesan di bawah.",
    );
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, `tentang ${relay}`);
    expect(prompt.text).toMatch(/^✍️ Sari, balas pesan ini dengan pertanyaan Anda untuk Pelapor #\w+ tentang/);
    // Officers keep talking among themselves: only a reply to the prompt is the question; a plain message or an
    // ordinary reply to the card, even by the asking officer while the prompt is open, never reaches the reporter.
    t.api.pushUpdate(groupTextMessage(sari, staffGroup, "Sebentar, saya cek dulu datanya."));
    t.api.pushUpdate(
      groupTextMessage(sari, staffGroup, "Catatan internal: mungkin tetangganya.", {
        replyTo: card("relay"),
      }),
    );
    await say(sari, "Jam berapa kejadiannya, dan ada foto amplopnya?", "Pertanyaan sedang dikirim", prompt);
    expect(card("relay").text).toContain("Status: ❓ Menunggu pelapor");

    const question = (await noticeTo(ani.id, relay, "Question from the officers")).messages[0]!;
    expect(question.text).toContain("The officers need more information about your report");
    expect(question.text).toContain("Jam berapa kejadiannya, dan ada foto amplopnya?");
    expect(question.text).not.toContain("Sari");
    expect(question.text).not.toContain("saya cek dulu");
    expect(question.text).not.toContain("Catatan internal");

    await pressOn(t.api, ani, `ans:${relay}`, question);
    await waitForText(t.api, ani.id, `Write your answer about ${relay}`);
    const mark = t.api.mark();
    t.api.pushUpdate(
      photoMessage(ani, { chat: privateChatOf(ani), caption: "Jam 7 pagi, <b>ini</b> fotonya" }),
    );
    await waitForText(t.api, ani.id, "Sent to the officers", mark);
    const posted = await waitForText(t.api, STAFF_CHAT_ID, "Jam 7 pagi", mark);
    const copied = t.api
      .callsTo("copyMessage", { after: mark })
      .find((call) => call.params.chat_id === STAFF_CHAT_ID)!;
    expect(copied.params.from_chat_id).toBe(ani.id);
    expect(copied.params.protect_content).toBe(true);
    expect((copied.params.reply_parameters as { message_id: number }).message_id).toBe(
      card("relay").message_id,
    );
    expect(posted.photo).toBeDefined();
    expect(posted.caption).toMatch(
      new RegExp(`^💬 Pelapor #\\w+ menjawab tentang ${relay}:\\n\\nJam 7 pagi, <b>ini</b> fotonya$`),
    );
    expect(posted.forward_origin).toBeUndefined();
    expect(card("relay").text).toContain("Status: 🔎 Ditelaah");
    expect(card("relay").text).toContain("Terakhir: pelapor menjawab");

    // Telegram's own reply to the question works too, and so does plain text.
    await say(ani, "Pelakunya pakai rompi oranye.", "Sent to the officers", {
      chat: privateChatOf(ani),
      replyTo: question,
    });
    const text = await waitForText(t.api, STAFF_CHAT_ID, "rompi oranye", mark);
    expect(text.text).toMatch(/^💬 Pelapor #\w+ menjawab tentang/);
    await pressOn(t.api, ani, "ans:done", question);
    await waitForText(t.api, ani.id, "Your answer was passed on to the officers");
    await say(ani, "/start", "Hello, Ani", { chat: privateChatOf(ani) });

    expect(t.api.callsTo(["forwardMessage", "forwardMessages"])).toEqual([]);
    expect(
      t.api
        .messagesTo(ani.id)
        .some((call) => call.messages.some((m) => m.text?.includes("Catatan internal"))),
    ).toBe(false);
    const staffText = t.api
      .messagesTo(STAFF_CHAT_ID)
      .flatMap((call) => call.messages.map((m) => `${m.text ?? ""} ${m.caption ?? ""}`))
      .join("\n");
    for (const secret of [
      "Ani Saksi",
      "ani_saksi",
      String(ani.id),
      "Budiman",
      "budiman",
      String(budiman.id),
    ]) {
      expect(staffText).not.toContain(secret);
    }
  });

  it("shows an identified reporter's contact only to an administrator, audited and announced", async () => {
    const contact = code.contact!;
    expect((await press(sari, `tkt:ct:${contact}`)).text).toBe("Hanya admin grup yang bisa melakukannya.");
    const asked = t.api.mark();
    expect((await press(admin, `tkt:ct:${contact}`)).text).toContain("alasan");
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, "alasan Anda memerlukan kontak", asked);
    const noted = await say(admin, "Verifikasi laporan resmi", "dicatat", prompt);
    const mark = t.api.mark();
    const shown = await press(admin, `tkt:ct:${contact}`, noted);
    expect(shown.text).toContain("Nama: Ani Saksi");
    expect(shown.text).toContain("Telepon: +6281211112222");
    expect(shown.show_alert).toBe(true);
    const announced = await waitForText(t.api, STAFF_CHAT_ID, "melihat data kontak", mark);
    expect(announced.text).toBe(
      `🔓 Admin Rudi melihat data kontak pelapor ${contact} (dicatat di jejak audit). Alasan: Verifikasi laporan resmi`,
    );
    const history = await say(admin, `/tiket ${contact}`, "Riwayat");
    expect(history.text).toMatch(/kontak pelapor dilihat · Admin Rudi/);
  });

  it("lists the queue unclaimed first, shows a ticket with its history, and searches", async () => {
    const queue = (await say(sari, "/antrian", "Tiket terbuka")).text!;
    const lines = queue.split("\n");
    expect(lines[0]).toMatch(/^📋 Tiket terbuka: \d+ \(\d+ belum diambil\)$/);
    const firstClaimed = lines.findIndex((line) => line.includes("·") && !line.endsWith("· belum diambil"));
    const lastUnclaimed = lines.findLastIndex((line) => line.endsWith("· belum diambil"));
    expect(lastUnclaimed).toBeLessThan(firstClaimed);
    // Unclaimed, the oldest (least legal time left) first.
    expect(lines[1]).toContain(code.overdue);
    expect(lines[2]).toContain(code.old);
    expect(queue).not.toContain(code.reject);

    const ticket = await say(tono, `/tiket ${code.flow!.toLowerCase()}`, "Riwayat");
    expect(ticket.text).toContain(`🎫 ${code.flow}`);
    for (const step of [
      "diambil · Sari",
      "dilepas · Sari",
      "diambil · Tono",
      "status: 📤 Diteruskan · Gakkumdu · Tono",
      "dibuka kembali · Admin Rudi",
    ]) {
      expect(ticket.text).toContain(step);
    }
    expect(buttonData(ticket)).toEqual([`tkt:ro:${code.flow}`]);

    const found = (await say(sari, "/cari Facebook kantor", "🔍")).text!;
    expect(found).toContain(code.reject);
    expect(found).not.toContain(code.flow);
    const byRegion = (await say(sari, "/cari tebet", "🔍")).text!;
    for (const c of Object.values(code)) expect(byRegion).toContain(c);
    const none = await say(sari, "/cari <zzz>", "Tidak ditemukan");
    expect(none.text).toBe('Tidak ditemukan apa pun untuk "<zzz>".');
  });

  it("reminds the officers of unclaimed tickets and of deadlines that are near", async () => {
    const unclaimed = await waitForText(t.api, STAFF_CHAT_ID, "Belum diambil lebih dari 1 jam");
    expect(unclaimed.text).toContain(code.old);
    expect(unclaimed.text).not.toContain(code.overdue);
    const deadline = await waitForText(t.api, STAFF_CHAT_ID, "Batas tindak lanjut sudah dekat");
    expect(deadline.text).toContain(code.overdue);
    expect(deadline.text).toMatch(/lewat \d+ hari/);
  });

  it("refuses ticket buttons pressed in a citizen's chat, and logs it", async () => {
    const citizen = makeUser(9301, { firstName: "Iseng" });
    const welcome = await say(citizen, "/start", "Iseng", { chat: privateChatOf(citizen) });
    const mark = t.bot.logs.length;
    expect(await press(citizen, `tkt:cl:${code.forged}`, welcome)).toMatchObject({
      text: "Tombol tiket hanya berfungsi di grup petugas.",
      show_alert: true,
    });
    await t.bot.waitForLog(
      (line) =>
        line.msg === "refused a ticket button: not an officer in the staff group" &&
        line.reason === "notStaffChat",
      {
        after: mark,
      },
    );
    expect(card("forged").text).toContain("Status: 🆕 Baru");
    await say(citizen, "/antrian", "Perintah ini hanya berfungsi di grup petugas.", {
      chat: privateChatOf(citizen),
    });
  });

  it("refuses an officer who is no longer a member of the staff group", async () => {
    const gone = officer(t.api, 9401, "Mantan").user;
    t.api.setChatMember(STAFF_CHAT_ID, gone.id, "left");
    const mark = t.bot.logs.length;
    expect((await press(gone, `tkt:cl:${code.forged}`)).text).toBe(
      "Hanya anggota grup petugas yang bisa menangani tiket.",
    );
    await t.bot.waitForLog(
      (line) =>
        line.msg === "refused a ticket button: not an officer in the staff group" &&
        line.reason === "notMember",
      {
        after: mark,
      },
    );
    expect(card("forged").text).toContain("Status: 🆕 Baru");
    await say(gone, "/antrian", "Hanya anggota grup petugas yang bisa menangani tiket.");
  });
});
