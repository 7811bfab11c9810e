/*
 * Error keys (locale `report:errors.*`):
 *   report:errors.linksNone              no web link in the text
 *   report:errors.linksUnsupportedScheme a link that is not http(s): javascript:, ftp:, file:, mailto:, …
 *   report:errors.linksTooLong           a link longer than 2048 characters
 *   report:errors.linksTooMany           more than 10 different links in one message
 */
import { fail, ok, type ParseResult } from "./parse-result.ts";

/** Most links accepted in one message; more is a spam dump, not evidence. */
export const MAX_LINKS = 10;
/** Longest link accepted, the practical limit of browsers and of the evidence column. */
export const MAX_LINK_LENGTH = 2048;

const HTTP = /^https?:/i;
const HTTP_INSIDE = /https?:\/\//i;
const SCHEME = /^(?<scheme>[a-z][a-z0-9+-]*):(?<rest>.+)$/i;
/** Schemes refused even without `//`, so that `javascript:alert(1)` is refused, not ignored. */
const KNOWN_SCHEMES = new Set([
  "javascript",
  "vbscript",
  "data",
  "file",
  "blob",
  "about",
  "ftp",
  "ftps",
  "sftp",
  "ssh",
  "mailto",
  "tel",
  "sms",
  "intent",
  "tg",
]);
const BARE_DOMAIN =
  /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]*(?::\d{1,5})?(?:[/?#].*)?$/u;
const URL_START = /^(?:[a-z][a-z0-9+-]*:|(?:[\p{L}\p{N}-]+\.)+\p{L}{2})/iu;
/** A top-level label: letters (2–63), or an internationalised one in punycode. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** Endings of file names that a bare `bukti.jpg` would otherwise turn into `https://bukti.jpg/`. */
const FILE_EXTENSIONS = new Set(
  "jpg jpeg png gif webp heic pdf doc docx xls xlsx ppt pptx txt csv mp3 mp4 mov m4a ogg opus wav zip rar apk exe".split(
    " ",
  ),
);

/**
 * Extracts the web links from a message: separated by spaces, new lines or commas, possibly inside a sentence
 * (`lihat: facebook.com/xyz`). A bare domain gets `https://`. Links come back normalised by the WHATWG URL
 * parser (`https://facebook.com/xyz`), de-duplicated, in the order given.
 *
 * Refuses the whole message when one link has another scheme (`javascript:`, `ftp:`), so the reporter learns
 * why it was dropped; refuses a message with no link, with a link over 2048 characters, or with more than 10.
 * A host needs a dot and a top-level label of letters: `localhost` and IP addresses are not evidence links.
 */
export function parseLinks(text: string): ParseResult<string[]> {
  const links: string[] = [];
  let unsupportedScheme = false;
  let tooLong = false;

  for (const candidate of candidates(text)) {
    if (candidate.length > MAX_LINK_LENGTH) {
      tooLong = true;
      continue;
    }
    const url = toUrl(candidate);
    if (url === "unsupported") unsupportedScheme = true;
    else if (url === undefined) continue;
    else if (url.href.length > MAX_LINK_LENGTH) tooLong = true;
    else if (!links.includes(url.href)) links.push(url.href);
  }

  if (unsupportedScheme) return fail("report:errors.linksUnsupportedScheme");
  if (tooLong) return fail("report:errors.linksTooLong");
  if (links.length === 0) return fail("report:errors.linksNone");
  if (links.length > MAX_LINKS) return fail("report:errors.linksTooMany");
  return ok(links);
}

/**
 * Words that may be links. A comma splits a word only where a link starts after it, because commas are legal
 * inside links (`https://maps.google.com/@-6.2,106.8,15z`).
 */
function* candidates(text: string): Generator<string> {
  for (const word of text.split(/\s+/)) {
    const pieces: string[] = [];
    for (const piece of word.split(",")) {
      if (pieces.length > 0 && !URL_START.test(piece)) pieces[pieces.length - 1] += `,${piece}`;
      else pieces.push(piece);
    }
    for (const piece of pieces) {
      const trimmed = trimPunctuation(piece);
      if (trimmed !== "") yield trimmed;
    }
  }
}

/** Drops quotes and brackets around a link and sentence punctuation after it; keeps `)` closing a `(` inside. */
function trimPunctuation(piece: string): string {
  let result = piece.replace(/^[("'<[{«“‘]+/u, "");
  for (;;) {
    const last = result.at(-1);
    if (last === undefined) return result;
    const unbalancedParen = last === ")" && count(result, "(") < count(result, ")");
    if (!/[.,;:!?'">\]}»”’]/u.test(last) && !unbalancedParen) return result;
    result = result.slice(0, -1);
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** The http(s) URL a candidate stands for, "unsupported" for another scheme, undefined for a plain word. */
function toUrl(candidate: string): URL | "unsupported" | undefined {
  if (HTTP.test(candidate)) return validHttpUrl(candidate);
  const scheme = SCHEME.exec(candidate)?.groups;
  if (scheme?.scheme && scheme.rest) {
    if (scheme.rest.startsWith("//") || KNOWN_SCHEMES.has(scheme.scheme.toLowerCase())) return "unsupported";
  }
  const inside = candidate.search(HTTP_INSIDE);
  if (inside > 0) return validHttpUrl(candidate.slice(inside));
  if (!BARE_DOMAIN.test(candidate)) return undefined;
  const url = validHttpUrl(`https://${candidate}`);
  const lastLabel = url?.hostname.split(".").at(-1);
  return lastLabel !== undefined && FILE_EXTENSIONS.has(lastLabel) ? undefined : url;
}

function validHttpUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const labels = url.hostname.split(".");
  const tld = labels.at(-1) ?? "";
  if (labels.length < 2 || labels.some((label) => label === "") || !TLD.test(tld)) return undefined;
  return url;
}
