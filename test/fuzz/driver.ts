import type { Chat, Message, Update, User } from "grammy/types";
import { botUser, DEFAULT_BOT_INFO } from "../support/bot-identity.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import type { InProcessBot } from "../support/in-process-bot.ts";
import { newCallbackQueryId, newFileIds, nextMessageId } from "../support/telegram-ids.ts";
import {
  callbackQuery,
  contactMessage,
  detectEntities,
  documentMessage,
  type GroupChat,
  locationMessage,
  type NewUpdate,
  photoMessage,
  privateChatOf,
  stickerMessage,
  textMessage,
  videoMessage,
  voiceMessage,
} from "../support/updates.ts";
import type { Action, MediaKind, OtherUpdateType, ServiceKind } from "./actions.ts";

let albumCounter = 0;
const now = () => Math.floor(Date.now() / 1000);
const botAsUser = botUser(DEFAULT_BOT_INFO);

/** A channel the bot is not in; posts from it must be ignored (or left). */
const CHANNEL: Chat.ChannelChat = { id: -1009876543210, type: "channel", title: "Kanal Hoaks" };

/**
 * One chat under fuzzing: the private chat of a citizen, or the staff group with its officers. Turns
 * {@link Action}s into updates in Telegram's shapes, based on what the chat shows at that moment, hands them to
 * the in-process bot, and remembers what the users sent (to edit and reply to it).
 */
export class Scene {
  /** Messages the users sent in this chat, oldest first. */
  readonly sent: Message[] = [];
  /** Button presses the bot never answered (Telegram's client shows a spinner until it does). */
  readonly unanswered: string[] = [];
  private topicId: number | undefined;

  constructor(
    readonly harness: InProcessBot,
    readonly chat: Chat.PrivateChat | GroupChat,
    /** actors[0] is the main user; the others act now and then in the same chat. */
    readonly actors: User[],
    /** A chat elsewhere whose buttons can be pressed from here (the staff group for a citizen, and back). */
    readonly elsewhere: () => { chatId: number; user: User } | undefined,
    /** Ticket codes that exist (forged data names them). */
    readonly codes: () => string[],
  ) {}

  get user(): User {
    return this.actors[0]!;
  }

  /** Applies one action: its updates, in order. Returns how many updates it made. */
  async apply(action: Action): Promise<number> {
    const updates = this.updatesFor(action);
    for (const update of updates) {
      // An anonymous administrator writes as the group (Telegram's GroupAnonymousBot in `from`).
      const message = update.message as Record<string, unknown> | undefined;
      if (message && (message.from as User | undefined)?.username === "GroupAnonymousBot")
        message.sender_chat = this.chat;
      await this.deliver(update);
    }
    return updates.length;
  }

  /** Hands an update to the bot and remembers the message a user sent. */
  async deliver(update: NewUpdate): Promise<Update> {
    const mark = this.harness.api.mark();
    const full = await this.harness.send(update);
    const query = full.callback_query;
    if (
      query &&
      !this.harness.api
        .callsTo("answerCallbackQuery", { after: mark })
        .some((call) => call.params.callback_query_id === query.id)
    )
      this.unanswered.push(`update ${full.update_id}: a press on "${query.data ?? query.game_short_name}"`);
    const message = full.message ?? full.edited_message;
    if (full.message && message?.chat.id === this.chat.id) this.sent.push(message);
    // Cards and answers reach the staff group at once there; a citizen's scene drains at its end.
    if (this.chat.type !== "private") await this.harness.drainStaffOutbox();
    return full;
  }

  /** A text message from the main user (commands get their entity). */
  text(text: string, options: { replyTo?: Message } = {}): Promise<Update> {
    return this.deliver(textMessage(this.user, text, { chat: this.chat, replyTo: options.replyTo }));
  }

