import { z } from "zod";

/**
 * What an announcement says: the admin's own message, kept as Telegram gave it to the bot (text and its
 * formatting entities, or a media file id with caption and caption entities), so that every subscriber gets the
 * same formatting the admin wrote, without any HTML or Markdown re-parsing. File ids of the bot's own updates
 * can be sent again by the same bot (https://core.telegram.org/bots/api#sending-files), so nothing is uploaded.
 */

const entitySchema = z.looseObject({
  type: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(1),
});

/** A Telegram MessageEntity (stored as received; only the fields every entity has are checked). */
export type ContentEntity = z.infer<typeof entitySchema>;

export const MEDIA_KINDS = ["photo", "video", "document", "animation"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

const textContent = z.object({
  kind: z.literal("text"),
  text: z.string().min(1).max(4096),
  entities: z.array(entitySchema).optional(),
  /** The link preview as the admin chose it (Telegram reports it on the message). */
  linkPreview: z.looseObject({ is_disabled: z.boolean().optional() }).optional(),
});

const mediaContent = z.object({
  kind: z.enum(MEDIA_KINDS),
  fileId: z.string().min(1),
  caption: z.string().max(1024).optional(),
  captionEntities: z.array(entitySchema).optional(),
  hasSpoiler: z.boolean().optional(),
  showCaptionAboveMedia: z.boolean().optional(),
});

export const broadcastContentSchema = z.discriminatedUnion("kind", [textContent, mediaContent]);

/** Text with entities, or one photo, video, document or animation (GIF) with an optional caption. */
export type BroadcastContent = z.infer<typeof broadcastContentSchema>;

/** The parts of an incoming Telegram message the composer reads (structurally a grammY `Message`). */
export interface IncomingContentMessage {
  text?: string;
  entities?: readonly ContentEntity[];
  link_preview_options?: { is_disabled?: boolean };
  caption?: string;
  caption_entities?: readonly ContentEntity[];
  photo?: ReadonlyArray<{ file_id: string }>;
  video?: { file_id: string };
  document?: { file_id: string };
  animation?: { file_id: string };
  has_media_spoiler?: true;
  show_caption_above_media?: boolean;
  media_group_id?: string;
}

/** Why a message cannot be an announcement. */
export type ContentRejection = "album" | "unsupported";

/**
 * Reads the content of an announcement from the admin's message. An album (several updates sharing a
 * `media_group_id`) is refused: a media group cannot carry the one-tap unsubscribe button.
 *
 * @example contentFromMessage({ text: "Tegas!", entities: [{ type: "bold", offset: 0, length: 5 }] })
 * // → { ok: true, content: { kind: "text", text: "Tegas!", entities: [...] } }
 */
export function contentFromMessage(
  message: IncomingContentMessage,
): { ok: true; content: BroadcastContent } | { ok: false; reason: ContentRejection } {
  if (message.media_group_id !== undefined) return { ok: false, reason: "album" };
  if (message.text !== undefined) {
    const content: BroadcastContent = { kind: "text", text: message.text };
    if (message.entities?.length) content.entities = [...message.entities];
    if (message.link_preview_options) content.linkPreview = { ...message.link_preview_options };
    return { ok: true, content };
  }
  // The last photo size is the largest; Telegram picks the right size for each client from that file.
  const media: Array<[MediaKind, string | undefined]> = [
    ["photo", message.photo?.at(-1)?.file_id],
    ["animation", message.animation?.file_id],
    ["video", message.video?.file_id],
    ["document", message.document?.file_id],
  ];
  // An animation also arrives with a `document` field: take it as the animation it is (checked before).
  const found = media.find(([, fileId]) => fileId !== undefined);
  if (!found) return { ok: false, reason: "unsupported" };
  const [kind, fileId] = found;
  const content: BroadcastContent = { kind, fileId: fileId! };
  if (message.caption) content.caption = message.caption;
  if (message.caption_entities?.length) content.captionEntities = [...message.caption_entities];
  if (message.has_media_spoiler) content.hasSpoiler = true;
  if (message.show_caption_above_media) content.showCaptionAboveMedia = true;
  return { ok: true, content };
}

/** Reads stored content back; throws when the JSON is not a {@link BroadcastContent}. */
export function parseBroadcastContent(value: unknown): BroadcastContent {
  return broadcastContentSchema.parse(value);
}

/** The text a reader sees first: the text, or the caption (may be empty for media without caption). */
export function contentText(content: BroadcastContent): string {
  return content.kind === "text" ? content.text : (content.caption ?? "");
}

/**
 * A plain excerpt of the content for a short mention (the reporter's follow-up): at most `max` characters,
 * cut at a word boundary when one is near, with an ellipsis when shortened. No formatting is kept.
 */
export function contentExcerpt(content: BroadcastContent, max = 200): string {
  const text = contentText(content).replace(/\s+/g, " ").trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
