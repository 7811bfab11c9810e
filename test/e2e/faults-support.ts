import type { Message, User } from "grammy/types";
import type { FakeBotApi } from "../support/fake-bot-api.ts";
import { callbackQuery, locationMessage, privateChatOf, textMessage } from "../support/updates.ts";

/** Helpers of the fault tests (test/e2e/faults-*.test.ts). */

export const CODE = /\b(PU|HK|AS|LN)-[2-9A-HJKMNP-Z]{6}\b/;
export const SUBMIT_LABEL = "📨 Kirim laporan";

/** The inline buttons of a message as label → callback data. */
export function buttonsOf(message: Message | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const button of message?.reply_markup?.inline_keyboard.flat() ?? []) {
    if ("callback_data" in button) out.set(button.text, button.callback_data);
  }
  return out;
}

/**
 * Drives an "other violation" report through the real conversation up to the review, one step at a time (each
 * step waits for the bot's prompt), and resolves with the review message (the one with the Submit button).
 * `timeoutMs` bounds each wait.
 */
export async function fileUntilReview(
  api: FakeBotApi,
  user: User,
  options: { chronology?: string; timeoutMs?: number } = {},
): Promise<Message> {
  const chat = privateChatOf(user);
  const timeoutMs = options.timeoutMs ?? 20_000;
  let mark = api.mark();
  const prompt = async (button?: string): Promise<Message> => {
    const call = await api.waitForCall(
      ["sendMessage", "editMessageText"],
      (p, c) =>
        p.chat_id === user.id &&
        c.response?.ok === true &&
        (button === undefined || c.messages.some((m) => buttonsOf(m).has(button))),
      { after: mark, timeoutMs },
    );
    mark = call.index + 1;
    return call.messages.find((m) => button === undefined || buttonsOf(m).has(button))!;
  };
  const press = async (button: string) => {
    const message = await prompt(button);
    api.pushUpdate(callbackQuery(user, buttonsOf(message).get(button)!, message));
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
  await say(
    options.chronology ?? "Seorang calon berkampanye di masjid setelah salat Jumat dengan membagikan stiker.",
  );
  await press("✅ Selesai kirim bukti");
  await press("🕶 Anonim (informasi awal)");
  return prompt(SUBMIT_LABEL);
}

/** What the citizen saw after pressing Submit: the ticket code, or the alert on the button (e.g. "try again"). */
export interface SubmitOutcome {
  code?: string;
  alert?: string;
}

/**
 * Presses Submit on the review and resolves with the ticket code the bot answered, or the text of the alert it
 * showed instead ("temporarily unavailable"; "already submitted: CODE" also carries the code).
 */
export async function pressSubmit(
  api: FakeBotApi,
  user: User,
  review: Message,
  timeoutMs = 20_000,
): Promise<SubmitOutcome> {
  const mark = api.mark();
  const update = api.pushUpdate(callbackQuery(user, buttonsOf(review).get(SUBMIT_LABEL)!, review));
  const queryId = update.callback_query!.id;
  const call = await api.waitForCall(
    ["sendMessage", "answerCallbackQuery"],
    (p) =>
      (p.chat_id === user.id && CODE.test(String(p.text ?? ""))) ||
      (p.callback_query_id === queryId && typeof p.text === "string"),
    { after: mark, timeoutMs },
  );
  const text = String(call.params.text);
  const code = text.match(CODE)?.[0];
  return call.method === "sendMessage" ? { code } : { alert: text, code };
}