  /** Presses the button with this callback data on the newest message showing it. */
  async pressData(data: string, user = this.user): Promise<ApiCall | undefined> {
    const message = this.botMessages()
      .reverse()
      .find((m) => buttonData(m).includes(data));
    if (!message) throw new Error(`no message in chat ${this.chat.id} shows a button with data "${data}"`);
    const mark = this.harness.api.mark();
    const update = await this.deliver(callbackQuery(user, data, message));
    return this.harness.api
      .callsTo("answerCallbackQuery", { after: mark })
      .find((call) => call.params.callback_query_id === update.callback_query?.id);
  }

  /** The bot's messages in this chat as they are now, oldest first. */
  botMessages(): Message[] {
    return this.harness.api.botMessages(this.chat.id);
  }

  /** The newest bot message with an inline keyboard. */
  latestKeyboard(): Message | undefined {
    return this.botMessages()
      .reverse()
      .find((m) => buttonData(m).length > 0);
  }

  private actor(action: Action): User {
    return this.actors[action.who % this.actors.length]!;
  }

  private base(user: User, extra: { threadId?: number; replyTo?: Message } = {}): Record<string, unknown> {
    const message: Record<string, unknown> = {
      message_id: nextMessageId(this.chat.id),
      from: user,
      chat: this.chat,
      date: now(),
    };
    if (extra.threadId !== undefined) {
      message.message_thread_id = extra.threadId;
      message.is_topic_message = true;
    }
    if (extra.replyTo) {
      const { reply_to_message: _nested, ...replied } = extra.replyTo;
      message.reply_to_message = replied;
    }
    return message;
  }

  private topic(): number {
    this.topicId ??= nextMessageId(this.chat.id);
    return this.topicId;
  }

