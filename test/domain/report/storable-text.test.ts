import { describe, expect, it } from "vitest";
import { storableText } from "../../../domain/report/storable-text.ts";

describe("storableText", () => {
  it("keeps what a reader can see, emoji, right-to-left text and markup characters included", () => {
    const sent = "Tim <b>sukses</b> & 'kawan' 👨‍👩‍👧 🇮🇩 مرحبا \u200f\u200b\n\tRp 50.000";
    expect(storableText(sent)).toBe(sent);
  });

  it("drops NUL characters (PostgreSQL text and JSON refuse them) and lone surrogates (UTF-8 cannot encode them)", () => {
    expect(storableText("a\u0000b")).toBe("ab");
    expect(storableText("foto \ud83d")).toBe("foto ");
    expect(storableText("\ude00 cut")).toBe(" cut");
    expect(storableText("😀".slice(0, 1) + "😀")).toBe("😀");
  });
});
