import type { MessageEntity } from "grammy/types";

/**
 * Telegram's handling of `parse_mode` and message text, reproduced closely enough that a bot which would get
 * "can't parse entities" from Telegram gets it from the fake too: unescaped citizens' text in HTML or
 * MarkdownV2 is the most common bug of helpdesk bots (STYLE.md §5).
 * See https://core.telegram.org/bots/api#formatting-options
 */

/** Plain text and the entities Telegram derived from it. */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Thrown when Telegram would answer 400; `description` is Telegram's wording. */
export class FormattingError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = "FormattingError";
  }
}

/**
 * What Telegram stores for a text or caption: `entities` when given (then `parse_mode` is ignored), otherwise
 * the text parsed with `parseMode`; leading and trailing whitespace is stripped like Telegram does.
 */
export function formatText(
  raw: string,
  parseMode: unknown,
  entities: MessageEntity[] | undefined,
): FormattedText {
  let parsed: FormattedText;
  if (entities !== undefined && entities.length > 0) parsed = { text: raw, entities };
  else if (typeof parseMode === "string" && parseMode !== "") parsed = parseWithMode(raw, parseMode);
  else parsed = { text: raw, entities: [] };
  return trimFormatted(parsed);
}

function parseWithMode(raw: string, parseMode: string): FormattedText {
  switch (parseMode.toLowerCase()) {
    case "html":
      return parseHtml(raw);
    case "markdownv2":
      return parseMarkdownV2(raw);
    case "markdown":
      return parseLegacyMarkdown(raw);
    default:
      throw new FormattingError(`Bad Request: unsupported parse_mode "${parseMode}"`);
  }
}

function cantParse(reason: string): FormattingError {
  return new FormattingError(`Bad Request: can't parse entities: ${reason}`);
}

function byteOffset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index), "utf8");
}

function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const out: MessageEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(trimmed.length, e.offset + e.length - lead);
    if (end > start) out.push({ ...e, offset: start, length: end - start });
  }
  return { text: trimmed, entities: sortEntities(out) };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

// === HTML

const SIMPLE_HTML_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
};

interface OpenTag {
  name: string;
  start: number;
  entity: Record<string, unknown> | undefined;
}

const START_TAG =
  /^<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/;
const END_TAG = /^<\/([a-zA-Z][a-zA-Z0-9-]*)?\s*>/;
const ATTRIBUTE = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
const HTML_ENTITY = /^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);/;

function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);/g, (_, name: string) =>
    decodeEntity(name),
  );
}