  private updatesFor(action: Action): NewUpdate[] {
    const user = this.actor(action);
    const chat = this.chat;
    switch (action.kind) {
      case "text": {
        const candidates =
          action.replyTo === "bot" ? this.botMessages() : action.replyTo === "own" ? this.sent : [];
        const replyTo = candidates.length > 0 ? candidates[action.pick % candidates.length] : undefined;
        const threadId = action.inTopic && chat.type !== "private" ? this.topic() : undefined;
        return [textMessage(user, action.text, { chat, replyTo, threadId })];
      }
      case "command": {
        const text = `/${action.name}${action.suffix}${action.args ? ` ${action.args}` : ""}`;
        return [textMessage(user, text, { chat })];
      }
      case "press": {
        const message = this.latestKeyboard();
        const data = message ? buttonData(message) : [];
        if (!message || data.length === 0) return [textMessage(user, "/start", { chat })];
        return [callbackQuery(user, data[action.pick % data.length]!, message)];
      }
      case "pressStale": {
        // A button as it was first sent: the message may have been edited since, or its step passed.
        const sends = this.harness.api
          .messagesTo(chat.id)
          .filter((call) => call.response?.ok && call.messages.some((m) => buttonData(m).length > 0));
        if (sends.length === 0) return [];
        const call = sends[sends.length - 1 - (action.back % sends.length)]!;
        const original = call.messages.find((m) => buttonData(m).length > 0)!;
        const data = buttonData(original);
        const current = this.harness.api.message(chat.id, original.message_id) ?? original;
        return [callbackQuery(user, data[action.pick % data.length]!, current)];
      }
      case "pressForged": {
        const codes = this.codes();
        const code = codes.length > 0 ? codes[action.pick % codes.length]! : "PU-ZZZZZZ";
        const data = action.data.replaceAll("{code}", code);
        return [this.forgedPress(user, data, action.on)];
      }
      case "pressElsewhere": {
        // A real button of another chat pressed by this chat's user (a card pressed by a citizen, or a citizen's
        // button pressed by an officer): Telegram only shows it to members of that chat, but the data is real.
        const other = this.elsewhere();
        if (!other) return [];
        const messages = this.harness.api.botMessages(other.chatId).filter((m) => buttonData(m).length > 0);
        const message = messages.at(-1 - (action.pick % Math.max(1, messages.length)));
        if (!message) return [];
        const data = buttonData(message);
        return [callbackQuery(user, data[action.pick % data.length]!, message)];
      }
      case "replyKeyboard": {
        const keyboard = this.replyKeyboard();
        if (!keyboard || keyboard.length === 0) return [textMessage(user, "", { chat })];
        const button = keyboard[action.pick % keyboard.length]!;
        if (button.request_location) return [locationMessage(user, -6.2088, 106.8456, { chat })];
        if (button.request_contact)
          return [
            contactMessage(
              user,
              { phone: "6281234567890", firstName: user.first_name, userId: user.id },
              { chat },
            ),
          ];
        return [textMessage(user, button.text, { chat })];
      }
      case "edit": {
        if (this.sent.length === 0) return [];
        const original = this.sent[this.sent.length - 1 - (action.back % this.sent.length)]!;
        const edited: Record<string, unknown> = { ...original, edit_date: now() };
        if (original.text !== undefined || original.caption === undefined) {
          edited.text = action.text;
          const entities = detectEntities(action.text);
          if (entities.length > 0) edited.entities = entities;
          else delete edited.entities;
        } else edited.caption = action.text;
        return [{ edited_message: edited as unknown as Update["edited_message"] }];
      }
      case "media":
        return [this.media(user, action.media, action.caption, action.fileName)];
      case "album": {
        albumCounter += 1;
        const groupId = `1399${String(albumCounter).padStart(12, "0")}`;
        return Array.from({ length: action.count }, (_, i) => {
          const caption = i === 0 ? action.caption : undefined;
          const options = { chat, caption, mediaGroupId: groupId };
          return action.documents ? documentMessage(user, options) : photoMessage(user, options);
        });
      }
      case "contact":
        return [
          contactMessage(
            user,
            {
              phone: action.phone,
              firstName: action.firstName,
              userId: action.own ? user.id : user.id + 17,
            },
            { chat },
          ),
        ];
      case "location": {
        const update = locationMessage(user, action.latitude, action.longitude, { chat });
        if (action.live && update.message?.location) update.message.location.live_period = 900;
        return [update];
      }
      case "venue": {
        const message = this.base(user);
        const location = { latitude: -6.2253, longitude: 106.8507 };
        message.location = location;
        message.venue = {
          location,
          title: action.title || "Balai desa",
          address: action.address || "Jl. Raya 1",
        };
        return [{ message: message as unknown as Update["message"] }];
      }
      case "forward": {
        const message = this.base(user);
        message.text = action.text || "diteruskan";
        const date = now() - 3600;
        message.forward_origin =
          action.origin === "user"
            ? { type: "user", date, sender_user: { id: 777_001, is_bot: false, first_name: "Orang lain" } }
            : action.origin === "hidden_user"
              ? { type: "hidden_user", date, sender_user_name: "Tersembunyi" }
              : action.origin === "channel"
                ? { type: "channel", date, chat: CHANNEL, message_id: 42, author_signature: "Admin" }
                : {
                    type: "chat",
                    date,
                    sender_chat: { id: -1001111111111, type: "supergroup", title: "Grup" },
                  };
        return [{ message: message as unknown as Update["message"] }];
      }
      case "service":
        return [this.service(user, action.service)];
      case "membership":
        return this.membership(user, action.change);
      case "other":
        return [this.other(user, action.type, action.text)];
    }
  }

