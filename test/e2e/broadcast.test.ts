import type { Message, MessageEntity } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserChat } from "../support/conversation.ts";
import { eventually } from "../support/eventually.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser, photoMessage, stickerMessage } from "../support/updates.ts";
import {
  adminIn,
  chatIds,
  composeAndPreview,
  deliveries,
  formattedText,
  officerIn,
  pressAndWait,
  type SeedSubscriber,
  STAFF_CHAT_ID,
  saying,
  seedSubscribers,
  seedTicket,
  sendAndWait,
  staffGroup,
  summaries,
} from "./broadcast-support.ts";

const CHANNEL_ID = -1009876543210;

/** Subscribers by area and language (areas: Kepmendagri codes). */
const SOUTH_JAKARTA_ID = chatIds(9001, 5); // Kota Jakarta Selatan, Indonesian
const JAKARTA_WHOLE_EN = chatIds(9011, 2); // all of DKI Jakarta, English
const BANDUNG_ID = chatIds(9021, 3); // Kota Bandung, Indonesian
const NO_AREA_ID = chatIds(9031, 4);
const NO_AREA_EN = chatIds(9041, 2);
const UNSUBSCRIBED = [9051];
const ACTIVE = [...SOUTH_JAKARTA_ID, ...JAKARTA_WHOLE_EN, ...BANDUNG_ID, ...NO_AREA_ID, ...NO_AREA_EN];
const reporter = makeUser(9500, { firstName: "Pelapor", languageCode: "id" });

const SUBSCRIBERS: SeedSubscriber[] = [
  ...SOUTH_JAKARTA_ID.map((chatId) => ({ chatId, provinceCode: "31", regencyCode: "31.74" })),
  ...JAKARTA_WHOLE_EN.map((chatId) => ({ chatId, locale: "en" as const, provinceCode: "31" })),
  ...BANDUNG_ID.map((chatId) => ({ chatId, provinceCode: "32", regencyCode: "32.73" })),
  ...NO_AREA_ID.map((chatId) => ({ chatId })),
  ...NO_AREA_EN.map((chatId) => ({ chatId, locale: "en" as const })),
  ...UNSUBSCRIBED.map((chatId) => ({ chatId, active: false })),
];

/** Presses Send on the ready message and waits for the final summary. */
async function sendAndFinish(t: TestBot, chat: UserChat, mark: number): Promise<void> {
  await pressAndWait(chat, /^bc:send:/, saying("Pengumuman: sedang dikirim"), "the progress message");
  await eventually("the broadcast's summary is posted", () => summaries(t.api, mark).length > 0, 30_000);
}

