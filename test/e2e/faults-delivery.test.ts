import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBot } from "../support/test-bot.ts";
import { makeUser, myChatMemberAdded, photoMessage, privateChatOf } from "../support/updates.ts";
import {
  cardIn,
  cardsOf,
  officer,
  press,
  type SeedTicket,
  STAFF_CHAT_ID,
  say,
  seedTickets,
  staffGroup,
  waitForCard,
  waitForText,
} from "./triage-support.ts";

/**
 * Deliveries Telegram refuses for good are seen, never dropped: a closed or deleted forum topic, lost rights in
 * the staff group, a card Telegram cannot take, a reporter's answer that can no longer be copied. Runs against
 * the real servers when given, on the embedded database otherwise.
 */
describe("deliveries that fail are seen", { timeout: 240_000 }, () => {
  let t: TestBot;
  const citizen = makeUser(9801, { languageCode: "id" });
  const seed = (tickets: SeedTicket[]) => t.query((db) => seedTickets(db, tickets));

  beforeAll(async () => {
    t = await TestBot.start({ STAFF_RATE: "50/1" });
    t.api.setForum(STAFF_CHAT_ID);
    // Thread id 1 is the General topic: the fake hands out ids from 1, so the first one is taken here.
    t.api.addForumTopic(STAFF_CHAT_ID, "Umum");
  }, 120_000);
  afterAll(() => t?.stop());

  it("posts a card in the General topic when its category's topic was closed or deleted", async () => {
    const [first] = await seed([{ category: "OTHER", reporter: citizen }]);
    const thread = (await waitForCard(t.api, first!)).message_thread_id;
    expect(thread).toBeDefined();

    t.api.setTopicState(STAFF_CHAT_ID, thread!, "closed");
    const [second] = await seed([{ category: "OTHER", reporter: citizen }]);
    expect((await waitForCard(t.api, second!)).message_thread_id).toBeUndefined();

    t.api.setTopicState(STAFF_CHAT_ID, thread!, "deleted");
    const [third] = await seed([{ category: "OTHER", reporter: citizen }]);
    expect((await waitForCard(t.api, third!)).message_thread_id).toBeUndefined();
    for (const code of [first!, second!, third!]) expect(cardsOf(t.api, code)).toHaveLength(1);
  });

  it("alerts the group as soon as the bot may post again after losing its rights, then posts the waiting card", async () => {
    const botId = t.api.botInfo.id;
    t.api.setChatMember(STAFF_CHAT_ID, botId, "restricted", { can_send_messages: false });
    const [code] = await seed([{ category: "MONEY_POLITICS", reporter: citizen }]);
    // The card cannot go out (the topic nor the message); the alert is queued and cannot go out either, yet.
    const refused = await t.api.waitForCall(
      "sendMessage",
      (p, call) =>
        p.chat_id === STAFF_CHAT_ID &&
        String(p.text).includes("Awasi tidak dapat mengirim pesan") &&
        call.response?.ok === false,
      { timeoutMs: 20_000 },
    );
    expect((refused.response as { description?: string }).description).toContain("not enough rights");
    expect(cardsOf(t.api, code!)).toHaveLength(0);

    // An administrator gives the rights back; Telegram tells the bot (my_chat_member).
    t.api.setChatMember(STAFF_CHAT_ID, botId, "administrator");
    const mark = t.api.mark();
    t.api.pushUpdate(
      myChatMemberAdded(staffGroup, makeUser(9802, { firstName: "Admin" }), { asAdministrator: true }),
    );
    const alert = await waitForText(
      t.api,
      STAFF_CHAT_ID,
      "Awasi tidak dapat mengirim pesan di grup ini",
      mark,
    );
    expect(alert.text).toContain("not enough rights");
    await waitForCard(t.api, code!, 20_000);
    expect(cardsOf(t.api, code!)).toHaveLength(1);
  });

  it("alerts about a card Telegram refuses for good, and /antrian marks the ticket as having no card", async () => {
    t.api.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" },
      { when: (p) => p.chat_id === STAFF_CHAT_ID && String(p.text).startsWith("🎫") },
    );
    const mark = t.api.mark();
    const [code] = await seed([{ category: "HOAX", reporter: citizen }]);
    const alert = await waitForText(t.api, STAFF_CHAT_ID, `Kartu ${code} tidak dapat dikirim`, mark);
    expect(alert.text).toContain("can't parse entities");
    expect(cardIn(t.api, code!)).toBeUndefined();

    const sari = officer(t.api, 9803, "Sari").user;
    const queue = await say(t.api, sari, "/antrian", "Tiket terbuka");
    const line = queue.text!.split("\n").find((l) => l.includes(code!));
    expect(line).toContain("kartu tidak ada di grup");
    const posted = queue.text!.split("\n").filter((l) => /[A-Z]{2}-\w{6}/.test(l) && !l.includes(code!));
    for (const other of posted) expect(other).not.toContain("kartu tidak ada di grup");
  });

  it("tells the officers when a reporter's photo answer can no longer be copied, and the reporter when they return", async () => {
    const ani = makeUser(9804, { firstName: "Ani", languageCode: "id" });
    const [code] = await seed([{ category: "OTHER", reporter: ani }]);
    const card = await waitForCard(t.api, code!);
    const sari = officer(t.api, 9805, "Sari").user;
    await press(t.api, sari, `tkt:cl:${code}`, card);
    await press(t.api, sari, `tkt:ak:${code}`, cardIn(t.api, code!)!);
    const prompt = await waitForText(t.api, STAFF_CHAT_ID, `tentang ${code}`);
    await say(t.api, sari, "Ada foto amplopnya?", "Pertanyaan sedang dikirim", { replyTo: prompt });
    const question = await waitForText(t.api, ani.id, "Ada foto amplopnya?");

    await press(t.api, ani, `ans:${code}`, question);
    await waitForText(t.api, ani.id, code!);
    // The reporter deletes the photo (or the chat) before the bot copies it: Telegram answers 400.
    t.api.failNext(
      "copyMessage",
      { error_code: 400, description: "Bad Request: message to copy not found" },
      { when: (p) => p.from_chat_id === ani.id },
    );
    const mark = t.api.mark();
    t.api.pushUpdate(photoMessage(ani, { chat: privateChatOf(ani), caption: "ini fotonya" }));
    const note = await waitForText(t.api, STAFF_CHAT_ID, "tidak dapat diteruskan", mark);
    expect(note.text).toContain(code!);
    expect(note.text).not.toContain("Ani");

    const back = await say(t.api, ani, "/start", "tidak sampai ke petugas", { chat: privateChatOf(ani) });
    expect(back.text).toContain(code!);
    // Told once.
    const again = t.api.mark();
    await say(t.api, ani, "/start", "Ani", { chat: privateChatOf(ani) });
    expect(
      t.api
        .callsTo("sendMessage", { after: again })
        .some((c) => String(c.params.text).includes("tidak sampai")),
    ).toBe(false);
  });
});
