/**
 * Display names and search normalisation for Indonesian region names.
 *
 * The source data (idn-area-data) is already mostly title case ("Kabupaten Aceh Selatan", "Kluet Utara"), with a
 * few irregularities ("Timang gajah", "KI'E", `Ra"as`, "Kota Administrasi Jakarta Selatan", "Daerah Khusus
 * Ibukota Jakarta"). {@link displayName} evens these out; {@link normalizeForSearch} makes the comparison form.
 */

/** Administrative level of a region, from the largest to the smallest. */
export type RegionLevel = "province" | "regency" | "district";

/** Whether a regency is a city (`kota`) or a regency proper (`kabupaten`). */
export type RegencyKind = "kota" | "kabupaten";

/** Upper-case abbreviations kept as they are, whatever the source casing. */
const ACRONYMS = new Set(["DKI", "DI", "DIY", "DK", "BTS", "STL"]);

/** Words kept in lower case unless they start the name ("Pangkajene dan Kepulauan", "2 x 11 Kayu Tanam"). */
const LOWER_WORDS = new Set(["dan", "x"]);

/** Roman numerals ("Bathin VII", "Na IX - X"); only kept upper case when the source writes them so. */
const ROMAN_NUMERAL = /^[IVXL]+$/;

/** A word: letters, possibly joined by apostrophes ("Alo'oa", "Sangalla'"). Hyphens, dots and slashes split. */
const WORD = /[A-Za-z]+(?:'[A-Za-z]+)*/g;

const PROVINCE_PREFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:provinsi|prov\.?)\s+/i, ""],
  [/^daerah\s+khusus\s+ibu\s*kota\s+/i, "DKI "],
  [/^daerah\s+khusus\s+/i, "DK "],
  [/^daerah\s+istimewa\s+/i, "DI "],
];

const REGENCY_PREFIX = /^(kabupaten|kab\.?|kota\s*madya|kodya|kota)\s+(?:(?:administrasi|adm\.?)\s+)?/i;

/** Title-cases a name word by word, keeping acronyms, Roman numerals and a few connectives. */
export function titleCase(text: string): string {
  return text.replace(WORD, (word: string, offset: number) => {
    const first = offset === 0;
    const upper = word.toUpperCase();
    if (ACRONYMS.has(upper)) return upper;
    if (word === upper && ROMAN_NUMERAL.test(word)) return word;
    const lower = word.toLowerCase();
    if (!first && LOWER_WORDS.has(lower)) return lower;
    return lower.charAt(0).toUpperCase() + lower.slice(1);
  });
}

/** Collapses whitespace, unifies quote characters to `'` and tightens spaces around `/`. */
function tidy(raw: string): string {
  return raw
    .replace(/["`\u2018\u2019]/g, "'")
    .replace(/\s*\/\s*/g, "/")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The name to show for a region: title case, "DKI Jakarta" / "DI Yogyakarta" for the special provinces,
 * "Kabupaten X" / "Kota X" for regencies (dropping "Administrasi": "Kota Jakarta Selatan"), districts as named.
 */
export function displayName(level: RegionLevel, raw: string): string {
  let name = tidy(raw);
  if (level === "province") {
    for (const [pattern, replacement] of PROVINCE_PREFIXES) name = name.replace(pattern, replacement);
    return titleCase(name);
  }
  if (level === "regency") {
    const match = REGENCY_PREFIX.exec(name);
    if (match) {
      const kind = match[1]!.toLowerCase().startsWith("kab") ? "Kabupaten" : "Kota";
      name = `${kind} ${name.slice(match[0].length)}`;
    }
  }
  return titleCase(name);
}

/** `kota` or `kabupaten` for a regency display name from {@link displayName}; `null` when it has neither. */
export function regencyKind(name: string): RegencyKind | null {
  if (name.startsWith("Kabupaten ")) return "kabupaten";
  if (name.startsWith("Kota ")) return "kota";
  return null;
}

/** A regency display name without its "Kabupaten " / "Kota " prefix: "Kota Bandung" → "Bandung". */
export function baseName(level: RegionLevel, name: string): string {
  if (level !== "regency") return name;
  const kind = regencyKind(name);
  return kind === null ? name : name.slice(kind === "kota" ? 5 : 10);
}

/**
 * The comparison form of a name or query: lower case ASCII letters and digits separated by single spaces.
 * Diacritics are dropped, apostrophes join ("Ra'as" → "raas"), any other punctuation separates
 * ("Fak-Fak" → "fak fak").
 */
export function normalizeForSearch(text: string): string {
  // Decomposing is the slow part and region names are ASCII, so only decompose when needed.
  const ascii = /^[ -~]*$/.test(text) ? text : text.normalize("NFKD").replace(/\p{M}/gu, "");
  return ascii
    .toLowerCase()
    .replace(/['"`\u2018\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