describe("announcements composed in the staff group", () => {
  let t: TestBot;
  let ticket: string;

  beforeAll(async () => {
    t = await TestBot.start({ BROADCAST_RATE: "200", PUBLIC_CHANNEL_ID: String(CHANNEL_ID) });
    ticket = await t.query(async (db) => {
      await seedSubscribers(db, SUBSCRIBERS);
      return seedTicket(db, reporter);
    });
  });
  afterAll(() => t?.stop());

  it("refuses the composer to an officer who is not an administrator", async () => {
    const { chat } = officerIn(t.api, 8101);
    const replies = await sendAndWait(chat, "/siaran", saying("Hanya administrator"), "the refusal");
    expect(replies.find(saying("Hanya administrator"))?.text).toContain("Hanya administrator grup petugas");
    // Other features post in the group too (ticket cards): only a composer card would be an answer to this.
    const after = await chat.send("Pengumuman palsu", { expectReply: false, quietMs: 300 });
    expect(after.filter((reply) => reply.text?.includes("Draf pengumuman"))).toEqual([]);
  });

  it("previews formatted text exactly as subscribers get it, sends it once to each, posts it to the channel and tells the linked ticket's reporter", async () => {
    const { chat } = adminIn(t.api, 8001, "Budi");
    const text = "Bawaslu menindak politik uang di Tebet: 3 orang diproses <Gakkumdu> & polisi.";
    const entities: MessageEntity[] = [
      { type: "bold", offset: 0, length: 7 },
      { type: "italic", offset: 17, length: 12 },
    ];
    const mark = t.api.mark();
    const preview = await composeAndPreview(chat, (user) => formattedText(user, text, entities), {
      tickets: [ticket.toLowerCase()],
    });

    // One preview copy per language of the audience, each with the unsubscribe button in that language.
    const copies = preview.filter((reply) => reply.method === "sendMessage" && reply.text === text);
    expect(copies).toHaveLength(2);
    for (const copy of copies) expect(copy.message?.entities).toEqual(entities);
    expect(copies.map((copy) => copy.keyboard?.labels)).toEqual([
      ["🔕 Berhenti berlangganan"],
      ["🔕 Unsubscribe"],
    ]);
    const ready = preview.find(saying("Siap dikirim"))!;
    expect(ready.text).toContain(`Jumlah saat ini: ${ACTIVE.length} pelanggan`);
    expect(ready.text).toContain(ticket);
    expect(ready.text).toContain("Juga diposting ke kanal publik");
    expect(ready.keyboard?.labels).toContain(`✅ Kirim ke ${ACTIVE.length} pelanggan`);
    expect(deliveries(t.api, ACTIVE, mark)).toEqual([]);

    await sendAndFinish(t, chat, mark);
    const sent = deliveries(t.api, [...ACTIVE, ...UNSUBSCRIBED], mark);
    expect(sent.map((call) => Number(call.params.chat_id)).sort()).toEqual([...ACTIVE].sort());
    for (const call of sent) {
      const message = call.messages[0] as Message;
      expect(message.text).toBe(text);
      expect(message.entities).toEqual(entities);
      const english = [...JAKARTA_WHOLE_EN, ...NO_AREA_EN].includes(Number(call.params.chat_id));
      expect(JSON.stringify(message.reply_markup)).toContain(
        english ? "🔕 Unsubscribe" : "🔕 Berhenti berlangganan",
      );
    }

    const channel = await eventually("the channel post arrives", () => {
      const posts = deliveries(t.api, [CHANNEL_ID], mark);
      return posts.length > 0 ? posts : undefined;
    });
    expect(channel).toHaveLength(1);
    expect(channel[0]?.messages[0]?.text).toBe(text);
    expect(channel[0]?.params.reply_markup).toBeUndefined();

    const followUp = await eventually("the reporter's follow-up arrives", () =>
      deliveries(t.api, [reporter.id], mark).at(0),
    );
    expect(followUp.messages[0]?.text).toContain(`Laporan Anda ${ticket} turut menjadi dasar penindakan`);
    expect(followUp.messages[0]?.text).toContain("Bawaslu menindak politik uang di Tebet");
    // Nobody else learns who reported: the staff group sees no reporter, the reporter is not otherwise singled out.
    const staffTexts = t.api.botMessages(STAFF_CHAT_ID).map((message) => message.text ?? "");
    expect(staffTexts.join("\n")).not.toContain(String(reporter.id));

    const summary = summaries(t.api, mark)[0]!;
    expect(summary.params.text).toContain(`Terkirim ke ${ACTIVE.length} dari ${ACTIVE.length} pelanggan`);
    const progressId = Number(
      (summary.params.reply_parameters as { message_id?: number } | undefined)?.message_id,
    );
    const progress = t.api.message(STAFF_CHAT_ID, progressId);
    expect(progress?.text).toContain("Pengumuman: selesai");
    expect(progress?.reply_markup).toBeUndefined();
  });

  it("reaches only the chosen area and language", async () => {
    const { chat } = adminIn(t.api, 8002, "Sari");

    let mark = t.api.mark();
    await composeAndPreview(chat, "Penindakan di Jakarta Selatan", {
      area: { query: "jakarta selatan", pick: /^Kota Jakarta Selatan/ },
    });
    await sendAndFinish(t, chat, mark);
    // The regency's subscribers, and those who chose the whole province; nobody without an area.
    expect(
      deliveries(t.api, ACTIVE, mark)
        .map((call) => Number(call.params.chat_id))
        .sort(),
    ).toEqual([...SOUTH_JAKARTA_ID, ...JAKARTA_WHOLE_EN].sort());

    mark = t.api.mark();
    await composeAndPreview(chat, "Penindakan di Jawa Barat", {
      area: { query: "jawa barat", pick: /^Jawa Barat$/ },
      language: "id",
    });
    await sendAndFinish(t, chat, mark);
    expect(
      deliveries(t.api, ACTIVE, mark)
        .map((call) => Number(call.params.chat_id))
        .sort(),
    ).toEqual([...BANDUNG_ID].sort());

    mark = t.api.mark();
    const preview = await composeAndPreview(
      chat,
      (user) =>
        photoMessage(user, {
          chat: staffGroup,
          caption: "Enforcement in English",
          fileId: "AgACPhotoOfRaid",
        }),
      { language: "en" },
    );
    const photoPreview = preview.find((reply) => reply.method === "sendPhoto");
    expect(photoPreview?.message?.caption).toBe("Enforcement in English");
    expect(photoPreview?.keyboard?.labels).toEqual(["🔕 Unsubscribe"]);
    await sendAndFinish(t, chat, mark);
    const photos = deliveries(t.api, ACTIVE, mark);
    expect(photos.map((call) => Number(call.params.chat_id)).sort()).toEqual(
      [...JAKARTA_WHOLE_EN, ...NO_AREA_EN].sort(),
    );
    expect(
      photos.every((call) => call.method === "sendPhoto" && call.params.photo === "AgACPhotoOfRaid"),
    ).toBe(true);
  });

  it("refuses albums and stickers as content, and discards a draft", async () => {
    const { chat } = adminIn(t.api, 8003);
    await sendAndWait(chat, "/siaran", saying("Pengumuman baru"), "the composer's prompt");
    const mark = t.api.mark();
    await chat.sendAlbum(3);
    // Updates of one admin are handled in order: once the sticker is refused, the album was answered too.
    const sticker = stickerMessage(chat.user, { chat: staffGroup });
    await sendAndWait(chat, sticker, saying("tidak bisa menjadi pengumuman"), "the sticker's refusal");
    const refusals = t.api
      .callsTo("sendMessage", { after: mark })
      .filter((call) => String(call.params.text).includes("Album tidak bisa"));
    expect(refusals).toHaveLength(1);
    await sendAndWait(chat, "Isi yang benar", saying("Draf pengumuman"), "the draft card");
    await pressAndWait(chat, "bc:c:discard", saying("Draf pengumuman dibuang"), "the discard");
    const after = await chat.send("Bukan pengumuman", { expectReply: false, quietMs: 300 });
    expect(after.filter((reply) => reply.text?.includes("Draf pengumuman"))).toEqual([]);
  });

  it("lets a subscriber unsubscribe with the button under an announcement", async () => {
    const subscriber = new UserChat(t.api, makeUser(NO_AREA_ID[0]!, { languageCode: "id" }));
    const copy = t.api
      .botMessages(subscriber.chat.id)
      .find((message) => JSON.stringify(message.reply_markup ?? {}).includes("sub:off"));
    expect(copy).toBeDefined();
    await subscriber.press("sub:off", { message: copy! });
    await eventually("the subscriber is told they are unsubscribed", () =>
      t.api.botMessages(subscriber.chat.id).some((message) => message.text?.includes("tidak lagi menerima")),
    );

    const { chat } = adminIn(t.api, 8004);
    const mark = t.api.mark();
    const preview = await composeAndPreview(chat, "Setelah berhenti");
    expect(preview.find(saying("Siap dikirim"))?.text).toContain(
      `Jumlah saat ini: ${ACTIVE.length - 1} pelanggan`,
    );
    await sendAndFinish(t, chat, mark);
    expect(deliveries(t.api, [subscriber.chat.id], mark)).toEqual([]);
  });

  it("lists recent announcements with /siaran_status for staff", async () => {
    const { chat } = officerIn(t.api, 8102);
    const replies = await sendAndWait(chat, "/siaran_status", saying("Pengumuman terakhir"), "the list");
    const list = replies.find(saying("Pengumuman terakhir"));
    expect(list?.text).toContain("Pengumuman terakhir");
    expect(list?.text).toMatch(/selesai · oleh Budi/);
    expect(list?.text).toContain(`terkirim ${ACTIVE.length}/${ACTIVE.length}`);
    expect(t.api.commands({ type: "chat", chat_id: STAFF_CHAT_ID })).toEqual(
      expect.arrayContaining([expect.objectContaining({ command: "siaran" })]),
    );
  });
});