function decodeEntity(name: string): string {
  if (name === "lt") return "<";
  if (name === "gt") return ">";
  if (name === "amp") return "&";
  if (name === "quot") return '"';
  const code = name.startsWith("#x")
    ? Number.parseInt(name.slice(2), 16)
    : Number.parseInt(name.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
}

/** Parses Telegram's HTML subset; throws {@link FormattingError} with Telegram's wording where it would. */
export function parseHtml(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === "<") {
      const rest = input.slice(i);
      if (rest.startsWith("</")) {
        const m = END_TAG.exec(rest);
        if (!m) throw cantParse(`Unclosed end tag at byte offset ${byteOffset(input, i)}`);
        const name = (m[1] ?? "").toLowerCase();
        const open = stack.pop();
        if (!open) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(input, i)}`);
        if (name !== "" && name !== open.name) {
          throw cantParse(
            `Unmatched end tag at byte offset ${byteOffset(input, i)}, expected "</${open.name}>", found "</${name}>"`,
          );
        }
        const length = text.length - open.start;
        if (open.entity && length > 0) {
          entities.push({ ...open.entity, offset: open.start, length } as unknown as MessageEntity);
        }
        i += m[0].length;
        continue;
      }
      const m = START_TAG.exec(rest);
      if (!m) {
        const guess = /^<([^\s>]*)/.exec(rest)?.[1] ?? "";
        throw cantParse(`Unsupported start tag "${guess}" at byte offset ${byteOffset(input, i)}`);
      }
      const name = (m[1] ?? "").toLowerCase();
      const attributes = new Map<string, string>();
      for (const a of (m[2] ?? "").matchAll(ATTRIBUTE)) {
        attributes.set((a[1] ?? "").toLowerCase(), decodeHtmlEntities(a[2] ?? a[3] ?? a[4] ?? ""));
      }
      stack.push({ name, start: text.length, entity: htmlTagEntity(name, attributes, stack, input, i) });
      i += m[0].length;
      continue;
    }
    if (ch === "&") {
      const m = HTML_ENTITY.exec(input.slice(i, i + 12));
      if (m) {
        text += decodeEntity(m[1] ?? "");
        i += m[0].length;
        continue;
      }
    }
    text += ch;
    i += 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

function htmlTagEntity(
  name: string,
  attributes: Map<string, string>,
  stack: OpenTag[],
  input: string,
  index: number,
): Record<string, unknown> | undefined {
  const simple = SIMPLE_HTML_TAGS[name];
  if (name === "code" && stack.at(-1)?.name === "pre") {
    const language = attributes.get("class")?.replace(/^language-/, "");
    const pre = stack.at(-1)?.entity;
    if (pre && language) pre.language = language;
    return undefined;
  }
  if (simple) return { type: simple };
  switch (name) {
    case "span":
      if (attributes.get("class") !== "tg-spoiler") {
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(input, index)}`);
      }
      return { type: "spoiler" };
    case "a": {
      const href = attributes.get("href") ?? "";
      const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
      if (mention)
        return { type: "text_mention", user: { id: Number(mention[1]), is_bot: false, first_name: "" } };
      return href === "" ? undefined : { type: "text_link", url: href };
    }
    case "blockquote":
      return { type: attributes.has("expandable") ? "expandable_blockquote" : "blockquote" };
    case "tg-emoji":
      return { type: "custom_emoji", custom_emoji_id: attributes.get("emoji-id") ?? "" };
    default:
      throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(input, index)}`);
  }
}

// === MarkdownV2

const MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!";

interface OpenMarker {
  kind: "bold" | "italic" | "underline" | "strikethrough" | "spoiler" | "link" | "emoji";
  name: string;
  start: number;
  byte: number;
}

/** Parses MarkdownV2; throws {@link FormattingError} for unescaped reserved characters and unclosed entities. */
export function parseMarkdownV2(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: OpenMarker[] = [];
  let quote: { start: number; expandable: boolean } | undefined;
  let i = 0;
  const closeQuote = (): void => {
    if (!quote) return;
    let end = text.length;
    if (text.endsWith("\n")) end -= 1;
    if (end > quote.start) {
      entities.push({
        type: quote.expandable ? "expandable_blockquote" : "blockquote",
        offset: quote.start,
        length: end - quote.start,
      });
    }
    quote = undefined;
  };
  const toggle = (kind: OpenMarker["kind"], name: string, width: number): void => {
    const at = stack.findLastIndex((m) => m.kind === kind);
    if (at >= 0) {
      const [open] = stack.splice(at, 1);
      if (open && text.length > open.start) {
        entities.push({ type: kind, offset: open.start, length: text.length - open.start } as MessageEntity);
      }
    } else {
      stack.push({ kind, name, start: text.length, byte: byteOffset(input, i) });
    }
    i += width;
  };
  while (i < input.length) {
    const ch = input[i] ?? "";
    const atLineStart = i === 0 || input[i - 1] === "\n";
    if (atLineStart) {
      if (input.startsWith("**>", i)) {
        closeQuote();
        quote = { start: text.length, expandable: true };
        i += 3;
        continue;
      }
      if (ch === ">") {
        if (!quote) quote = { start: text.length, expandable: false };
        i += 1;
        continue;
      }
      if (quote && i > 0) closeQuote();
    }
    if (ch === "\\") {
      const next = input[i + 1];
      if (next !== undefined && next.charCodeAt(0) >= 1 && next.charCodeAt(0) <= 126) {
        text += next;
        i += 2;
        continue;
      }
      text += ch;
      i += 1;
      continue;
    }
    if (ch === "`") {
      const pre = input.startsWith("```", i);
      const open = i;
      let j = i + (pre ? 3 : 1);
      let language: string | undefined;
      if (pre) {
        const newline = input.indexOf("\n", j);
        const firstLine = newline >= 0 ? input.slice(j, newline) : "";
        if (newline >= 0 && /^[^\s`]+$/.test(firstLine)) {
          language = firstLine;
          j = newline + 1;
        } else if (newline === j) {
          j = newline + 1;
        }
      }
      let content = "";
      let closed = false;
      while (j < input.length) {
        const c = input[j];
        if (c === "\\" && j + 1 < input.length) {
          content += input[j + 1];
          j += 2;
          continue;
        }
        if (c === "`" && (!pre || input.startsWith("```", j))) {
          closed = true;
          j += pre ? 3 : 1;
          break;
        }
        content += c;
        j += 1;
      }
      if (!closed)
        throw cantParse(
          `Can't find end of ${pre ? "Pre" : "Code"} entity at byte offset ${byteOffset(input, open)}`,
        );
      const entity: MessageEntity = pre
        ? language
          ? { type: "pre", offset: text.length, length: content.length, language }
          : { type: "pre", offset: text.length, length: content.length }
        : { type: "code", offset: text.length, length: content.length };
      if (content.length > 0) entities.push(entity);
      text += content;
      i = j;
      continue;
    }
    if (ch === "*") {
      toggle("bold", "Bold", 1);
      continue;
    }
    if (ch === "_") {
      const italicOnTop = stack.at(-1)?.kind === "italic";
      const underlineOpen = stack.some((m) => m.kind === "underline");
      if (input[i + 1] === "_" && (underlineOpen || !italicOnTop)) toggle("underline", "Underline", 2);
      else toggle("italic", "Italic", 1);
      continue;
    }
    if (ch === "~") {
      toggle("strikethrough", "Strikethrough", 1);
      continue;
    }
    if (ch === "|" && input[i + 1] === "|") {
      if (quote?.expandable && (input[i + 2] === "\n" || i + 2 === input.length)) {
        i += 2;
        closeQuote();
        continue;
      }
      toggle("spoiler", "Spoiler", 2);
      continue;
    }
    if (ch === "[" || (ch === "!" && input[i + 1] === "[")) {
      const emoji = ch === "!";
      stack.push({
        kind: emoji ? "emoji" : "link",
        name: emoji ? "CustomEmoji" : "TextUrl",
        start: text.length,
        byte: byteOffset(input, i),
      });
      i += emoji ? 2 : 1;
      continue;
    }
    if (ch === "]") {
      const top = stack.at(-1);
      if (top && (top.kind === "link" || top.kind === "emoji") && input[i + 1] === "(") {
        let j = i + 2;
        let url = "";
        let closed = false;
        while (j < input.length) {
          const c = input[j];
          if (c === "\\" && j + 1 < input.length) {
            url += input[j + 1];
            j += 2;
            continue;
          }
          if (c === ")") {
            closed = true;
            j += 1;
            break;
          }
          url += c;
          j += 1;
        }
        if (!closed) throw cantParse(`Can't find end of a URL at byte offset ${byteOffset(input, i + 1)}`);
        stack.pop();
        const length = text.length - top.start;
        if (length > 0) {
          if (top.kind === "emoji") {
            const id = /[?&]id=(\d+)/.exec(url)?.[1] ?? "";
            entities.push({ type: "custom_emoji", offset: top.start, length, custom_emoji_id: id });
          } else {
            entities.push({ type: "text_link", offset: top.start, length, url });
          }
        }
        i = j;
        continue;
      }
    }
    if (MARKDOWN_V2_RESERVED.includes(ch)) {
      throw cantParse(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    }
    text += ch;
    i += 1;
  }
  const open = stack[0];
  if (open) throw cantParse(`Can't find end of ${open.name} entity at byte offset ${open.byte}`);
  closeQuote();
  return { text, entities: sortEntities(entities) };
}

