import type { CallbackQuery, Chat, Message, MessageEntity, PhotoSize, Update, User } from "grammy/types";
import { botUser, DEFAULT_BOT_INFO } from "./bot-identity.ts";
import { newCallbackQueryId, newFileIds, nextMessageId, noteMessageId, uniqueIdFor } from "./telegram-ids.ts";

/**
 * Factories of updates in Telegram's real shapes, for {@link FakeBotApi.pushUpdate} (which assigns `update_id`)
 * and for flow tests with `bot.handleUpdate`. Message ids increase per chat and never collide with the ids the
 * fake Bot API gives the bot's messages.
 */

/** An update before `pushUpdate` gives it its `update_id`. */
export type NewUpdate = Omit<Update, "update_id"> & { update_id?: number };

/** A group or supergroup chat in which people (and the bot) talk. */
export type GroupChat = Chat.GroupChat | Chat.SupergroupChat;

/** Options common to the message factories. */
export interface MessageOptions {
  /** The chat the message is sent in (default: the user's private chat). */
  chat?: Chat.PrivateChat | GroupChat;
  /** The message this one replies to. */
  replyTo?: Message;
  /** A fixed message id (default: the chat's next id). */
  messageId?: number;
  /** Forum topic (message_thread_id) the message is in. */
  threadId?: number;
  /** Unix time in seconds (default: now). */
  date?: number;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** A Telegram user (not a bot). `languageCode` defaults to "id" (Indonesian). */
export function makeUser(
  id: number,
  options: { firstName?: string; lastName?: string; username?: string; languageCode?: string } = {},
): User {
  if (id <= 0) throw new Error(`user ids are positive, got ${id}`);
  const user: User = { id, is_bot: false, first_name: options.firstName ?? `Pengguna ${id}` };
  if (options.lastName) user.last_name = options.lastName;
  if (options.username) user.username = options.username;
  user.language_code = options.languageCode ?? "id";
  return user;
}

/** The private chat between a user and the bot (its id is the user's id). */
export function privateChatOf(user: User): Chat.PrivateChat {
  const chat: Chat.PrivateChat = { id: user.id, type: "private", first_name: user.first_name };
  if (user.last_name) chat.last_name = user.last_name;
  if (user.username) chat.username = user.username;
  return chat;
}

/** A supergroup (ids of supergroups look like -100xxxxxxxxxx); `isForum` turns topics on. */
export function supergroup(
  id: number,
  options: { title?: string; isForum?: boolean } = {},
): Chat.SupergroupChat {
  if (id >= 0) throw new Error(`group ids are negative, got ${id}`);
  const chat: Chat.SupergroupChat = { id, type: "supergroup", title: options.title ?? "Petugas Awasi" };
  if (options.isForum) chat.is_forum = true;
  return chat;
}

const COMMAND = /(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=$|[\s.,!?;:])/g;
const URL_PATTERN = /(?<=^|[\s(])(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]]/g;
const MENTION = /(?<=^|[^A-Za-z0-9_/])@[A-Za-z0-9_]{4,32}\b/g;
const HASHTAG = /(?<=^|[^\p{L}\p{N}_])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu;

/**
 * The entities Telegram's clients attach to plain text: bot_command (anywhere after whitespace, also
 * "/cmd@awasi_bot"), url, mention and hashtag; offsets and lengths in UTF-16 code units as Telegram counts.
 */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  const taken: Array<[number, number]> = [];
  const add = (type: "bot_command" | "url" | "mention" | "hashtag", pattern: RegExp): void => {
    for (const m of text.matchAll(pattern)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      found.push({ type, offset: start, length: m[0].length });
    }
  };
  add("bot_command", COMMAND);
  add("url", URL_PATTERN);
  add("mention", MENTION);
  add("hashtag", HASHTAG);
  return found.sort((a, b) => a.offset - b.offset);
}

function baseMessage(user: User, options: MessageOptions): Record<string, unknown> {
  const chat = options.chat ?? privateChatOf(user);
  let messageId = options.messageId;
  if (messageId === undefined) messageId = nextMessageId(chat.id);
  else noteMessageId(chat.id, messageId);
  const message: Record<string, unknown> = {
    message_id: messageId,
    from: user,
    chat,
    date: options.date ?? now(),
  };
  if (options.threadId !== undefined) {
    message.message_thread_id = options.threadId;
    if (chat.type === "supergroup" && chat.is_forum) message.is_topic_message = true;
  }
  if (options.replyTo) {
    const { reply_to_message: _nested, ...replied } = options.replyTo;
    message.reply_to_message = replied;
  }
  return message;
}

