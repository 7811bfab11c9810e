import type { Chat, Message, MessageEntity, ResponseParameters, Update } from "grammy/types";

/**
 * What Telegram checks and how it shapes objects, as the fake Bot API reproduces it: errors with Telegram's
 * wording, chat member shapes, keyboard validation. Pure functions, no server state.
 */

/** Statuses {@link FakeBotApi.setChatMember} accepts. */
export type MemberStatus = "creator" | "administrator" | "member" | "restricted" | "left" | "kicked";

/** A Bot API error the fake answers with; `error_code` becomes the HTTP status, as with Telegram. */
export class ApiFailure extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

/** Telegram's 400 with its "Bad Request: " prefix. */
export function badRequest(what: string): ApiFailure {
  return new ApiFailure(400, `Bad Request: ${what}`);
}

/** Telegram's wording when an edit changes nothing (bots usually match "message is not modified"). */
export const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/** Update types Telegram does not send unless `allowed_updates` names them. */
export const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

/** Bot API methods the fake knows by name (Telegram's method names are case-insensitive). */
export const KNOWN_METHODS = [
  "getMe",
  "logOut",
  "close",
  "getUpdates",
  "setWebhook",
  "deleteWebhook",
  "getWebhookInfo",
  "sendMessage",
  "forwardMessage",
  "forwardMessages",
  "copyMessage",
  "copyMessages",
  "sendPhoto",
  "sendAudio",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendVoice",
  "sendVideoNote",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "sendSticker",
  "sendChatAction",
  "getFile",
  "leaveChat",
  "getChat",
  "getChatAdministrators",
  "getChatMemberCount",
  "getChatMember",
  "createForumTopic",
  "editForumTopic",
  "closeForumTopic",
  "reopenForumTopic",
  "deleteForumTopic",
  "pinChatMessage",
  "unpinChatMessage",
  "unpinAllChatMessages",
  "answerCallbackQuery",
  "setMyCommands",
  "deleteMyCommands",
  "getMyCommands",
  "setChatMenuButton",
  "getChatMenuButton",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
  "deleteMessage",
  "deleteMessages",
  "setMyDescription",
  "setMyShortDescription",
  "setMyName",
  "setMessageReaction",
];
/** Lower-case method name → Telegram's spelling. */
export const CANONICAL_METHOD = new Map(KNOWN_METHODS.map((m) => [m.toLowerCase(), m]));

/** The kind of an update ("message", "callback_query"…): its only field besides update_id. */
export function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
}

/** The value as a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Equality as Telegram sees it: same JSON, with null and undefined alike. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Undefined for no entities: Telegram omits empty entity lists. */
export function normaliseEntities(entities: MessageEntity[] | undefined): MessageEntity[] | undefined {
  return entities && entities.length > 0 ? entities : undefined;
}

/** The inline keyboard of a reply_markup, as Message.reply_markup holds it (other markups are not echoed). */
export function inlineMarkup(markup: unknown): Message["reply_markup"] {
  const m = asRecord(markup);
  const rows = m?.inline_keyboard;
  return Array.isArray(rows) && rows.some((r) => Array.isArray(r) && r.length > 0)
    ? (m as unknown as Message["reply_markup"])
    : undefined;
}

/** A ChatMember of the given status without its `user`, with the rights Telegram reports for it. */
export function memberOf(status: MemberStatus): Record<string, unknown> {
  switch (status) {
    case "creator":
      return { status, is_anonymous: false };
    case "administrator":
      return {
        status,
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
      };
    case "restricted":
      return {
        status,
        is_member: true,
        can_send_messages: false,
        can_send_audios: false,
        can_send_documents: false,
        can_send_photos: false,
        can_send_videos: false,
        can_send_video_notes: false,
        can_send_voice_notes: false,
        can_send_polls: false,
        can_send_other_messages: false,
        can_add_web_page_previews: false,
        can_change_info: false,
        can_invite_users: false,
        can_pin_messages: false,
        can_manage_topics: false,
        until_date: 0,
      };
    case "kicked":
      return { status, until_date: 0 };
    default:
      return { status };
  }
}

