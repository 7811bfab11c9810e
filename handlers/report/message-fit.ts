/**
 * Telegram's limit on a message: 4096 characters of its text after HTML parsing, counted in UTF-16 code units
 * (an emoji outside the Basic Multilingual Plane counts twice). https://core.telegram.org/bots/api#sendmessage
 */
export const MESSAGE_LIMIT = 4096;
/** Room kept under the limit for what is added around a fitted message (a hint before a review). */
const MARGIN = 400;

const ENTITY = /&(?:lt|gt|amp|quot);/g;

/** How long an HTML text is once Telegram has parsed it (tags dropped, the four entities one character each). */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, "").replace(ENTITY, "_").length;
}

/**
 * Cuts escaped text (no tags) to at most `max` visible characters, never inside an entity (`&amp;`) or a
 * surrogate pair, and adds "…".
 */
export function cutEscaped(escaped: string, max: number): string {
  let visible = 0;
  let index = 0;
  while (index < escaped.length && visible < max - 1) {
    const entity =
      escaped[index] === "&" ? /^&(?:lt|gt|amp|quot);/.exec(escaped.slice(index, index + 6)) : null;
    const step = entity ? entity[0].length : escaped.codePointAt(index)! > 0xffff ? 2 : 1;
    const width = entity ? 1 : step;
    if (visible + width > max - 1) break;
    visible += width;
    index += step;
  }
  return index >= escaped.length ? escaped : `${escaped.slice(0, index)}…`;
}

/** One answer of a message that may be shortened to fit: its escaped value and what to append when it is. */
export interface Shortenable {
  value: string;
  /**
   * Appended (after a space) to a value that was shortened, e.g. "(shortened; press Edit to see it all)"; a
   * function is called only when the value is shortened.
   */
  marker: string | (() => string);
}

/**
 * Shortens the longest values until `render(values)` fits in one message: the longest value first, to what the
 * excess allows but never below `floor` visible characters. Values containing markup are left whole. Returns the
 * values to render (unchanged when everything fits).
 */
export function fitValues(
  parts: readonly Shortenable[],
  render: (values: string[]) => string,
  floor = 160,
): string[] {
  const values = parts.map((part) => part.value);
  for (let round = 0; round < parts.length; round++) {
    const excess = visibleLength(render(values)) - (MESSAGE_LIMIT - MARGIN);
    if (excess <= 0) return values;
    let longest = -1;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value !== parts[i]!.value || value.includes("<")) continue;
      if (visibleLength(value) <= floor) continue;
      if (longest < 0 || visibleLength(value) > visibleLength(values[longest]!)) longest = i;
    }
    if (longest < 0) return values;
    const part = parts[longest]!;
    const marker = typeof part.marker === "function" ? part.marker() : part.marker;
    const room = Math.max(floor, visibleLength(part.value) - excess - visibleLength(marker) - 2);
    values[longest] = `${cutEscaped(part.value, room)} ${marker}`;
  }
  return values;
}

/**
 * Splits escaped text (no tags) into pieces of at most `max` visible characters, at line breaks where possible,
 * never inside an entity or a surrogate pair: for showing a long answer in full over several messages.
 */
export function splitEscaped(escaped: string, max = MESSAGE_LIMIT - MARGIN): string[] {
  const pieces: string[] = [];
  let rest = escaped;
  while (visibleLength(rest) > max) {
    const cut = cutEscaped(rest, max + 1);
    let head = cut.endsWith("…") ? cut.slice(0, -1) : cut;
    const lineBreak = head.lastIndexOf("\n");
    if (lineBreak > head.length / 2) head = head.slice(0, lineBreak);
    pieces.push(head);
    rest = rest.slice(head.length).replace(/^\n/, "");
  }
  if (rest !== "") pieces.push(rest);
  return pieces;
}
