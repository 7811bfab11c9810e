/**
 * Identifiers that Telegram hands out, shared by the update factories and the fake Bot API so that ids never
 * collide inside one test process: a chat's message ids form one increasing sequence whether the user or the
 * bot sent the message, as in a real chat. Deterministic counters, no randomness.
 */

const lastMessageIds = new Map<number, number>();
let fileCounter = 0;
let callbackCounter = 0;

/** The next message id in a chat (1, 2, 3… per chat, shared by users' and the bot's messages). */
export function nextMessageId(chatId: number): number {
  const next = (lastMessageIds.get(chatId) ?? 0) + 1;
  lastMessageIds.set(chatId, next);
  return next;
}

/** Records that `messageId` exists in a chat, so that later ids come after it. */
export function noteMessageId(chatId: number, messageId: number): void {
  if (messageId > (lastMessageIds.get(chatId) ?? 0)) lastMessageIds.set(chatId, messageId);
}

/** Kinds of file Telegram distinguishes; the prefix of a real file_id differs per kind. */
export type FileKind =
  | "photo"
  | "document"
  | "video"
  | "voice"
  | "audio"
  | "animation"
  | "sticker"
  | "video_note"
  | "thumbnail";

const FILE_ID_PREFIX: Record<FileKind, string> = {
  photo: "AgACAgUAAxkBAAI",
  thumbnail: "AAMCAgUAAxkBAAI",
  document: "BQACAgUAAxkBAAI",
  video: "BAACAgUAAxkBAAI",
  voice: "AwACAgUAAxkBAAI",
  audio: "CQACAgUAAxkBAAI",
  animation: "CgACAgUAAxkBAAI",
  sticker: "CAACAgUAAxkBAAI",
  video_note: "DQACAgUAAxkBAAI",
};

/** A fresh `{ file_id, file_unique_id }` pair shaped like Telegram's (base64url, kind prefix), unique per process. */
export function newFileIds(kind: FileKind): { file_id: string; file_unique_id: string } {
  fileCounter += 1;
  const n = fileCounter.toString(36).padStart(6, "0");
  return { file_id: `${FILE_ID_PREFIX[kind]}${n}_fake${kind}`, file_unique_id: `AQAD${n}` };
}

/** A derived unique id for a file id that a test chose by hand. */
export function uniqueIdFor(fileId: string): string {
  let hash = 0;
  for (const ch of fileId) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `AQAD${hash.toString(36)}`;
}

/** A fresh callback query id (Telegram's are opaque numeric strings). */
export function newCallbackQueryId(): string {
  callbackCounter += 1;
  return `4${String(callbackCounter).padStart(18, "0")}`;
}
