/**
 * Name search over the region catalog: a linear scan over precomputed normalised names, which is fast enough
 * for ~8,000 regions (well under a millisecond per query) and keeps the ranking rules easy to follow.
 */
import { normalizeForSearch, type RegencyKind } from "./region-names.ts";
import type { Region } from "./region-types.ts";

/** A region as the search index needs it. */
export type SearchableRegion = {
  readonly region: Region;
  /** Global sort position (level, then name): the tie-breaker within a rank. */
  readonly ordinal: number;
  /** For regencies: city or regency proper, to honour a "kota"/"kabupaten" hint in the query. */
  readonly kind: RegencyKind | null;
  /** Every name to match (display name, official name, name without prefix, aliases), unnormalised. */
  readonly names: readonly string[];
};

type NameForm = {
  readonly text: string;
  /** Words, longest first for queries (so greedy matching rarely fails), in name order for names. */
  readonly tokens: readonly string[];
  /** `text` without spaces: "fak fak" → "fakfak". */
  readonly compact: string;
};

type Entry = {
  readonly region: Region;
  readonly ordinal: number;
  readonly kind: RegencyKind | null;
  readonly keys: readonly NameForm[];
};

type Hint = RegencyKind | "province" | "district";

type ParsedQuery = {
  readonly full: NameForm;
  /** The query without its leading "kota"/"kabupaten"/… words; `null` when there were none. */
  readonly stripped: NameForm | null;
  readonly hint: Hint | null;
};

const RANK_EXACT = 0;
const RANK_STARTS_WITH = 1;
const RANK_WORD_PREFIX = 2;
const RANK_CONTAINS = 3;
const RANK_TYPO = 4;
const NO_MATCH = 5;

/** Typos are only tolerated in query words at least this long. */
const MIN_TYPO_WORD_LENGTH = 5;

/** Leading query words that name a kind of region rather than a region, with the kind they hint at. */
const QUERY_PREFIXES = new Map<string, Hint | null>([
  ["provinsi", "province"],
  ["propinsi", "province"],
  ["prov", "province"],
  ["kabupaten", "kabupaten"],
  ["kab", "kabupaten"],
  ["kota", "kota"],
  ["kotamadya", "kota"],
  ["kodya", "kota"],
  ["kecamatan", "district"],
  ["kec", "district"],
  ["administrasi", null],
  ["adm", null],
]);

function nameForm(text: string, tokens: readonly string[]): NameForm {
  return { text, tokens, compact: text.replaceAll(" ", "") };
}

function parseQuery(query: string): ParsedQuery | null {
  const text = normalizeForSearch(query);
  if (text === "") return null;
  const tokens = text.split(" ");
  let start = 0;
  let hint: Hint | null = null;
  // Keep at least one word: a bare "kota" is searched as a name ("Kota Bahagia", every "Kota …").
  while (start < tokens.length - 1 && QUERY_PREFIXES.has(tokens[start]!)) {
    hint ??= QUERY_PREFIXES.get(tokens[start]!) ?? null;
    start++;
  }
  const byLength = (words: string[]) => words.sort((a, b) => b.length - a.length);
  const full = nameForm(text, byLength([...tokens]));
  if (start === 0) return { full, stripped: null, hint };
  const rest = tokens.slice(start);
  return { full, stripped: nameForm(rest.join(" "), byLength(rest)), hint };
}

/** Index of the first name word not in `used` (a bit set) accepted by `accepts`, or -1. */
function findFreeWord(words: readonly string[], used: number, accepts: (word: string) => boolean): number {
  for (let i = 0; i < words.length; i++) if ((used & (1 << i)) === 0 && accepts(words[i]!)) return i;
  return -1;
}

/** Each query word is a prefix of a different name word. `query.tokens` must be sorted longest first. */
function wordPrefixMatch(query: NameForm, key: NameForm): boolean {
  if (query.tokens.length > key.tokens.length) return false;
  let used = 0;
  for (const word of query.tokens) {
    const index = findFreeWord(key.tokens, used, (candidate) => candidate.startsWith(word));
    if (index === -1) return false;
    used |= 1 << index;
  }
  return true;
}

function strictRank(query: NameForm, key: NameForm): number {
  if (key.text === query.text || key.compact === query.compact) return RANK_EXACT;
  if (key.text.startsWith(query.text) || key.compact.startsWith(query.compact)) return RANK_STARTS_WITH;
  if (wordPrefixMatch(query, key)) return RANK_WORD_PREFIX;
  if (key.compact.includes(query.compact)) return RANK_CONTAINS;
  return NO_MATCH;
}

/** `a` from `aStart` to its end equals `b` from `bStart` to `bEnd`. */
function sameTail(a: string, aStart: number, b: string, bStart: number, bEnd: number): boolean {
  if (a.length - aStart !== bEnd - bStart) return false;
  for (let i = aStart, j = bStart; i < a.length; i++, j++)
    if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}

