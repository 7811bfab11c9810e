import { storableText } from "../../domain/report/storable-text.ts";

/**
 * Escapes text for Telegram's HTML parse mode, which knows only `&lt;`, `&gt;`, `&amp;` and `&quot;`.
 * Every bot message is sent as HTML, and i18next escapes interpolated values with this function, so a
 * citizen's `<` or `&` can never break or forge a message. https://core.telegram.org/bots/api#html-style
 * NUL characters and lone surrogates (half an emoji, e.g. of a text cut short) are dropped: Telegram refuses a
 * message that is not valid UTF-8.
 */
export function escapeHtml(text: string): string {
  return storableText(text).replace(/[&<>"]/g, (char) => HTML_ESCAPES[char as keyof typeof HTML_ESCAPES]);
}

const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
