import type { Message, MessageEntity, User } from "grammy/types";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import { todayInJakarta } from "../../domain/report/dates.ts";
import { createReportStore } from "../../domain/report/report-store.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { DEFAULT_STAFF_CHAT_ID } from "../support/bot-identity.ts";
import { type BotReply, UserChat } from "../support/conversation.ts";
import type { ApiCall, FakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";
import { makeUser, supergroup, textMessage } from "../support/updates.ts";

/** Helpers of the announcement and subscription end-to-end tests (test/e2e/broadcast*.test.ts). */

export const STAFF_CHAT_ID = DEFAULT_STAFF_CHAT_ID;
export const staffGroup = supergroup(STAFF_CHAT_ID, { title: "Piket Bawaslu" });
/** The cipher of the bot under test (TestBot gives it TEST_DATA_KEY): the same hashes and ciphertexts. */
export const cipher = createDataCipher(TEST_DATA_KEY);

/** Methods that deliver an announcement's copy. */
const SEND_METHODS = ["sendMessage", "sendPhoto", "sendVideo", "sendDocument", "sendAnimation"];

export interface SeedSubscriber {
  chatId: number;
  locale?: "id" | "en";
  provinceCode?: string | null;
  regencyCode?: string | null;
  active?: boolean;
}

/**
 * Writes subscriptions the way domain/subscription/subscription-store.ts does (keyed hash and ciphertext of the
 * chat id under the bot's DATA_KEY), in chunks, straight into the bot's database.
 */
export async function seedSubscribers(db: PrismaClient, subscribers: SeedSubscriber[]): Promise<void> {
  for (let start = 0; start < subscribers.length; start += 1_000) {
    await db.subscription.createMany({
      data: subscribers.slice(start, start + 1_000).map((s) => ({
        chatIdHash: cipher.hash("subscriptionChat", String(s.chatId)),
        chatIdEnc: cipher.encrypt(String(s.chatId)),
        locale: s.locale ?? "id",
        provinceCode: s.provinceCode ?? null,
        regencyCode: s.regencyCode ?? null,
        active: s.active ?? true,
      })),
    });
  }
}

/** Chat ids `first`, `first + 1`, … (`count` of them). */
export function chatIds(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => first + index);
}

/** An administrator of the staff group (the fake answers getChatMember with "administrator") and their chat. */
export function adminIn(
  api: FakeBotApi,
  id: number,
  firstName = `Admin ${id}`,
): { user: User; chat: UserChat } {
  const user = makeUser(id, { firstName, languageCode: "id" });
  api.setChatMember(STAFF_CHAT_ID, id, "administrator");
  return { user, chat: new UserChat(api, user, { chat: staffGroup, quietMs: 200 }) };
}

/** An ordinary officer (a member of the staff group, not an administrator). */
export function officerIn(api: FakeBotApi, id: number): { user: User; chat: UserChat } {
  const user = makeUser(id, { firstName: `Petugas ${id}`, languageCode: "id" });
  api.setChatMember(STAFF_CHAT_ID, id, "member");
  return { user, chat: new UserChat(api, user, { chat: staffGroup, quietMs: 200 }) };
}

/** Sends a formatted text from `user` in the staff group (entities as a Telegram client would set them). */
export function formattedText(user: User, text: string, entities: MessageEntity[]) {
  const update = textMessage(user, text, { chat: staffGroup });
  (update.message as Message & { entities?: MessageEntity[] }).entities = entities;
  return update;
}

/** The newest bot message in the staff group with a button whose callback data matches `button`. */
export function messageWithButton(api: FakeBotApi, button: string | RegExp): Message | undefined {
  const matches = (data: string) => (typeof button === "string" ? data === button : button.test(data));
  return api
    .botMessages(STAFF_CHAT_ID)
    .reverse()
    .find((message) =>
      (message.reply_markup?.inline_keyboard ?? []).some((row) =>
        row.some(
          (b) => "callback_data" in b && typeof b.callback_data === "string" && matches(b.callback_data),
        ),
      ),
    );
}

/**
 * Collects the bot's reactions until one satisfies `until` (other features post in the staff group too, and a
 * busy machine can take longer than the quiet period of one collection).
 */
async function collectUntil(
  chat: UserChat,
  first: BotReply[],
  until: (reply: BotReply) => boolean,
  what: string,
): Promise<BotReply[]> {
  const replies = [...first];
  const deadline = Date.now() + 20_000;
  while (!replies.some(until)) {
    if (Date.now() > deadline) {
      throw new Error(
        `waited for ${what}; the bot answered: ${replies.map((r) => `${r.method} ${r.text}`).join(" | ")}`,
      );
    }
    replies.push(...(await chat.waitForReplies({ timeoutMs: 20_000 })));
  }
  return replies;
}

/** A reply that is a message (or an edit) whose text contains `part`. */
export const saying =
  (part: string, method?: string) =>
  (reply: BotReply): boolean =>
    (method === undefined || reply.method === method) && reply.text?.includes(part) === true;

/** The answer to the button press (the toast or alert), containing `part`. */
export const answering =
  (part: string) =>
  (reply: BotReply): boolean =>
    reply.method === "answerCallbackQuery" && String(reply.call.params.text ?? "").includes(part);

/** Presses `button` on the newest staff-group message that has it, and collects until `until` is seen. */
export async function pressAndWait(
  chat: UserChat,
  button: string | RegExp,
  until: (reply: BotReply) => boolean = (reply) => reply.method === "answerCallbackQuery",
  what = `the answer to ${String(button)}`,
): Promise<BotReply[]> {
  const message = messageWithButton(chat.api, button);
  if (!message) throw new Error(`no message in the staff group has a button ${String(button)}`);
  return collectUntil(chat, await chat.press(button, { message }), until, what);
}

