import { type Api, InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup, Message, MessageEntity } from "grammy/types";
import type { BroadcastContent } from "../../domain/broadcast/content.ts";
import type { Translate } from "../common/context.ts";

/** Where a copy goes besides the chat: a forum topic, a keyboard. */
export interface ContentExtras {
  reply_markup?: InlineKeyboardMarkup;
  message_thread_id?: number;
}

/**
 * The one-tap unsubscribe under every announcement, in the subscriber's language. Its callback data belongs to
 * the subscription feature (`sub:off`), which unsubscribes whoever presses it.
 */
export function unsubscribeKeyboard(t: Translate): InlineKeyboardMarkup {
  return new InlineKeyboard().text(t("subscription:buttons.unsubscribe"), "sub:off");
}

/**
 * Sends an announcement's content: the admin's text with its entities, or the media file with its caption and
 * caption entities. Entities are always passed (an empty list for plain text), so no parse mode ever applies and
 * a `<` or `&` in the admin's text arrives as typed. The preview in the staff group and the copies to
 * subscribers go through this one function, so the preview is exactly what subscribers receive.
 */
export function sendContent(
  api: Api,
  chatId: number | string,
  content: BroadcastContent,
  extras: ContentExtras = {},
): Promise<Message> {
  const entities = (list: unknown[] | undefined) => (list ?? []) as MessageEntity[];
  if (content.kind === "text") {
    return api.sendMessage(chatId, content.text, {
      ...extras,
      entities: entities(content.entities),
      ...(content.linkPreview ? { link_preview_options: content.linkPreview } : {}),
    });
  }
  const media = {
    ...extras,
    caption: content.caption,
    caption_entities: entities(content.captionEntities),
    ...(content.showCaptionAboveMedia ? { show_caption_above_media: true } : {}),
  };
  const spoiler = content.hasSpoiler ? { has_spoiler: true } : {};
  switch (content.kind) {
    case "photo":
      return api.sendPhoto(chatId, content.fileId, { ...media, ...spoiler });
    case "video":
      return api.sendVideo(chatId, content.fileId, { ...media, ...spoiler });
    case "animation":
      return api.sendAnimation(chatId, content.fileId, { ...media, ...spoiler });
    case "document":
      return api.sendDocument(chatId, content.fileId, media);
  }
}