  private forgedPress(
    user: User,
    data: string,
    on: "latest" | "inaccessible" | "inline" | "foreignChat",
  ): NewUpdate {
    const latest = this.botMessages().at(-1);
    const chatInstance = String(-Math.abs(this.chat.id) * 7 + 13);
    const query: Record<string, unknown> = {
      id: newCallbackQueryId(),
      from: user,
      chat_instance: chatInstance,
    };
    if (data !== "") query.data = data;
    if (on === "inline" || !latest) {
      query.inline_message_id = `AgAAA${newCallbackQueryId()}`;
    } else if (on === "inaccessible") {
      query.message = { chat: this.chat, message_id: latest.message_id, date: 0 };
    } else if (on === "foreignChat") {
      const other = this.elsewhere();
      const message = other ? this.harness.api.botMessages(other.chatId).at(-1) : undefined;
      query.message = message ?? latest;
    } else {
      query.message = latest;
    }
    return { callback_query: query as unknown as Update["callback_query"] };
  }

  /** The reply keyboard the bot shows in this chat now (the last one sent and not removed). */
  private replyKeyboard():
    | Array<{ text: string; request_contact?: boolean; request_location?: boolean }>
    | undefined {
    const sends = this.harness.api.messagesTo(this.chat.id).filter((call) => call.response?.ok);
    for (const call of sends.reverse()) {
      const markup = call.params.reply_markup as Record<string, unknown> | undefined;
      if (!markup) continue;
      if (markup.remove_keyboard === true) return undefined;
      if (Array.isArray(markup.keyboard)) {
        return (markup.keyboard as unknown[][])
          .flat()
          .map((b) => (typeof b === "string" ? { text: b } : (b as { text: string })));
      }
    }
    return undefined;
  }

  private media(user: User, kind: MediaKind, caption: string | undefined, fileName: string): NewUpdate {
    const chat = this.chat;
    switch (kind) {
      case "photo":
        return photoMessage(user, { chat, caption });
      case "video":
        return videoMessage(user, { chat, caption });
      case "document":
        return documentMessage(user, { chat, caption, fileName, mimeType: "application/octet-stream" });
      case "voice":
        return voiceMessage(user, { chat });
      case "sticker":
        return stickerMessage(user, { chat });
      default:
        break;
    }
    const message = this.base(user);
    if (caption !== undefined) message.caption = caption;
    const file = (k: Parameters<typeof newFileIds>[0]) => newFileIds(k);
    switch (kind) {
      case "audio":
        message.audio = {
          ...file("audio"),
          duration: 200,
          title: fileName,
          performer: "Penyanyi",
          file_size: 4_000_000,
        };
        break;
      case "animation": {
        const animation = { ...file("animation"), width: 320, height: 240, duration: 3, file_name: "a.mp4" };
        message.animation = animation;
        message.document = animation; // Telegram sends a GIF as both, for old clients
        break;
      }
      case "video_note":
        delete message.caption;
        message.video_note = { ...file("video_note"), length: 240, duration: 9 };
        break;
      case "animatedSticker":
        delete message.caption;
        message.sticker = {
          ...file("sticker"),
          type: "regular",
          width: 512,
          height: 512,
          is_animated: true,
          is_video: false,
        };
        break;
      case "poll":
        delete message.caption;
        message.poll = {
          id: newCallbackQueryId(),
          question: fileName || "?",
          options: [
            { text: "Ya", voter_count: 0 },
            { text: "Tidak", voter_count: 0 },
          ],
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: "regular",
          allows_multiple_answers: false,
        };
        break;
      case "dice":
        delete message.caption;
        message.dice = { emoji: "🎲", value: 4 };
        break;
      case "story":
        delete message.caption;
        message.story = { chat: { id: 555_001, type: "private", first_name: "Orang" }, id: 7 };
        break;
      case "game":
        delete message.caption;
        message.game = {
          title: "Game",
          description: "d",
          photo: [{ ...file("photo"), width: 1, height: 1 }],
        };
        break;
      case "invoice":
        delete message.caption;
        message.invoice = {
          title: "T",
          description: "D",
          start_parameter: "s",
          currency: "IDR",
          total_amount: 100,
        };
        break;
      case "paidMedia":
        message.paid_media = { star_count: 5, paid_media: [{ type: "preview", width: 10, height: 10 }] };
        break;
    }
    return { message: message as unknown as Update["message"] };
  }

