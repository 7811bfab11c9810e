import type { MessageEntity } from "grammy/types";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { FormattingError, formatText } from "../support/telegram-formatting.ts";

/**
 * Would Telegram accept this call? The fake Bot API already refuses what Telegram refuses most often (bad HTML,
 * long texts, 64-byte callback data); this adds what the fake lets through: parameters the Bot API requires,
 * caption and callback-answer lengths on every method, and strings that are not valid UTF-16 (Telegram wants
 * UTF-8, and a lone surrogate cannot be encoded). Returns what is wrong, empty when the call is fine.
 */
export function problemsOf(call: ApiCall): string[] {
  const problems: string[] = [];
  const p = call.params;
  const required = REQUIRED[call.method];
  if (!required) problems.push(`${call.method}: a method this checker does not know (add it to REQUIRED)`);
  else {
    for (const alternatives of required) {
      const names = alternatives.split("|");
      if (!names.some((name) => present(p, name)))
        problems.push(`${call.method}: required parameter ${alternatives} is missing`);
    }
  }
  if (call.method.startsWith("edit") && !present(p, "inline_message_id")) {
    if (!present(p, "chat_id") || !present(p, "message_id"))
      problems.push(`${call.method}: chat_id and message_id (or inline_message_id) are required`);
  }
  if (typeof p.text === "string" && call.method !== "answerCallbackQuery") {
    const text = visible(p.text, p.parse_mode, p.entities, problems, call.method);
    if (text !== undefined && text.length > 4096)
      problems.push(`${call.method}: text of ${text.length} > 4096`);
    if (text !== undefined && text.trim() === "") problems.push(`${call.method}: empty text`);
  }
  if (typeof p.caption === "string") {
    const caption = visible(p.caption, p.parse_mode, p.caption_entities, problems, call.method);
    if (caption !== undefined && caption.length > 1024)
      problems.push(`${call.method}: caption of ${caption.length} > 1024`);
  }
  if (call.method === "answerCallbackQuery" && typeof p.text === "string" && p.text.length > 200)
    problems.push(`answerCallbackQuery: notification text of ${p.text.length} > 200`);
  if (call.method === "sendMediaGroup") {
    const media = Array.isArray(p.media) ? p.media : [];
    if (media.length < 2 || media.length > 10)
      problems.push(`sendMediaGroup: ${media.length} items, not 2–10`);
    for (const item of media) {
      const caption = (item as { caption?: unknown }).caption;
      if (typeof caption === "string") {
        const item_ = item as { parse_mode?: unknown; caption_entities?: MessageEntity[] };
        const text = visible(caption, item_.parse_mode, item_.caption_entities, problems, call.method);
        if (text !== undefined && text.length > 1024)
          problems.push(`sendMediaGroup: caption of ${text.length} > 1024`);
      }
    }
  }
  checkMarkup(p.reply_markup, problems, call.method);
  for (const path of malformedStrings(p))
    problems.push(`${call.method}: ${path} is not valid UTF-16 (a lone surrogate)`);
  if (call.response && !call.response.ok && !HARMLESS.test(call.response.description))
    problems.push(`${call.method} refused: ${call.response.error_code} ${call.response.description}`);
  return problems;
}

/**
 * Refusals that change nothing for the user: an edit to what the message already shows (a button pressed twice,
 * the same page of a list again). The bot ignores them; the message is as it should be.
 */
const HARMLESS = /message is not modified/;

/** Parameters each method needs; `a|b` means either. */
const REQUIRED: Record<string, string[]> = {
  getMe: [],
  getUpdates: [],
  deleteWebhook: [],
  setWebhook: ["url"],
  setMyCommands: ["commands"],
  deleteMyCommands: [],
  sendMessage: ["chat_id", "text"],
  sendPhoto: ["chat_id", "photo"],
  sendVideo: ["chat_id", "video"],
  sendDocument: ["chat_id", "document"],
  sendVoice: ["chat_id", "voice"],
  sendAudio: ["chat_id", "audio"],
  sendAnimation: ["chat_id", "animation"],
  sendVideoNote: ["chat_id", "video_note"],
  sendSticker: ["chat_id", "sticker"],
  sendMediaGroup: ["chat_id", "media"],
  sendLocation: ["chat_id", "latitude", "longitude"],
  sendVenue: ["chat_id", "latitude", "longitude", "title", "address"],
  sendContact: ["chat_id", "phone_number", "first_name"],
  sendChatAction: ["chat_id", "action"],
  copyMessage: ["chat_id", "from_chat_id", "message_id"],
  copyMessages: ["chat_id", "from_chat_id", "message_ids"],
  forwardMessage: ["chat_id", "from_chat_id", "message_id"],
  editMessageText: ["text"],
  editMessageCaption: [],
  editMessageReplyMarkup: [],
  editMessageMedia: ["media"],
  deleteMessage: ["chat_id", "message_id"],
  deleteMessages: ["chat_id", "message_ids"],
  answerCallbackQuery: ["callback_query_id"],
  leaveChat: ["chat_id"],
  getChat: ["chat_id"],
  getChatMember: ["chat_id", "user_id"],
  getChatAdministrators: ["chat_id"],
  pinChatMessage: ["chat_id", "message_id"],
  unpinChatMessage: ["chat_id"],
  createForumTopic: ["chat_id", "name"],
  deleteForumTopic: ["chat_id", "message_thread_id"],
  getFile: ["file_id"],
};

function present(p: Record<string, unknown>, name: string): boolean {
  const value = p[name];
  return value !== undefined && value !== null && value !== "";
}

/** The text as the user would read it, or undefined (and a problem) when Telegram could not parse it. */
function visible(
  raw: string,
  parseMode: unknown,
  entities: unknown,
  problems: string[],
  method: string,
): string | undefined {
  try {
    return formatText(raw, parseMode, entities as MessageEntity[] | undefined).text;
  } catch (error) {
    if (error instanceof FormattingError) {
      problems.push(`${method}: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}

function checkMarkup(markup: unknown, problems: string[], method: string): void {
  if (typeof markup !== "object" || markup === null) return;
  const m = markup as Record<string, unknown>;
  const rows = Array.isArray(m.inline_keyboard)
    ? m.inline_keyboard
    : Array.isArray(m.keyboard)
      ? m.keyboard
      : [];
  for (const row of rows as unknown[]) {
    for (const button of Array.isArray(row) ? row : []) {
      const b = (typeof button === "string" ? { text: button } : button) as Record<string, unknown>;
      if (typeof b.text !== "string" || b.text.trim() === "")
        problems.push(`${method}: a button without a label`);
      if (typeof b.text === "string" && b.text.length > 4096)
        problems.push(`${method}: a button label over 4096`);
      if (b.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(b.callback_data), "utf8");
        if (bytes < 1 || bytes > 64)
          problems.push(`${method}: callback_data of ${bytes} bytes (1–64 allowed)`);
      }
    }
  }
}

/** Paths of string values (deep) that hold a lone surrogate. */
function malformedStrings(value: unknown, path = "params"): string[] {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => malformedStrings(item, `${path}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([key, item]) => malformedStrings(item, `${path}.${key}`));
  return [];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