/** Key of a command list: setMyCommands keeps one list per scope and language code. */
export function commandKey(scope: unknown, languageCode: unknown): string {
  const s = asRecord(scope) ?? { type: "default" };
  const ordered = Object.fromEntries(Object.entries(s).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(ordered)}|${typeof languageCode === "string" ? languageCode : ""}`;
}

/** The Chat object Telegram puts into a message (no full-info fields). */
export function chatSnapshot(chat: Chat): Chat {
  const { id, type } = chat;
  if (type === "private") {
    return {
      id,
      type,
      first_name: chat.first_name,
      ...(chat.last_name ? { last_name: chat.last_name } : {}),
      ...(chat.username ? { username: chat.username } : {}),
    };
  }
  const out: Record<string, unknown> = { id, type, title: chat.title };
  if (chat.username) out.username = chat.username;
  if (chat.is_forum) out.is_forum = true;
  return out as unknown as Chat;
}

/** A message as it appears in `reply_to_message` (Telegram does not nest replies). */
export function stripReply(message: Message): Message {
  const { reply_to_message: _omit, ...rest } = message;
  return rest as Message;
}

/** Validated latitude and longitude parameters. */
export function latLon(p: Record<string, unknown>): { latitude: number; longitude: number } {
  const latitude = Number(p.latitude);
  const longitude = Number(p.longitude);
  if (!Number.isFinite(latitude) || Math.abs(latitude) > 90) throw badRequest("wrong latitude specified");
  if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) throw badRequest("wrong longitude specified");
  return { latitude, longitude };
}

/** A MIME type from a file name, as Telegram guesses it for documents. */
export function mimeOf(fileName: string | undefined): string {
  const ext = fileName?.split(".").pop()?.toLowerCase();
  const types: Record<string, string> = {
    pdf: "application/pdf",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    png: "image/png",
    mp4: "video/mp4",
    csv: "text/csv",
    txt: "text/plain",
    json: "application/json",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  };
  return (ext && types[ext]) || "application/octet-stream";
}

/** Every file a message carries (all photo sizes, document, video…). */
export function filesOf(
  message: Message,
): Array<{ file_id: string; file_unique_id: string; file_size?: number }> {
  const m = message as unknown as Record<string, unknown>;
  const out: Array<{ file_id: string; file_unique_id: string; file_size?: number }> = [];
  const add = (value: unknown): void => {
    const f = asRecord(value);
    if (f && typeof f.file_id === "string" && typeof f.file_unique_id === "string") {
      out.push({
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        file_size: Number(f.file_size ?? 2048),
      });
    }
  };
  if (Array.isArray(m.photo)) for (const size of m.photo) add(size);
  for (const field of ["document", "video", "voice", "audio", "animation", "sticker", "video_note"])
    add(m[field]);
  return out;
}

/**
 * Checks an inline keyboard the way Telegram does where bots often go wrong: callback data of 1–64 bytes,
 * exactly one action per button, non-empty labels.
 */
export function validateReplyMarkup(markup: unknown): void {
  const m = asRecord(markup);
  if (!m) return;
  if (m.inline_keyboard === undefined) return;
  if (!Array.isArray(m.inline_keyboard))
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  for (const row of m.inline_keyboard) {
    if (!Array.isArray(row))
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const b of row) {
      const button = asRecord(b) ?? {};
      if (typeof button.text !== "string" || button.text.trim() === "") throw badRequest("BUTTON_TEXT_EMPTY");
      const actions = [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
      ].filter((k) => button[k] !== undefined);
      if (actions.length === 0) {
        throw badRequest(
          "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        );
      }
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data), "utf8");
        if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
      }
      if (typeof button.url === "string") {
        try {
          new URL(button.url);
        } catch {
          throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
        }
      }
    }
  }
}
