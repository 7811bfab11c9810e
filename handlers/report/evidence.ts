import type { Message } from "grammy/types";
import type { EvidenceItem } from "../../domain/report/draft.ts";
import { storableText } from "../../domain/report/storable-text.ts";

/**
 * The evidence a message carries, as Telegram file references (nothing is downloaded). Photos keep the largest
 * size Telegram made (recompressed, without EXIF: no GPS, no device); documents keep the original bytes, their
 * hidden data and their name, which is why a reporter who sends a picture as a file is offered to take it back.
 */
export function evidenceFromMessage(message: Message): EvidenceItem | undefined {
  const common = {
    mediaGroupId: message.media_group_id,
    caption: message.caption === undefined ? undefined : storableText(message.caption.slice(0, 1024)),
    // When the reporter sent it, for the receipt and the report form.
    receivedAt: message.date,
  };
  if (message.photo?.length) {
    const largest = message.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    return {
      kind: "PHOTO",
      fileId: largest.file_id,
      fileUniqueId: largest.file_unique_id,
      fileSize: largest.file_size,
      ...common,
    };
  }
  const file =
    (message.video && { kind: "VIDEO" as const, ...message.video }) ||
    (message.animation && { kind: "ANIMATION" as const, ...message.animation }) ||
    (message.document && { kind: "DOCUMENT" as const, ...message.document }) ||
    (message.voice && { kind: "VOICE" as const, ...message.voice }) ||
    (message.audio && { kind: "AUDIO" as const, ...message.audio }) ||
    (message.video_note && { kind: "VIDEO_NOTE" as const, ...message.video_note });
  if (!file) return undefined;
  return {
    kind: file.kind,
    fileId: file.file_id,
    fileUniqueId: file.file_unique_id,
    fileSize: file.file_size,
    fileName: "file_name" in file && file.file_name !== undefined ? storableText(file.file_name) : undefined,
    mimeType: "mime_type" in file && file.mime_type !== undefined ? storableText(file.mime_type) : undefined,
    ...common,
  };
}
