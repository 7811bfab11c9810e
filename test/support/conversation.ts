import type { Chat, Message, User } from "grammy/types";
import type { ApiCall, FakeBotApi } from "./fake-bot-api.ts";
import {
  callbackQuery,
  contactMessage,
  documentMessage,
  type GroupChat,
  locationMessage,
  mediaGroup,
  type NewUpdate,
  photoMessage,
  privateChatOf,
  stickerMessage,
  textMessage,
  videoMessage,
  voiceMessage,
} from "./updates.ts";

/** One button as the user sees it. */
export interface Button {
  text: string;
  /** callback_data of an inline button. */
  data?: string;
  /** url of an inline URL button. */
  url?: string;
  /** A reply keyboard button that shares the user's phone number. */
  requestContact?: boolean;
  /** A reply keyboard button that shares the user's location. */
  requestLocation?: boolean;
}

/** A keyboard the bot showed: inline (under a message) or reply (replacing the user's keyboard). */
export interface Keyboard {
  kind: "inline" | "reply";
  /** The message carrying the keyboard. */
  messageId: number;
  rows: Button[][];
  /** Every button's label, row by row. */
  labels: string[];
  /** Every inline button's callback_data (URL buttons have none). */
  data: string[];
}

/** One thing the bot did in reaction to the user: a message, an edit, a deletion or a callback answer. */
export interface BotReply {
  /** The Bot API method, e.g. "sendMessage", "editMessageText", "answerCallbackQuery". */
  method: string;
  /** Whether the fake Bot API accepted the call (a 400 "can't parse entities" is a bug in the bot). */
  ok: boolean;
  /** Telegram's description when `ok` is false. */
  error: string | undefined;
  /** What the user reads: the text or caption after parse_mode (for answerCallbackQuery: its notification). */
  text: string | undefined;
  /** The message as Telegram stored it after this call (undefined for deletions, answers and failures). */
  message: Message | undefined;
  /** The keyboard sent with this call, if any. */
  keyboard: Keyboard | undefined;
  call: ApiCall;
}

/** Timing options of the driver. */
export interface ReplyOptions {
  /** How long the bot must stay silent in this chat for its reply to count as complete (default 250 ms: long enough on a loaded 2-core CI machine). */
  quietMs?: number;
  /** How long to wait for the first reaction (default 10 s). */
  timeoutMs?: number;
  /** Set false when the bot is expected to stay silent: waits `quietMs` and returns what came (maybe nothing). */
  expectReply?: boolean;
}

/** Methods that show the user something in a chat (sendChatAction is not a reply: a reply follows it). */
const REPLY_METHODS = [
  "sendMessage",
  "sendPhoto",
  "sendVideo",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendAnimation",
  "sendSticker",
  "sendVideoNote",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "sendMediaGroup",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
  "deleteMessage",
  "deleteMessages",
];
const REPLY_METHOD_SET = new Set(REPLY_METHODS);
const SEND_METHODS = new Set(REPLY_METHODS.filter((m) => !m.startsWith("edit") && !m.startsWith("delete")));

/**
 * Drives the bot like a Telegram user would, so end-to-end tests read like a chat:
 * `const replies = await chat.send("/start"); await chat.press(/Lapor/);`.
 * It looks at buttons and Bot API calls only, never at the bot's wording, so tests can choose how strictly
 * they check texts.
 */
export class UserChat {
  /** The chat the user talks in (their private chat with the bot, or a group). */
  readonly chat: Chat.PrivateChat | GroupChat;
  private cursor: number;

  constructor(
    readonly api: FakeBotApi,
    readonly user: User,
    private readonly options: ReplyOptions & { chat?: Chat.PrivateChat | GroupChat; threadId?: number } = {},
  ) {
    this.chat = options.chat ?? privateChatOf(user);
    this.cursor = api.mark();
  }

  /** Sends a text message (commands get their bot_command entity) and returns the bot's replies. */
  send(text: string, options: ReplyOptions & { replyTo?: Message } = {}): Promise<BotReply[]> {
    return this.sendUpdate(
      textMessage(this.user, text, {
        chat: this.chat,
        replyTo: options.replyTo,
        threadId: this.options.threadId,
      }),
      options,
    );
  }

  /** Sends a photo (optionally with a caption or a chosen file_id) and returns the bot's replies. */
  sendPhoto(options: ReplyOptions & { fileId?: string; caption?: string } = {}): Promise<BotReply[]> {
    return this.sendUpdate(
      photoMessage(this.user, { ...options, chat: this.chat, threadId: this.options.threadId }),
      options,
    );
  }

  /** Sends an album of `count` photos (one update each, one media_group_id) and returns the bot's replies. */
  async sendAlbum(count: number, options: ReplyOptions & { caption?: string } = {}): Promise<BotReply[]> {
    const mark = this.api.mark();
    const updates = mediaGroup(this.user, count, { caption: options.caption, chat: this.chat });
    for (const update of updates) this.api.pushUpdate(update);
    return this.collect(mark, options, () => false);
  }

