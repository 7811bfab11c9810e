import type { Translate } from "../common/context.ts";

/**
 * Interpolated texts of the report conversation whose values come from small sets (a step's number and the number
 * of steps, counts of evidence, days, labels of our own): i18next renders each once per locale, then it is
 * remembered. i18next's interpolation costs about 10 µs a call (bot/i18n.ts), and the progress line alone is on
 * every screen of the conversation; texts without values are already remembered by bot/i18n.ts.
 *
 * Never for a citizen's text (a search query, an answer): those would grow the memory without bound and are not
 * repeated anyway.
 */
const MAX_TEXTS_PER_LOCALE = 5_000;

const remembered = new WeakMap<Translate, Map<string, string>>();

/** `t(key, values)`, remembered per locale (each locale has its own translate function). */
export function cachedText(
  t: Translate,
  key: string,
  values: Readonly<Record<string, string | number>>,
): string {
  let texts = remembered.get(t);
  if (texts === undefined) {
    texts = new Map();
    remembered.set(t, texts);
  }
  let id = key;
  for (const name in values) id += `\u0000${name}\u0000${values[name]}`;
  let text = texts.get(id);
  if (text === undefined) {
    text = t(key, values);
    if (texts.size < MAX_TEXTS_PER_LOCALE) texts.set(id, text);
  }
  return text;
}
