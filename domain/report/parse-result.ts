/**
 * The outcome of parsing one answer typed by a user: the value, or a locale key that tells the user what to type.
 * Parsers return this instead of throwing, because wrong input is the normal case in a chat, not an exception.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errorKey: string };

/** Wraps a parsed value. */
export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** Wraps a rejection; `errorKey` is a locale key such as `report:errors.amountMalformed`. */
export function fail<T = never>(errorKey: string): ParseResult<T> {
  return { ok: false, errorKey };
}
