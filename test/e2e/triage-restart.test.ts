import type { Message, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../support/fake-bot-api.ts";
import { TestBot } from "../support/test-bot.ts";
import { callbackQuery, locationMessage, makeUser, privateChatOf, textMessage } from "../support/updates.ts";
import { cardsOf, officer, STAFF_CHAT_ID, say, waitForCard } from "./triage-support.ts";

const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;

/**
 * Files an "other violation" report through the real conversation, one step at a time: each step waits for the
 * bot's prompt (its button, or a new message) before answering, so a slow machine cannot make it skip ahead.
 */
async function fileReport(api: FakeBotApi, user: User): Promise<string> {
  const chat = privateChatOf(user);
  let mark = api.mark();
  const prompt = async (button?: string): Promise<Message> => {
    const call = await api.waitForCall(
      ["sendMessage", "editMessageText"],
      (p, c) =>
        p.chat_id === user.id &&
        c.response?.ok === true &&
        (button === undefined ||
          c.messages.some((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === button))),
      { after: mark, timeoutMs: 15_000 },
    );
    mark = call.index + 1;
    return call.messages[0]!;
  };
  const press = async (button: string) => {
    const message = await prompt(button);
    const data = message.reply_markup!.inline_keyboard.flat().find((b) => b.text === button)!;
    api.pushUpdate(callbackQuery(user, (data as { callback_data: string }).callback_data, message));
  };
  const say = async (text: string) => {
    await prompt();
    api.pushUpdate(textMessage(user, text, { chat }));
  };
  api.pushUpdate(textMessage(user, "/lapor", { chat }));
  await press("📌 Pelanggaran lainnya");
  await say("Kampanye di tempat ibadah");
  await press("Hari ini");
  await press("Hari yang sama dengan kejadian");
  await prompt();
  api.pushUpdate(locationMessage(user, -6.2297, 106.8531, { chat }));
  await press("⏭ Lewati");
  await say("Seorang calon berkampanye di masjid setelah salat Jumat dengan membagikan stiker.");
  await press("✅ Selesai kirim bukti");
  await press("🕶 Anonim (informasi awal)");
  await press("📨 Kirim laporan");
  const submitted = await api.waitForCall(
    "sendMessage",
    (p) => p.chat_id === user.id && CODE.test(String(p.text)),
    {
      after: mark,
      timeoutMs: 15_000,
    },
  );
  return String(submitted.params.text).match(CODE)![0];
}

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
    const citizen = makeUser(9601, { languageCode: "id" });
    const code = await fileReport(t.api, citizen);
    const failed = await t.api.waitForCall(
      "sendMessage",
      (p) => p.chat_id === STAFF_CHAT_ID && String(p.text).includes(code),
      { timeoutMs: 10_000 },
    );
    expect(failed.response?.ok).toBe(false);

    // The group stays unreachable until the new process runs: a retry the killed process had already sent
    // (the first retry comes within a second) must not reach the group after the kill.
    await t.bot.kill();
    expect(cardsOf(t.api, code)).toHaveLength(0);
    await t.restart();
    unreachable();

    const card = await waitForCard(t.api, code, 30_000);
    expect(card.text).toContain("Status: 🆕 Baru");
    officer(t.api, 9602, "Sari");
    const history = await say(t.api, makeUser(9602, { firstName: "Sari" }), `/tiket ${code}`, "Riwayat");
    expect(history.text!.match(/kartu dikirim/g)).toHaveLength(1);
    expect(cardsOf(t.api, code)).toHaveLength(1);
  });
});
