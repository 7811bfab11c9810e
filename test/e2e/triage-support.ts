import type { Chat, Message, User } from "grammy/types";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import type { Category } from "../../domain/report/categories.ts";
import { todayInJakarta } from "../../domain/report/dates.ts";
import type { EvidenceItem, ReportLocation } from "../../domain/report/draft.ts";
import type { Submission } from "../../domain/report/flow.ts";
import { createReportStore } from "../../domain/report/report-store.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { DEFAULT_STAFF_CHAT_ID } from "../support/bot-identity.ts";
import { UserChat } from "../support/conversation.ts";
import type { ApiCall, FakeBotApi } from "../support/fake-bot-api.ts";
import { TEST_DATA_KEY, type TestBot } from "../support/test-bot.ts";
import { callbackQuery, type GroupChat, makeUser, supergroup, textMessage } from "../support/updates.ts";

/** Helpers of the triage end-to-end tests (test/e2e/triage*.test.ts). */

export const STAFF_CHAT_ID = DEFAULT_STAFF_CHAT_ID;
export const staffGroup = supergroup(STAFF_CHAT_ID, { title: "Piket Bawaslu" });
export const cipher = createDataCipher(TEST_DATA_KEY);

/** The region every seeded ticket is in unless told otherwise: Tebet, Jakarta Selatan. */
export const TEBET: ReportLocation = {
  type: "region",
  provinceCode: "31",
  regencyCode: "31.74",
  districtCode: "31.74.01",
};

const DETAILS: Record<Category, Record<string, unknown>> = {
  MONEY_POLITICS: { mp_given: ["CASH"], mp_giver: "Tim sukses caleg nomor 3" },
  HOAX: { hx_platforms: ["WHATSAPP"], hx_falsehood: "Pesan berantai menyebut TPS dipindah ke balai desa" },
  ASN_NEUTRALITY: { asn_agency: "Dinas Pendidikan", asn_actions: ["POSTED"] },
  OTHER: { ot_title: "Perusakan alat peraga kampanye" },
};

export interface SeedTicket {
  category: Category;
  /** The citizen (their Telegram id and language). */
  reporter: User;
  chronology?: string;
  /** The category's answers, instead of the default ones. */
  details?: Record<string, unknown>;
  location?: ReportLocation;
  placeNote?: string;
  evidence?: EvidenceItem[];
  /** An identified (formal) report with this name and phone. */
  identified?: { name: string; phone: string };
  /** Backdates the ticket (for reminders). */
  createdAgoMs?: number;
}

let draftCounter = 0;

/**
 * Writes tickets the way the report feature does (domain/report/report-store.ts `submit`: report, evidence,
 * CREATED event and the staff.newReport outbox row in one transaction). Returns their codes in order.
 */
export async function seedTickets(db: PrismaClient, tickets: SeedTicket[]): Promise<string[]> {
  const store = createReportStore(db, cipher);
  const today = todayInJakarta(new Date());
  const codes: string[] = [];
  for (const ticket of tickets) {
    const submission: Submission = {
      category: ticket.category,
      details: ticket.details ?? DETAILS[ticket.category],
      occurredOn: today,
      learnedOn: today,
      location: ticket.location ?? TEBET,
      placeNote: ticket.placeNote ?? null,
      chronology:
        ticket.chronology ??
        "Pukul tujuh pagi tim sukses membagikan amplop berisi uang kepada warga yang antre.",
      evidence: ticket.evidence ?? [],
      anonymous: !ticket.identified,
      reporterNameEnc: ticket.identified ? cipher.encrypt(ticket.identified.name) : null,
      reporterPhoneEnc: ticket.identified ? cipher.encrypt(ticket.identified.phone) : null,
    };
    const result = await store.submit({
      telegramUserId: ticket.reporter.id,
      locale: ticket.reporter.language_code === "en" ? "en" : "id",
      draftId: `seed-${process.pid}-${Date.now()}-${draftCounter++}`,
      submission,
    });
    if (ticket.createdAgoMs) {
      await db.report.update({
        where: { id: result.reportId },
        data: { createdAt: new Date(Date.now() - ticket.createdAgoMs) },
      });
    }
    codes.push(result.code);
  }
  return codes;
}

