import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../../handlers/common/html.ts";

describe("escapeHtml", () => {
  it("escapes what Telegram's HTML parse mode reads as markup", () => {
    expect(escapeHtml(`<script>alert("x")</script> & co`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co",
    );
  });

  it("drops a lone surrogate (e.g. a quoted text cut in the middle of an emoji): Telegram refuses invalid UTF-8", () => {
    const cut = "Hasil pencarian 👍👍".slice(0, 17);
    expect(escapeHtml(cut)).toBe("Hasil pencarian ");
    expect(escapeHtml("a\u0000b")).toBe("ab");
  });
});