// === Legacy Markdown

/** Parses legacy `Markdown`: *bold*, _italic_, `code`, ```pre```, [text](url); `\` escapes `_*[` and backquote. */
export function parseLegacyMarkdown(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? "";
    if (ch === "\\" && "_*`[".includes(input[i + 1] ?? " ")) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    const marker = input.startsWith("```", i)
      ? "```"
      : "*_`".includes(ch)
        ? ch
        : ch === "["
          ? "["
          : undefined;
    if (marker === undefined) {
      text += ch;
      i += 1;
      continue;
    }
    const start = i + marker.length;
    const endMarker = marker === "[" ? "]" : marker;
    const end = input.indexOf(endMarker, start);
    if (end < 0)
      throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
    let inner = input.slice(start, end);
    let next = end + endMarker.length;
    const offset = text.length;
    if (marker === "[") {
      const url = input[next] === "(" ? /^\(([^)]*)\)/.exec(input.slice(next)) : null;
      if (!url)
        throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
      next += url[0].length;
      if (inner.length > 0)
        entities.push({ type: "text_link", offset, length: inner.length, url: url[1] ?? "" });
    } else if (marker === "```") {
      const newline = inner.indexOf("\n");
      const language = newline > 0 ? inner.slice(0, newline) : "";
      if (language !== "" && /^\S+$/.test(language)) inner = inner.slice(newline + 1);
      if (inner.length > 0) {
        entities.push(
          language !== "" && /^\S+$/.test(language)
            ? { type: "pre", offset, length: inner.length, language }
            : { type: "pre", offset, length: inner.length },
        );
      }
    } else if (inner.length > 0) {
      const type = marker === "*" ? "bold" : marker === "_" ? "italic" : "code";
      entities.push({ type, offset, length: inner.length });
    }
    text += inner;
    i = next;
  }
  return { text, entities: sortEntities(entities) };
}