function messageUpdate(message: Record<string, unknown>): NewUpdate {
  return { message: message as unknown as Message & Update.NonChannel };
}

/** A text message; commands, links, mentions and hashtags get their entities like Telegram's clients set them. */
export function textMessage(user: User, text: string, options: MessageOptions = {}): NewUpdate {
  const message = baseMessage(user, options);
  message.text = text;
  const entities = detectEntities(text);
  if (entities.length > 0) message.entities = entities;
  return messageUpdate(message);
}

/** A text message in a group: `textMessage` with the group as chat. */
export function groupTextMessage(
  user: User,
  groupChat: GroupChat,
  text: string,
  options: Omit<MessageOptions, "chat"> = {},
): NewUpdate {
  return textMessage(user, text, { ...options, chat: groupChat });
}

/**
 * A press on an inline button: `message` is the bot's message the button was on (e.g. `call.messages[0]` or
 * `api.message(chatId, id)`); `data` is the button's callback_data.
 */
export function callbackQuery(user: User, data: string, message: Message): NewUpdate {
  const query: CallbackQuery = {
    id: newCallbackQueryId(),
    from: user,
    message: message as CallbackQuery["message"] & Message,
    chat_instance: `${-Math.abs(message.chat.id) * 7 + 13}`,
    data,
  };
  return { callback_query: query };
}

interface MediaOptions extends MessageOptions {
  fileId?: string;
  caption?: string;
  mediaGroupId?: string;
}

function fileIds(kind: Parameters<typeof newFileIds>[0], fileId: string | undefined) {
  return fileId ? { file_id: fileId, file_unique_id: uniqueIdFor(fileId) } : newFileIds(kind);
}

function withCaption(message: Record<string, unknown>, options: MediaOptions): void {
  if (options.caption !== undefined) {
    message.caption = options.caption;
    const entities = detectEntities(options.caption);
    if (entities.length > 0) message.caption_entities = entities;
  }
  if (options.mediaGroupId !== undefined) message.media_group_id = options.mediaGroupId;
}

/**
 * A photo as Telegram delivers it: several sizes, smallest first, each with its own ids; `fileId` (if given)
 * is the largest size's file_id.
 */
export function photoMessage(user: User, options: MediaOptions = {}): NewUpdate {
  const message = baseMessage(user, options);
  const sizes: PhotoSize[] = [
    { ...newFileIds("photo"), width: 90, height: 68, file_size: 1_534 },
    { ...newFileIds("photo"), width: 320, height: 240, file_size: 21_170 },
    { ...newFileIds("photo"), width: 800, height: 600, file_size: 80_412 },
    { ...fileIds("photo", options.fileId), width: 1280, height: 960, file_size: 148_806 },
  ];
  message.photo = sizes;
  withCaption(message, options);
  return messageUpdate(message);
}

/** A document (default a PDF named bukti.pdf). */
export function documentMessage(
  user: User,
  options: MediaOptions & { fileName?: string; mimeType?: string; fileSize?: number } = {},
): NewUpdate {
  const message = baseMessage(user, options);
  message.document = {
    ...fileIds("document", options.fileId),
    file_name: options.fileName ?? "bukti.pdf",
    mime_type: options.mimeType ?? "application/pdf",
    file_size: options.fileSize ?? 245_760,
  };
  withCaption(message, options);
  return messageUpdate(message);
}

/** A video (mp4, with a thumbnail). */
export function videoMessage(
  user: User,
  options: MediaOptions & { duration?: number; fileSize?: number } = {},
): NewUpdate {
  const message = baseMessage(user, options);
  message.video = {
    ...fileIds("video", options.fileId),
    width: 1280,
    height: 720,
    duration: options.duration ?? 12,
    mime_type: "video/mp4",
    file_size: options.fileSize ?? 3_145_728,
    thumbnail: { ...newFileIds("thumbnail"), width: 320, height: 180, file_size: 9_876 },
  };
  withCaption(message, options);
  return messageUpdate(message);
}

/** A voice note (ogg/opus). */
export function voiceMessage(
  user: User,
  options: MessageOptions & { fileId?: string; duration?: number } = {},
): NewUpdate {
  const message = baseMessage(user, options);
  message.voice = {
    ...fileIds("voice", options.fileId),
    duration: options.duration ?? 7,
    mime_type: "audio/ogg",
    file_size: 28_431,
  };
  return messageUpdate(message);
}