  private service(user: User, kind: ServiceKind): NewUpdate {
    const message = this.base(user);
    const stranger: User = { id: 888_001, is_bot: false, first_name: "Anggota baru" };
    switch (kind) {
      case "new_chat_members":
        message.new_chat_members = [stranger];
        break;
      case "left_chat_member":
        message.left_chat_member = stranger;
        break;
      case "new_chat_title":
        message.new_chat_title = "<b>judul</b>";
        break;
      case "pinned_message": {
        const pinned = this.botMessages().at(-1);
        message.pinned_message = pinned ?? { chat: this.chat, message_id: 1, date: 0 };
        break;
      }
      case "forum_topic_created":
        message.forum_topic_created = { name: "Topik", icon_color: 7322096 };
        message.message_thread_id = message.message_id;
        message.is_topic_message = true;
        break;
      case "forum_topic_closed":
        message.forum_topic_closed = {};
        break;
      case "general_forum_topic_hidden":
        message.general_forum_topic_hidden = {};
        break;
      case "write_access_allowed":
        message.write_access_allowed = { from_request: true };
        break;
      case "web_app_data":
        message.web_app_data = { data: "<script>", button_text: "Buka" };
        break;
      case "users_shared":
        message.users_shared = { request_id: 1, users: [{ user_id: 999 }] };
        break;
      case "video_chat_started":
        message.video_chat_started = {};
        break;
      case "message_auto_delete_timer_changed":
        message.message_auto_delete_timer_changed = { message_auto_delete_time: 86400 };
        break;
      case "migrate_to_chat_id":
        message.migrate_to_chat_id = -1002222222222;
        break;
    }
    return { message: message as unknown as Update["message"] };
  }

  private membership(
    user: User,
    change: "blockAndUnblock" | "memberJoins" | "memberLeaves" | "joinRequest",
  ): NewUpdate[] {
    const date = now();
    const stranger: User = { id: 888_002, is_bot: false, first_name: "Tamu" };
    if (change === "blockAndUnblock" && this.chat.type === "private") {
      const member = (status: string) => ({
        status,
        user: botAsUser,
        ...(status === "kicked" ? { until_date: 0 } : {}),
      });
      const update = (from: string, to: string): NewUpdate => ({
        my_chat_member: {
          chat: privateChatOf(user),
          from: user,
          date,
          old_chat_member: member(from),
          new_chat_member: member(to),
        } as unknown as Update["my_chat_member"],
      });
      return [update("member", "kicked"), update("kicked", "member")];
    }
    if (change === "joinRequest") {
      return [
        {
          chat_join_request: {
            chat: this.chat.type === "private" ? (this.elsewhereChat() ?? CHANNEL) : this.chat,
            from: stranger,
            user_chat_id: stranger.id,
            date,
          } as unknown as Update["chat_join_request"],
        },
      ];
    }
    const chat = this.chat.type === "private" ? (this.elsewhereChat() ?? CHANNEL) : this.chat;
    const joins = change === "memberJoins" || change === "blockAndUnblock";
    return [
      {
        chat_member: {
          chat,
          from: user,
          date,
          old_chat_member: { status: joins ? "left" : "member", user: stranger },
          new_chat_member: { status: joins ? "member" : "left", user: stranger },
        } as unknown as Update["chat_member"],
      },
    ];
  }

  private elsewhereChat(): Chat.SupergroupChat | undefined {
    const other = this.elsewhere();
    return other && other.chatId < 0 ? { id: other.chatId, type: "supergroup", title: "Grup" } : undefined;
  }

