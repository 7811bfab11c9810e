import { describe, expect, it } from "vitest";
import {
  formatText,
  parseHtml,
  parseLegacyMarkdown,
  parseMarkdownV2,
} from "../support/telegram-formatting.ts";

describe("parse_mode like Telegram", () => {
  it("HTML: nested entities with UTF-16 offsets, entities decoded, links", () => {
    expect(
      parseHtml('🙂 <b>Laporan <i>baru</i></b> &lt;PU&gt; <a href="https://x.id/?a=1&amp;b=2">tautan</a>'),
    ).toEqual({
      text: "🙂 Laporan baru <PU> tautan",
      entities: [
        { type: "bold", offset: 3, length: 12 },
        { type: "italic", offset: 11, length: 4 },
        { type: "text_link", offset: 21, length: 6, url: "https://x.id/?a=1&b=2" },
      ],
    });
    expect(parseHtml('<pre><code class="language-json">{}</code></pre>').entities).toEqual([
      { type: "pre", offset: 0, length: 2, language: "json" },
    ]);
  });

  it("HTML: rejects unknown tags, unescaped < and unclosed tags", () => {
    expect(() => parseHtml("a <3 b")).toThrow(/Unsupported start tag "3" at byte offset 2/);
    expect(() => parseHtml("<b>tebal")).toThrow(/Can't find end tag corresponding to start tag "b"/);
    expect(() => parseHtml("<b>x</i>")).toThrow(/Unmatched end tag/);
    expect(() => parseHtml("<div>x</div>")).toThrow(/Unsupported start tag "div"/);
  });

  it("MarkdownV2: escapes, entities, reserved characters", () => {
    expect(parseMarkdownV2("*Kode:* `PU\\-1` Rp 50\\.000 ||rahasia|| [peta](https://x.id/a\\)b)")).toEqual({
      text: "Kode: PU-1 Rp 50.000 rahasia peta",
      entities: [
        { type: "bold", offset: 0, length: 5 },
        { type: "code", offset: 6, length: 4 },
        { type: "spoiler", offset: 21, length: 7 },
        { type: "text_link", offset: 29, length: 4, url: "https://x.id/a)b" },
      ],
    });
    expect(parseMarkdownV2(">kutipan\n>dua\nbiasa").entities).toEqual([
      { type: "blockquote", offset: 0, length: 11 },
    ]);
    expect(() => parseMarkdownV2("Terima kasih!")).toThrow(/Character '!' is reserved/);
    expect(() => parseMarkdownV2("*tebal")).toThrow(/Can't find end of Bold entity at byte offset 0/);
  });

  it("Markdown (legacy) and trimming of whitespace like Telegram", () => {
    expect(parseLegacyMarkdown("*a* _b_ [c](http://d)").entities.map((e) => e.type)).toEqual([
      "bold",
      "italic",
      "text_link",
    ]);
    expect(() => parseLegacyMarkdown("nama_depan")).toThrow(/Can't find end of the entity/);
    expect(formatText("  <b>x</b>  ", "HTML", undefined)).toEqual({
      text: "x",
      entities: [{ type: "bold", offset: 0, length: 1 }],
    });
  });
});
