import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../../handlers/common/html.ts";
import {
  cutEscaped,
  fitValues,
  MESSAGE_LIMIT,
  splitEscaped,
  visibleLength,
} from "../../../handlers/report/message-fit.ts";

describe("fitting answers into one Telegram message", () => {
  it("counts what Telegram counts: tags dropped, an entity one character, an emoji two", () => {
    expect(visibleLength("<b>a</b> &amp; &lt;b&gt; 😀")).toBe("a & <b> 😀".length);
  });

  it("never cuts inside an entity or a surrogate pair", () => {
    const escaped = escapeHtml("a&b😀c<d");
    for (let max = 2; max <= 8; max++) {
      const cut = cutEscaped(escaped, max);
      expect(visibleLength(cut)).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });

  it("shortens the longest answers until the message fits, with the marker", () => {
    const long = escapeHtml("Tim & <relawan> ".repeat(300));
    const render = (values: string[]) => values.join("\n");
    const values = fitValues(
      [
        { value: long, marker: "(edit)" },
        { value: "short", marker: "(edit)" },
        { value: long, marker: "(edit)" },
      ],
      render,
    );
    expect(visibleLength(render(values))).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(values[1]).toBe("short");
    expect(values[0]).toMatch(/… \(edit\)$/);
  });

  it("splits a long answer into message-sized pieces that join back to it", () => {
    const links = Array.from({ length: 10 }, (_, i) => `https://example.org/${i}/${"a".repeat(2020)}`).join(
      "\n",
    );
    const pieces = splitEscaped(escapeHtml(links));
    for (const piece of pieces) expect(visibleLength(piece)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(pieces.join("\n")).toBe(links);
  });
});