  private other(user: User, type: OtherUpdateType, text: string): NewUpdate {
    const date = now();
    const post = () => ({
      message_id: nextMessageId(CHANNEL.id),
      chat: CHANNEL,
      date,
      text: text || "kabar",
    });
    const ownMessage = this.sent.at(-1)?.message_id ?? 1;
    const poll = {
      id: newCallbackQueryId(),
      question: text || "?",
      options: [{ text: "A", voter_count: 1 }],
      total_voter_count: 1,
      is_closed: true,
      is_anonymous: false,
      type: "regular",
      allows_multiple_answers: false,
    };
    const updates: Record<OtherUpdateType, () => Record<string, unknown>> = {
      channel_post: () => ({ channel_post: post() }),
      edited_channel_post: () => ({ edited_channel_post: { ...post(), edit_date: date } }),
      inline_query: () => ({
        inline_query: { id: newCallbackQueryId(), from: user, query: text, offset: "" },
      }),
      chosen_inline_result: () => ({ chosen_inline_result: { result_id: "1", from: user, query: text } }),
      shipping_query: () => ({
        shipping_query: {
          id: newCallbackQueryId(),
          from: user,
          invoice_payload: text,
          shipping_address: {
            country_code: "ID",
            state: "",
            city: "Jakarta",
            street_line1: text,
            street_line2: "",
            post_code: "12810",
          },
        },
      }),
      pre_checkout_query: () => ({
        pre_checkout_query: {
          id: newCallbackQueryId(),
          from: user,
          currency: "IDR",
          total_amount: 1000,
          invoice_payload: text,
        },
      }),
      poll: () => ({ poll }),
      poll_answer: () => ({ poll_answer: { poll_id: poll.id, user, option_ids: [0] } }),
      message_reaction: () => ({
        message_reaction: {
          chat: this.chat,
          message_id: ownMessage,
          user,
          date,
          old_reaction: [],
          new_reaction: [{ type: "emoji", emoji: "👍" }],
        },
      }),
      message_reaction_count: () => ({
        message_reaction_count: {
          chat: this.chat,
          message_id: ownMessage,
          date,
          reactions: [{ type: { type: "emoji", emoji: "🔥" }, total_count: 3 }],
        },
      }),
      chat_boost: () => ({
        chat_boost: {
          chat: this.chat,
          boost: {
            boost_id: "b1",
            add_date: date,
            expiration_date: date + 86400,
            source: { source: "premium", user },
          },
        },
      }),
      removed_chat_boost: () => ({
        removed_chat_boost: {
          chat: this.chat,
          boost_id: "b1",
          remove_date: date,
          source: { source: "premium", user },
        },
      }),
      business_connection: () => ({
        business_connection: {
          id: "bc1",
          user,
          user_chat_id: user.id,
          date,
          can_reply: true,
          is_enabled: true,
        },
      }),
      business_message: () => ({
        business_message: {
          ...this.base(user),
          chat: privateChatOf(user),
          text,
          business_connection_id: "bc1",
        },
      }),
      edited_business_message: () => ({
        edited_business_message: {
          ...this.base(user),
          chat: privateChatOf(user),
          text,
          edit_date: date,
          business_connection_id: "bc1",
        },
      }),
      deleted_business_messages: () => ({
        deleted_business_messages: {
          business_connection_id: "bc1",
          chat: privateChatOf(user),
          message_ids: [ownMessage],
        },
      }),
      purchased_paid_media: () => ({ purchased_paid_media: { from: user, paid_media_payload: text } }),
      callback_game: () => ({
        callback_query: {
          id: newCallbackQueryId(),
          from: user,
          chat_instance: "1",
          game_short_name: "game",
          message: this.botMessages().at(-1) ?? { chat: this.chat, message_id: 1, date: 0 },
        },
      }),
      empty: () => ({}),
    };
    return updates[type]() as NewUpdate;
  }
}

/** Every callback_data of a message's inline keyboard. */
export function buttonData(message: Pick<Message, "reply_markup"> | undefined): string[] {
  return (message?.reply_markup?.inline_keyboard ?? [])
    .flat()
    .map((button) => ("callback_data" in button ? button.callback_data : undefined))
    .filter((data): data is string => data !== undefined);
}