/** Sends a text (or an update) and collects until `until` is seen. */
export async function sendAndWait(
  chat: UserChat,
  content: string | Parameters<UserChat["sendUpdate"]>[0],
  until: (reply: BotReply) => boolean,
  what: string,
): Promise<BotReply[]> {
  const first = typeof content === "string" ? await chat.send(content) : await chat.sendUpdate(content);
  return collectUntil(chat, first, until, what);
}

/** What the audience options of {@link composeAndPreview} choose. */
export interface ComposeOptions {
  /** A region name to type into the area search, and the label of the result to pick. */
  area?: { query: string; pick: RegExp };
  language?: "id" | "en";
  tickets?: string[];
}

const CARD = "Draf pengumuman";

/**
 * /siaran, the content (a text, or any update made by `content`), the audience options, Preview. Returns the
 * replies to Preview (header, preview copies, the "ready" message with Send / Cancel).
 */
export async function composeAndPreview(
  chat: UserChat,
  content: string | ((user: User) => Parameters<UserChat["sendUpdate"]>[0]),
  options: ComposeOptions = {},
): Promise<BotReply[]> {
  await sendAndWait(chat, "/siaran", saying("Pengumuman baru"), "the composer's prompt");
  await sendAndWait(
    chat,
    typeof content === "string" ? content : content(chat.user),
    saying(CARD),
    "the draft card",
  );
  if (options.area) {
    await pressAndWait(chat, "bc:c:area", saying("Ketik nama provinsi"), "the area prompt");
    await sendAndWait(chat, options.area.query, saying("Pilih wilayah"), "the area choices");
    const choices = messageWithButton(chat.api, /^bc:c:ar:/)!;
    const label = (choices.reply_markup?.inline_keyboard ?? [])
      .flat()
      .find((b) => options.area!.pick.test(b.text));
    if (!label || !("callback_data" in label)) throw new Error(`no area choice matches ${options.area.pick}`);
    await pressAndWait(chat, label.callback_data!, saying(CARD), "the card with the area");
  }
  if (options.language) {
    await pressAndWait(chat, `bc:c:lang:${options.language}`, saying(CARD), "the card with the language");
  }
  if (options.tickets) {
    await pressAndWait(chat, "bc:c:tickets", saying("Kirim kode tiket"), "the ticket prompt");
    await sendAndWait(chat, options.tickets.join(" "), saying(CARD), "the card with the tickets");
  }
  return pressAndWait(chat, "bc:c:preview", saying("Siap dikirim"), "the ready message");
}

/** Successful copies delivered to these chats (after `after`), in arrival order. */
export function deliveries(api: FakeBotApi, chats: Iterable<number>, after = 0): ApiCall[] {
  const wanted = new Set([...chats].map(String));
  return api
    .callsTo(SEND_METHODS, { after })
    .filter((call) => wanted.has(String(call.params.chat_id)) && call.response?.ok === true);
}

/** Every attempt (failed ones too) to deliver to these chats. */
export function attempts(api: FakeBotApi, chats: Iterable<number>, after = 0): ApiCall[] {
  const wanted = new Set([...chats].map(String));
  return api.callsTo(SEND_METHODS, { after }).filter((call) => wanted.has(String(call.params.chat_id)));
}

/** The largest number of calls that arrived within any window of `windowMs` (a sliding window over arrivals). */
export function maxInAnyWindow(calls: readonly ApiCall[], windowMs = 1_000): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** How many copies each chat got. */
export function copiesPerChat(calls: readonly ApiCall[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of calls) {
    const chat = Number(call.params.chat_id);
    counts.set(chat, (counts.get(chat) ?? 0) + 1);
  }
  return counts;
}

/** The staff-group summary of a finished (or cancelled) broadcast, once posted. */
export function summaries(api: FakeBotApi, after = 0): ApiCall[] {
  return api
    .callsTo("sendMessage", { after })
    .filter(
      (call) =>
        String(call.params.chat_id) === String(STAFF_CHAT_ID) &&
        typeof call.params.text === "string" &&
        /Pengumuman (selesai|dibatalkan)/.test(call.params.text) &&
        call.response?.ok === true,
    );
}

/**
 * Writes one ticket the way the report feature does (report-store `submit`) for `reporter`, and returns its
 * code: a ticket an announcement can link to.
 */
export async function seedTicket(db: PrismaClient, reporter: User): Promise<string> {
  const store = createReportStore(db, cipher);
  const today = todayInJakarta(new Date());
  const result = await store.submit({
    telegramUserId: reporter.id,
    locale: reporter.language_code === "en" ? "en" : "id",
    draftId: `broadcast-seed-${process.pid}-${Date.now()}-${reporter.id}`,
    submission: {
      category: "MONEY_POLITICS",
      details: { mp_given: ["CASH"], mp_giver: "Tim sukses caleg nomor 3" },
      occurredOn: today,
      learnedOn: today,
      location: { type: "region", provinceCode: "31", regencyCode: "31.74", districtCode: "31.74.01" },
      placeNote: null,
      chronology: "Pukul tujuh pagi tim sukses membagikan amplop berisi uang kepada warga yang antre.",
      evidence: [],
      anonymous: true,
      reporterNameEnc: null,
      reporterPhoneEnc: null,
    },
  });
  return result.code;
}
