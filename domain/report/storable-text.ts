/**
 * A NUL character (a PostgreSQL text or JSON value refuses it) or half of a surrogate pair (a cut emoji: UTF-8
 * cannot encode it, so PostgreSQL and Redis would keep U+FFFD instead and Telegram refuses a message carrying it).
 * With the `u` flag a whole pair is one code point, so only lone halves match.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\uD800-\uDFFF]/gu;

/**
 * A user's text as it can be stored and shown again exactly: the same text without NUL characters and lone
 * surrogates, which no reader can see. Applied to everything a citizen sends that is kept (answers, captions,
 * file names), so what is stored is what was sent.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, "");
}
