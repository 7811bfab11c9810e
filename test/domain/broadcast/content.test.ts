import { describe, expect, it } from "vitest";
import {
  contentExcerpt,
  contentFromMessage,
  parseBroadcastContent,
} from "../../../domain/broadcast/content.ts";

describe("announcement content", () => {
  it("keeps a text with its entities and link preview choice", () => {
    const entities = [{ type: "bold", offset: 0, length: 7 }];
    const result = contentFromMessage({
      text: "Bawaslu <menindak> & umumkan",
      entities,
      link_preview_options: { is_disabled: true },
    });
    expect(result).toEqual({
      ok: true,
      content: {
        kind: "text",
        text: "Bawaslu <menindak> & umumkan",
        entities,
        linkPreview: { is_disabled: true },
      },
    });
    if (result.ok)
      expect(parseBroadcastContent(JSON.parse(JSON.stringify(result.content)))).toEqual(result.content);
  });

  it("takes the largest photo size, the caption and its entities", () => {
    const result = contentFromMessage({
      photo: [{ file_id: "small" }, { file_id: "large" }],
      caption: "Barang bukti",
      caption_entities: [{ type: "italic", offset: 0, length: 6 }],
      has_media_spoiler: true,
    });
    expect(result).toEqual({
      ok: true,
      content: {
        kind: "photo",
        fileId: "large",
        caption: "Barang bukti",
        captionEntities: [{ type: "italic", offset: 0, length: 6 }],
        hasSpoiler: true,
      },
    });
  });

  it("reads a GIF as an animation although Telegram also sends it as a document", () => {
    const result = contentFromMessage({ animation: { file_id: "gif" }, document: { file_id: "gif" } });
    expect(result).toEqual({ ok: true, content: { kind: "animation", fileId: "gif" } });
  });

  it("refuses albums and what an announcement cannot be", () => {
    expect(contentFromMessage({ photo: [{ file_id: "a" }], media_group_id: "1" })).toEqual({
      ok: false,
      reason: "album",
    });
    expect(contentFromMessage({})).toEqual({ ok: false, reason: "unsupported" });
  });

  it("refuses stored content of an unknown shape", () => {
    expect(() => parseBroadcastContent({ kind: "sticker", fileId: "x" })).toThrow();
    expect(() => parseBroadcastContent({ kind: "text", text: "" })).toThrow();
  });

  it("makes a short plain excerpt, cut at a word", () => {
    const text = `${"kata ".repeat(60)}akhir`;
    const excerpt = contentExcerpt({ kind: "text", text }, 50);
    expect(excerpt.length).toBeLessThanOrEqual(51);
    expect(excerpt.endsWith("kata…")).toBe(true);
    expect(contentExcerpt({ kind: "photo", fileId: "x" })).toBe("");
    expect(contentExcerpt({ kind: "text", text: "satu\n\ndua" })).toBe("satu dua");
  });
});