  /** Sends a document and returns the bot's replies. */
  sendDocument(
    options: ReplyOptions & {
      fileId?: string;
      caption?: string;
      fileName?: string;
      mimeType?: string;
      fileSize?: number;
    } = {},
  ): Promise<BotReply[]> {
    return this.sendUpdate(documentMessage(this.user, { ...options, chat: this.chat }), options);
  }

  /** Sends a video and returns the bot's replies. */
  sendVideo(options: ReplyOptions & { fileId?: string; caption?: string } = {}): Promise<BotReply[]> {
    return this.sendUpdate(videoMessage(this.user, { ...options, chat: this.chat }), options);
  }

  /** Sends a voice note and returns the bot's replies. */
  sendVoice(options: ReplyOptions & { fileId?: string; duration?: number } = {}): Promise<BotReply[]> {
    return this.sendUpdate(voiceMessage(this.user, { ...options, chat: this.chat }), options);
  }

  /** Sends a sticker and returns the bot's replies. */
  sendSticker(options: ReplyOptions = {}): Promise<BotReply[]> {
    return this.sendUpdate(stickerMessage(this.user, { chat: this.chat }), options);
  }

  /** Shares a location and returns the bot's replies. */
  sendLocation(latitude: number, longitude: number, options: ReplyOptions = {}): Promise<BotReply[]> {
    return this.sendUpdate(locationMessage(this.user, latitude, longitude, { chat: this.chat }), options);
  }

  /**
   * Shares a contact and returns the bot's replies. Without arguments it is what Telegram sends when the user
   * presses a `request_contact` button: their own contact, with `user_id` set.
   */
  sendContact(
    contact: { phone?: string; firstName?: string; lastName?: string; userId?: number } = {},
    options: ReplyOptions = {},
  ): Promise<BotReply[]> {
    const own = contact.phone === undefined && contact.userId === undefined;
    return this.sendUpdate(
      contactMessage(
        this.user,
        {
          phone: contact.phone ?? `62812${String(this.user.id).padStart(7, "0").slice(-7)}`,
          firstName: contact.firstName ?? this.user.first_name,
          lastName: contact.lastName,
          userId: own ? this.user.id : contact.userId,
        },
        { chat: this.chat },
      ),
      options,
    );
  }

  /** Pushes any update and returns the bot's reactions in this chat. */
  async sendUpdate(update: NewUpdate, options: ReplyOptions = {}): Promise<BotReply[]> {
    const mark = this.api.mark();
    this.api.pushUpdate(update);
    return this.collect(mark, options, () => false);
  }

  /**
   * Presses an inline button on the bot's latest message that has an inline keyboard (or on `options.message`):
   * a string matches the button's label or callback_data exactly, a RegExp either of them. Returns the bot's
   * reactions: new messages, edits, deletions and the answerCallbackQuery call.
   */
  async press(
    button: string | RegExp,
    options: ReplyOptions & { message?: Message } = {},
  ): Promise<BotReply[]> {
    const message = options.message
      ? (this.api.message(options.message.chat.id, options.message.message_id) ?? options.message)
      : this.api
          .botMessages(this.chat.id)
          .reverse()
          .find((m) => inlineRows(m).length > 0);
    if (!message) {
      throw new Error(
        `Cannot press ${String(button)}: the bot has shown no inline keyboard in chat ${this.chat.id}`,
      );
    }
    const buttons = inlineRows(message).flat();
    const matches = (value: string | undefined): boolean =>
      value !== undefined && (typeof button === "string" ? value === button : button.test(value));
    const target = buttons.find((b) => matches(b.text)) ?? buttons.find((b) => matches(b.data));
    if (!target) {
      const shown = buttons.map((b) => (b.data ? `"${b.text}" (${b.data})` : `"${b.text}"`)).join(", ");
      throw new Error(
        `No button matching ${String(button)} on message ${message.message_id}; buttons: ${shown}`,
      );
    }
    if (target.data === undefined) {
      throw new Error(
        `Button "${target.text}" has no callback data (${target.url ? `it opens ${target.url}` : "not a callback button"})`,
      );
    }
    const mark = this.api.mark();
    const update = callbackQuery(this.user, target.data, message);
    const queryId = update.callback_query?.id;
    this.api.pushUpdate(update);
    return this.collect(
      mark,
      options,
      (call) => call.method === "answerCallbackQuery" && call.params.callback_query_id === queryId,
    );
  }

  /** Waits for further replies (e.g. after the bot's slow work) since the last collected ones. */
  waitForReplies(options: ReplyOptions = {}): Promise<BotReply[]> {
    return this.collect(this.cursor, options, () => false);
  }

  /** The bot's latest message in this chat that still exists, as it is now. */
  lastMessage(): Message | undefined {
    return this.api.botMessages(this.chat.id).at(-1);
  }

