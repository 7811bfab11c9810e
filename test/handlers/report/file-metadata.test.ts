import { MemorySessionStorage } from "grammy";
import type { InlineKeyboardMarkup, Message, Update } from "grammy/types";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../bot/config.ts";
import { createBot } from "../../../bot/create-bot.ts";
import { createI18n } from "../../../bot/i18n.ts";
import { sessionKeyFor } from "../../../bot/session.ts";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { newDraft, type ReportDraft } from "../../../domain/report/draft.ts";
import type { PrismaClient } from "../../../generated/prisma/client.ts";
import type { SessionData } from "../../../handlers/common/session-data.ts";
import { DEFAULT_BOT_INFO } from "../../support/bot-identity.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";
import { callbackQuery, documentMessage, makeUser, photoMessage } from "../../support/updates.ts";

interface SentCall {
  method: string;
  text?: string;
  buttons: string[];
}

/** A flow test: the real middleware stack, a draft waiting at the evidence step, Bot API calls answered in-process. */
async function atEvidenceStep(userId: number, locale: "id" | "en") {
  const cipher = createDataCipher(TEST_DATA_KEY);
  const storage = new MemorySessionStorage<SessionData>();
  const key = sessionKeyFor(cipher)({ chat: { id: userId }, from: { id: userId } })!;
  const draft: ReportDraft = {
    ...newDraft(`draft-file-${userId}`, Date.now()),
    category: "OTHER",
    stepId: "evidence",
  };
  storage.write(key, { locale, report: draft });
  const { bot } = createBot({
    config: parseConfig({ BOT_TOKEN: "123456:TEST", STAFF_CHAT_ID: "-1001234567890", LOG_LEVEL: "silent" }),
    db: {} as PrismaClient, // the evidence step never reaches the database
    cipher,
    i18n: await createI18n("id"),
    logger: pino({ level: "silent" }),
    sessionStorage: storage,
    botInfo: DEFAULT_BOT_INFO,
  });
  const sent: SentCall[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    const markup = (payload as { reply_markup?: InlineKeyboardMarkup }).reply_markup;
    const buttons = (markup?.inline_keyboard ?? [])
      .flat()
      .map((button) => ("callback_data" in button ? button.callback_data : ""));
    sent.push({ method, text: (payload as { text?: string }).text, buttons });
    return {
      ok: true,
      result: { message_id: sent.length, date: 0, chat: { id: userId, type: "private" } },
    } as never;
  });
  let updateId = 0;
  const handle = (update: object) => bot.handleUpdate({ update_id: ++updateId, ...update } as Update);
  const evidence = () => (storage.read(key)?.report as ReportDraft | undefined)?.evidence ?? [];
  return { sent, handle, evidence };
}

/** The bot's message a button was on, as a callback query carries it. */
const botMessage = (userId: number, id: number): Message =>
  ({ message_id: id, date: 0, chat: { id: userId, type: "private", first_name: "x" }, text: "…" }) as Message;

describe("a picture sent as a file at the evidence step", () => {
  it("is met with what it reveals and the offer to take it back and send it as a photo", async () => {
    const user = makeUser(8301, { languageCode: "en" });
    const { sent, handle, evidence } = await atEvidenceStep(user.id, "en");
    await handle(documentMessage(user, { fileName: "IMG_20260412_0712.jpg", mimeType: "image/jpeg" }));
    const receipt = sent.find((call) => call.method === "sendMessage")!;
    expect(receipt.text).toContain("This picture came as a <b>file</b>");
    expect(receipt.text).toContain("GPS position");
    expect(receipt.text).toContain("send it again as an ordinary photo");
    const [file] = evidence();
    expect(file?.kind).toBe("DOCUMENT");
    expect(receipt.buttons).toEqual([`rep:rm:${file!.fileUniqueId}`, "rep:d:evidence"]);

    // Remove: the file is gone from the draft; the step goes on.
    const before = sent.length;
    await handle(callbackQuery(user, `rep:rm:${file!.fileUniqueId}`, botMessage(user.id, 1)));
    expect(evidence()).toEqual([]);
    const removed = sent.slice(before).find((call) => call.method === "sendMessage");
    expect(removed?.text).toContain("File removed (evidence total 0 of at most");
    expect(removed?.buttons).toEqual(["rep:d:evidence"]);

    // Sent again as a photo: kept, without a warning (Telegram stripped its hidden data).
    const mark = sent.length;
    await handle(photoMessage(user));
    const photoReceipt = sent.slice(mark).find((call) => call.method === "sendMessage")!;
    expect(photoReceipt.text).not.toContain("⚠️");
    expect(photoReceipt.buttons).toEqual(["rep:d:evidence"]);
    expect(evidence().map((item) => item.kind)).toEqual(["PHOTO"]);
  });

  it("warns about a document's own hidden data (author, device) in Indonesian, with the same offer", async () => {
    const user = makeUser(8302, { languageCode: "id" });
    const { sent, handle, evidence } = await atEvidenceStep(user.id, "id");
    await handle(documentMessage(user, { fileName: "kronologi.docx", mimeType: "application/msword" }));
    const receipt = sent.find((call) => call.method === "sendMessage")!;
    expect(receipt.text).toContain("nama pembuat");
    expect(receipt.text).toContain("tangkapan layarnya sebagai foto biasa");
    expect(receipt.buttons[0]).toBe(`rep:rm:${evidence()[0]!.fileUniqueId}`);
  });

  it("answers a remove button for a file no longer in the draft as an old button, changing nothing", async () => {
    const user = makeUser(8303, { languageCode: "id" });
    const { sent, handle, evidence } = await atEvidenceStep(user.id, "id");
    await handle(photoMessage(user));
    const before = sent.length;
    await handle(callbackQuery(user, "rep:rm:AgADnotthere", botMessage(user.id, 1)));
    expect(evidence()).toHaveLength(1);
    expect(
      sent
        .slice(before)
        .map((call) => call.text ?? "")
        .join("\n"),
    ).toContain("Tombol itu dari pertanyaan sebelumnya");
  });
});