/**
 * Seeds tickets while the bot is stopped, so that it finds them all at once when it starts (a deterministic
 * burst); the bot runs again afterwards.
 */
export async function seedWhileStopped(t: TestBot, tickets: SeedTicket[]): Promise<string[]> {
  if (!t.usesServers) return t.query((db) => seedTickets(db, tickets));
  await t.bot.stop();
  const codes = await t.query((db) => seedTickets(db, tickets));
  await t.restart();
  return codes;
}

/** Whether a message is the card of this ticket (not a copy shown by /tiket, which carries the history). */
const isCardOf = (message: Message, code: string) =>
  message.text?.startsWith(`🎫 ${code}`) === true && !/\n(Riwayat|History)\n/.test(message.text);

/** The card of a ticket in the staff group, as it is now. */
export function cardIn(api: FakeBotApi, code: string): Message | undefined {
  return api.botMessages(STAFF_CHAT_ID).find((message) => isCardOf(message, code));
}

/** Every card message of a ticket posted in the staff group (to check that there is exactly one). */
export function cardsOf(api: FakeBotApi, code: string): Message[] {
  return api.botMessages(STAFF_CHAT_ID).filter((message) => isCardOf(message, code));
}

/** Waits until the ticket's card is in the staff group. */
export async function waitForCard(api: FakeBotApi, code: string, timeoutMs = 15_000): Promise<Message> {
  await api.waitForCall(
    "sendMessage",
    (params, call) =>
      params.chat_id === STAFF_CHAT_ID &&
      call.response?.ok === true &&
      String(params.text ?? "").includes(`${code}</b>`),
    { timeoutMs },
  );
  const card = cardIn(api, code);
  if (!card) throw new Error(`the card of ${code} is not in the staff group`);
  return card;
}

/** An officer (a member) or an administrator of the staff group, talking in the group. */
export function officer(
  api: FakeBotApi,
  id: number,
  firstName: string,
  role: "officer" | "admin" = "officer",
) {
  const user = makeUser(id, { firstName, languageCode: "id" });
  api.setChatMember(STAFF_CHAT_ID, id, role === "admin" ? "administrator" : "member");
  return { user, chat: new UserChat(api, user, { chat: staffGroup, quietMs: 120 }) };
}

/** Inline buttons of a message, as callback data. */
export function buttonData(message: Message | undefined): string[] {
  return (message?.reply_markup?.inline_keyboard ?? [])
    .flat()
    .map((button) => ("callback_data" in button ? button.callback_data : undefined))
    .filter((data): data is string => data !== undefined);
}

/**
 * Presses a button (or sends any callback data, forged included) on a message and resolves with the bot's answer
 * to that press. The triage handlers answer last, after editing the card, so the card is current by then.
 */
export async function press(api: FakeBotApi, user: User, data: string, message: Message): Promise<ApiCall> {
  const mark = api.mark();
  const update = api.pushUpdate(callbackQuery(user, data, message));
  return api.waitForCall("answerCallbackQuery", (p) => p.callback_query_id === update.callback_query!.id, {
    after: mark,
    timeoutMs: 15_000,
  });
}

/** Sends a text message as `user` in `chat` and resolves with the bot's first message there containing `expect`. */
export async function say(
  api: FakeBotApi,
  user: User,
  text: string,
  expect: string,
  options: { chat?: Chat.PrivateChat | GroupChat; replyTo?: Message } = {},
): Promise<Message> {
  const chat = options.chat ?? staffGroup;
  const mark = api.mark();
  api.pushUpdate(textMessage(user, text, { chat, replyTo: options.replyTo }));
  return waitForText(api, chat.id, expect, mark);
}

/** The bot's first new message in a chat (after call `after`) whose text or caption contains `expect`. */
export async function waitForText(
  api: FakeBotApi,
  chatId: number,
  expect: string,
  after = 0,
): Promise<Message> {
  const call = await api.waitForCall(
    ["sendMessage", "copyMessage", "sendPhoto"],
    (p, c) =>
      p.chat_id === chatId && c.messages.some((m) => `${m.text ?? ""}${m.caption ?? ""}`.includes(expect)),
    { after, timeoutMs: 15_000 },
  );
  return call.messages.find((m) => `${m.text ?? ""}${m.caption ?? ""}`.includes(expect))!;
}