  /**
   * The keyboard the user sees last: the inline keyboard of the newest bot message that has one, or the reply
   * keyboard the bot sent, whichever came last; undefined if none (or the reply keyboard was removed).
   */
  lastKeyboard(): Keyboard | undefined {
    const sends = this.api
      .messagesTo(this.chat.id)
      .filter((c) => c.response?.ok && SEND_METHODS.has(c.method))
      .reverse();
    for (const call of sends) {
      for (const sent of [...call.messages].reverse()) {
        const current = this.api.message(this.chat.id, sent.message_id);
        if (current && inlineRows(current).length > 0)
          return keyboardOf("inline", current.message_id, inlineRows(current));
      }
      const reply = replyKeyboard(call.params.reply_markup);
      if (reply === null) return undefined;
      if (reply) return keyboardOf("reply", call.messages[0]?.message_id ?? 0, reply);
    }
    return undefined;
  }

  /** The reply keyboard currently shown (the last one sent and not removed), whatever inline keyboards came after. */
  replyKeyboard(): Keyboard | undefined {
    const sends = this.api
      .messagesTo(this.chat.id)
      .filter((c) => c.response?.ok)
      .reverse();
    for (const call of sends) {
      const reply = replyKeyboard(call.params.reply_markup);
      if (reply === null) return undefined;
      if (reply) return keyboardOf("reply", call.messages[0]?.message_id ?? 0, reply);
    }
    return undefined;
  }

  private isReply(call: ApiCall): boolean {
    if (!REPLY_METHOD_SET.has(call.method)) return false;
    return String(call.params.chat_id) === String(this.chat.id);
  }

  private async collect(
    after: number,
    options: ReplyOptions,
    alsoCounts: (call: ApiCall) => boolean,
  ): Promise<BotReply[]> {
    const quietMs = options.quietMs ?? this.options.quietMs ?? 250;
    const relevant = (): ApiCall[] =>
      this.api.calls
        .slice(after)
        .filter((c) => c.response !== undefined && (this.isReply(c) || alsoCounts(c)));
    if (options.expectReply ?? this.options.expectReply ?? true) {
      await this.api.waitForCall(
        [...REPLY_METHODS, "answerCallbackQuery"],
        (_, call) => this.isReply(call) || alsoCounts(call),
        { after, timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? 10_000 },
      );
    }
    for (;;) {
      const seen = relevant().length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (relevant().length === seen) break;
    }
    const calls = relevant();
    const last = calls.at(-1);
    this.cursor = Math.max(this.cursor, last ? last.index + 1 : after);
    return calls.flatMap(toReplies);
  }
}

function toReplies(call: ApiCall): BotReply[] {
  const response = call.response;
  const ok = response?.ok === true;
  const error = response && !response.ok ? response.description : undefined;
  const inline = inlineRows({ reply_markup: call.params.reply_markup } as Message);
  const reply = replyKeyboard(call.params.reply_markup);
  const keyboardFor = (messageId: number): Keyboard | undefined =>
    inline.length > 0
      ? keyboardOf("inline", messageId, inline)
      : reply
        ? keyboardOf("reply", messageId, reply)
        : undefined;
  if (ok && call.messages.length > 0) {
    return call.messages.map((message) => ({
      method: call.method,
      ok,
      error,
      text: message.text ?? message.caption,
      message,
      keyboard: keyboardFor(message.message_id),
      call,
    }));
  }
  const text = typeof call.params.text === "string" ? call.params.text : undefined;
  return [{ method: call.method, ok, error, text, message: undefined, keyboard: keyboardFor(0), call }];
}

function inlineRows(message: Pick<Message, "reply_markup">): Button[][] {
  const rows = (message.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows
    .filter((row): row is unknown[] => Array.isArray(row))
    .map((row) =>
      row.map((b) => {
        const button = b as Record<string, unknown>;
        const out: Button = { text: String(button.text ?? "") };
        if (typeof button.callback_data === "string") out.data = button.callback_data;
        if (typeof button.url === "string") out.url = button.url;
        return out;
      }),
    )
    .filter((row) => row.length > 0);
}

/** The rows of a reply keyboard; `null` when the markup removes the keyboard; undefined when not a reply keyboard. */
function replyKeyboard(markup: unknown): Button[][] | null | undefined {
  if (typeof markup !== "object" || markup === null) return undefined;
  const m = markup as Record<string, unknown>;
  if (m.remove_keyboard === true) return null;
  if (!Array.isArray(m.keyboard)) return undefined;
  return m.keyboard
    .filter((row): row is unknown[] => Array.isArray(row))
    .map((row) =>
      row.map((b) => {
        if (typeof b === "string") return { text: b };
        const button = b as Record<string, unknown>;
        const out: Button = { text: String(button.text ?? "") };
        if (button.request_contact === true) out.requestContact = true;
        if (button.request_location === true) out.requestLocation = true;
        return out;
      }),
    );
}

function keyboardOf(kind: Keyboard["kind"], messageId: number, rows: Button[][]): Keyboard {
  const buttons = rows.flat();
  return {
    kind,
    messageId,
    rows,
    labels: buttons.map((b) => b.text),
    data: buttons.flatMap((b) => (b.data === undefined ? [] : [b.data])),
  };
}