/**
 * The Damerau–Levenshtein distance of `a` and the first `bLength` characters of `b` is at most 1 (one
 * substitution, insertion, deletion or swap of adjacent letters). Allocation-free: it runs in the typo pass.
 */
export function withinOneEdit(a: string, b: string, bLength = b.length): boolean {
  const difference = a.length - bLength;
  if (difference > 1 || difference < -1) return false;
  let i = 0;
  while (i < a.length && i < bLength && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (difference === 1) return sameTail(a, i + 1, b, i, bLength);
  if (difference === -1) return sameTail(a, i, b, i + 1, bLength);
  if (i === a.length || sameTail(a, i + 1, b, i + 1, bLength)) return true;
  return (
    i + 1 < a.length &&
    a.charCodeAt(i) === b.charCodeAt(i + 1) &&
    a.charCodeAt(i + 1) === b.charCodeAt(i) &&
    sameTail(a, i + 2, b, i + 2, bLength)
  );
}

/** `word` is within one edit of `candidate` or of a prefix of it ("slemn" ~ "sleman", "jakrta" ~ "jakarta"). */
function prefixWithinOneEdit(word: string, candidate: string): boolean {
  const longest = Math.min(word.length + 1, candidate.length);
  for (let length = Math.max(word.length - 1, 1); length <= longest; length++) {
    if (withinOneEdit(word, candidate, length)) return true;
  }
  return false;
}

/** Like {@link wordPrefixMatch}, with one query word of {@link MIN_TYPO_WORD_LENGTH}+ letters matched loosely. */
function typoMatch(query: NameForm, key: NameForm): boolean {
  if (query.compact.length >= MIN_TYPO_WORD_LENGTH && prefixWithinOneEdit(query.compact, key.compact))
    return true;
  if (query.tokens.length > key.tokens.length) return false;
  let used = 0;
  let typoUsed = false;
  for (const word of query.tokens) {
    let index = findFreeWord(key.tokens, used, (candidate) => candidate.startsWith(word));
    if (index === -1) {
      if (typoUsed || word.length < MIN_TYPO_WORD_LENGTH) return false;
      index = findFreeWord(key.tokens, used, (candidate) => prefixWithinOneEdit(word, candidate));
      if (index === -1) return false;
      typoUsed = true;
    }
    used |= 1 << index;
  }
  return true;
}

function hintMatches(entry: Entry, hint: Hint | null): boolean {
  if (hint === null) return true;
  if (hint === "province" || hint === "district") return entry.region.level === hint;
  return entry.kind === hint;
}

type Hit = { entry: Entry; rank: number; hinted: boolean };

function compareHits(a: Hit, b: Hit): number {
  return a.rank - b.rank || Number(b.hinted) - Number(a.hinted) || a.entry.ordinal - b.entry.ordinal;
}

/** Matches queries against a fixed set of regions; see {@link RegionCatalog.search} for the rules. */
export class RegionSearchIndex {
  readonly #entries: readonly Entry[];

  constructor(regions: readonly SearchableRegion[]) {
    this.#entries = regions.map((source) => {
      const keys = new Map<string, NameForm>();
      for (const name of new Set(source.names)) {
        const text = normalizeForSearch(name);
        if (text !== "" && !keys.has(text)) keys.set(text, nameForm(text, text.split(" ")));
      }
      return { region: source.region, ordinal: source.ordinal, kind: source.kind, keys: [...keys.values()] };
    });
  }

  /** The best `limit` regions for `query` among those accepted by `filter`. */
  search(query: string, limit: number, filter?: (region: Region) => boolean): Region[] {
    if (!(limit >= 1)) return [];
    const parsed = parseQuery(query);
    if (parsed === null) return [];
    const candidates = filter ? this.#entries.filter((entry) => filter(entry.region)) : this.#entries;

    const hits: Hit[] = [];
    for (const entry of candidates) {
      let rank = NO_MATCH;
      for (const key of entry.keys) {
        rank = Math.min(rank, strictRank(parsed.full, key));
        if (parsed.stripped) rank = Math.min(rank, strictRank(parsed.stripped, key));
        if (rank === RANK_EXACT) break;
      }
      if (rank !== NO_MATCH) hits.push({ entry, rank, hinted: hintMatches(entry, parsed.hint) });
    }

    if (hits.length === 0) {
      const query = parsed.stripped ?? parsed.full;
      for (const entry of candidates) {
        if (entry.keys.some((key) => typoMatch(query, key))) {
          hits.push({ entry, rank: RANK_TYPO, hinted: hintMatches(entry, parsed.hint) });
        }
      }
    }

    return hits
      .sort(compareHits)
      .slice(0, limit)
      .map((hit) => hit.entry.region);
  }
}
