import fc from "fast-check";

/**
 * Texts a citizen or an officer might send, and texts nobody would but Telegram could deliver: pieces that break
 * HTML and Markdown, SQL, scripts, emoji (with skin tones, ZWJ sequences, flags), right-to-left scripts and
 * direction marks, zero-width characters, control characters, lone surrogates (halves of an emoji), and the words
 * the bot's own parsers look for (amounts, dates, counts, links, phone numbers, region names, option labels).
 */
const NASTY_PIECES = [
  "<script>alert(1)</script>",
  "<b>",
  "</b>",
  "<i>miring",
  "</a>",
  '<a href="javascript:alert(1)">klik</a>',
  "<tg-spoiler>",
  "<pre><code>",
  "&",
  "&amp;",
  "&lt;",
  "&#x1F600;",
  "<",
  ">",
  "<<>>",
  '"',
  "'",
  "*tebal*",
  "_miring_",
  "__garis__",
  "~coret~",
  "||spoiler||",
  "`kode`",
  "```",
  "[tautan](https://example.org)",
  "\\",
  "\\n",
  "%s%n%x",
  "$" + "{process.env}",
  "{{name}}",
  "$t(common:apology)",
  "'; DROP TABLE reports; --",
  '" OR 1=1 --',
  "1' UNION SELECT chronology FROM reports --",
  "NULL",
  "undefined",
  "__proto__",
  "constructor",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\t",
  "\r\n",
  "\n\n\n",
  "\u00a0",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u202a",
  "\u202e",
  "\u2066",
  "\u2069",
  "\u2028",
  "\ufeff",
  "\ufffd",
  "\ud83d",
  "\ude00",
  "\udfff\ud800",
  "👍",
  "👍🏽",
  "👨‍👩‍👧‍👦",
  "🇮🇩",
  "🏳️‍🌈",
  "e\u0301",
  "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "مرحبا بالعالم",
  "שלום",
  "ﷺ",
  "𝕳𝖊𝖑𝖑𝖔",
  "中文字符",
  "가나다",
  "/start",
  "/lapor",
  "/batal",
  "@awasi_bot",
  "#hoaks",
  "50rb",
  "Rp 100.000",
  "1,5 juta",
  "2 jt",
  "sekitar 20",
  "15",
  "0",
  "-3",
  "99999999999999999999",
  "14-02-2024",
  "14/02",
  "3 hari lalu",
  "kemarin",
  "31-02-2024",
  "01-01-2099",
  "tebet",
  "jakarta",
  "Kota Bandung",
  "https://example.org/video",
  "http://x.co",
  "www.contoh.id/berita",
  "javascript:alert(1)",
  "ftp://example.org",
  "+6281234567890",
  "081234567890",
  "+1 202 555 0100",
  "1",
  "2",
  "3",
  "Uang tunai",
  "Hari ini",
  "Anonim",
  "Tim sukses caleg nomor 3 membagikan amplop kepada warga",
  "Pesan berantai menyebut TPS dipindah ke balai desa",
] as const;

const piece = fc.constantFrom(...NASTY_PIECES);
/** Any UTF-16 code unit, lone surrogates and controls included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

/** Several pieces and random characters, separated by nothing, a space or a line break. */
const mixed = fc
  .array(
    fc.oneof(
      { arbitrary: piece, weight: 5 },
      { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 2 },
      { arbitrary: fc.string({ unit: codeUnit, maxLength: 4 }), weight: 1 },
    ),
    { maxLength: 12 },
  )
  .chain((parts) =>
    fc
      .array(fc.constantFrom("", " ", " ", "\n"), { minLength: parts.length, maxLength: parts.length })
      .map((separators) => parts.map((part, i) => `${part}${separators[i]}`).join("")),
  );

/**
 * A long text, up to 10,000 UTF-16 units (more than Telegram's 4,096 for one message, as a forged or joined
 * update could carry): pieces repeated to a chosen length, cut anywhere (so an emoji may be cut in half).
 */
const long = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.integer({ min: 200, max: 10_000 }))
  .map(([parts, length]) => {
    const unit = parts.join(" ");
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  });

/** What a user types: mostly short and tricky, sometimes empty or very long. */
export const userText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mixed, weight: 10 },
  { arbitrary: piece, weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }), weight: 1 },
  { arbitrary: long, weight: 1 },
  { arbitrary: fc.constant(""), weight: 1 },
);

/** Arguments after a command: junk of every kind, or a ticket-code-like word. */
export const commandArgs: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(""), weight: 3 },
  { arbitrary: mixed, weight: 3 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom("PU", "HK", "AS", "LN", "XX", "pu"),
        fc.string({ unit: "grapheme-ascii", maxLength: 8 }),
      )
      .map(([prefix, rest]) => `${prefix}-${rest}`),
    weight: 2,
  },
  { arbitrary: long, weight: 1 },
);

/**
 * A chronology the bot must accept (20–3,500 characters, three words) built around tricky pieces; as sent by
 * the citizen, so the stored text can be compared with it.
 */
export const acceptableChronology: fc.Arbitrary<string> = fc
  .tuple(mixed, fc.string({ unit: "grapheme", maxLength: 30 }), mixed)
  .map(([a, b, c]) =>
    `Pada pagi hari ${a} tim sukses ${b} membagikan amplop ${c} kepada warga`.slice(0, 3400),
  );

/** A short answer the bot must accept for a 2–100 character question (a name, a giver, an agency). */
export const acceptableShortText: fc.Arbitrary<string> = fc
  .tuple(piece, fc.string({ unit: "grapheme", maxLength: 10 }))
  .map(([a, b]) => `Pak ${a} ${b}`.slice(0, 90));