/** A sticker (something a bot usually cannot use as an answer). */
export function stickerMessage(
  user: User,
  options: MessageOptions & { fileId?: string; emoji?: string } = {},
): NewUpdate {
  const message = baseMessage(user, options);
  message.sticker = {
    ...fileIds("sticker", options.fileId),
    type: "regular",
    width: 512,
    height: 512,
    is_animated: false,
    is_video: false,
    emoji: options.emoji ?? "👍",
    set_name: "FakeStickers",
    file_size: 21_000,
  };
  return messageUpdate(message);
}

/** A location shared with Telegram's attachment menu. */
export function locationMessage(
  user: User,
  latitude: number,
  longitude: number,
  options: MessageOptions = {},
): NewUpdate {
  const message = baseMessage(user, options);
  message.location = { latitude, longitude };
  return messageUpdate(message);
}

/**
 * A shared contact. When a user presses a `request_contact` button Telegram sends their own contact with
 * `user_id` set to their id: pass `userId: user.id` for that case.
 */
export function contactMessage(
  user: User,
  contact: { phone: string; firstName: string; lastName?: string; userId?: number },
  options: MessageOptions = {},
): NewUpdate {
  const message = baseMessage(user, options);
  const c: Record<string, unknown> = { phone_number: contact.phone, first_name: contact.firstName };
  if (contact.lastName) c.last_name = contact.lastName;
  if (contact.userId !== undefined) c.user_id = contact.userId;
  message.contact = c;
  return messageUpdate(message);
}

let albumCounter = 0;

/** The updates of an album: several photos with one media_group_id, as Telegram sends them (one per update). */
export function mediaGroup(
  user: User,
  count: number,
  options: Omit<MediaOptions, "mediaGroupId"> = {},
): NewUpdate[] {
  albumCounter += 1;
  const mediaGroupId = `1350000000000${String(albumCounter).padStart(6, "0")}`;
  return Array.from({ length: count }, (_, i) =>
    photoMessage(user, {
      ...options,
      mediaGroupId,
      caption: i === 0 ? options.caption : undefined,
      fileId: undefined,
    }),
  );
}

/** A message edited by its author. */
export function editedTextMessage(original: Message, text: string): NewUpdate {
  const edited = { ...original, text, edit_date: now() } as Record<string, unknown>;
  const entities = detectEntities(text);
  if (entities.length > 0) edited.entities = entities;
  else delete edited.entities;
  return { edited_message: edited as unknown as Message & Update.Edited & Update.NonChannel };
}

type BotStatus = "member" | "administrator" | "left" | "kicked";

function botMemberUpdate(chat: Chat, by: User, from: BotStatus, to: BotStatus): NewUpdate {
  const bot = botUser(DEFAULT_BOT_INFO);
  const member = (status: BotStatus): Record<string, unknown> =>
    status === "administrator"
      ? {
          status,
          user: bot,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
          can_manage_topics: true,
          can_send_welcome_messages: false,
        }
      : status === "kicked"
        ? { status, user: bot, until_date: 0 }
        : { status, user: bot };
  return {
    my_chat_member: {
      chat,
      from: by,
      date: now(),
      old_chat_member: member(from),
      new_chat_member: member(to),
    } as unknown as Update["my_chat_member"],
  };
}

/** The bot added to a group by `byUser` (as a member, or directly as an administrator). */
export function myChatMemberAdded(
  groupChat: GroupChat,
  byUser: User,
  options: { asAdministrator?: boolean } = {},
): NewUpdate {
  return botMemberUpdate(groupChat, byUser, "left", options.asAdministrator ? "administrator" : "member");
}

/** The bot removed from a group by `byUser`. */
export function myChatMemberRemoved(groupChat: GroupChat, byUser: User): NewUpdate {
  return botMemberUpdate(groupChat, byUser, "member", "left");
}

/** A user blocked the bot (Telegram then answers sends to them with 403). */
export function botBlockedBy(user: User): NewUpdate {
  return botMemberUpdate(privateChatOf(user), user, "member", "kicked");
}

/** A user unblocked (restarted) the bot. */
export function botUnblockedBy(user: User): NewUpdate {
  return botMemberUpdate(privateChatOf(user), user, "kicked", "member");
}
