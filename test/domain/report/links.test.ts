import { describe, expect, it } from "vitest";
import { MAX_LINK_LENGTH, MAX_LINKS, parseLinks } from "../../../domain/report/links.ts";

describe("parseLinks", () => {
  it("reads one http or https link", () => {
    expect(parseLinks("https://www.facebook.com/xyz/posts/123")).toEqual({
      ok: true,
      value: ["https://www.facebook.com/xyz/posts/123"],
    });
    expect(parseLinks("http://example.co.id")).toEqual({ ok: true, value: ["http://example.co.id/"] });
  });

  it("adds https:// to a bare domain", () => {
    expect(parseLinks("facebook.com/xyz")).toEqual({ ok: true, value: ["https://facebook.com/xyz"] });
    expect(parseLinks("www.tiktok.com/@akun/video/1")).toEqual({
      ok: true,
      value: ["https://www.tiktok.com/@akun/video/1"],
    });
  });

  it("reads several links separated by spaces, new lines and commas", () => {
    const text =
      "https://a.example.com/1 b.example.org/2\nhttps://c.example.net/3,d.example.id/4, e.example.com";
    expect(parseLinks(text)).toEqual({
      ok: true,
      value: [
        "https://a.example.com/1",
        "https://b.example.org/2",
        "https://c.example.net/3",
        "https://d.example.id/4",
        "https://e.example.com/",
      ],
    });
  });

  it("keeps commas that belong to a link", () => {
    const maps = "https://www.google.com/maps/@-6.2,106.8,15z";
    expect(parseLinks(maps)).toEqual({ ok: true, value: [maps] });
  });

  it("finds links inside a sentence and drops the words and punctuation around them", () => {
    expect(parseLinks("Ini linknya: facebook.com/xyz, dan juga (https://x.com/abc).")).toEqual({
      ok: true,
      value: ["https://facebook.com/xyz", "https://x.com/abc"],
    });
    expect(parseLinks("Link:https://x.com/abc")).toEqual({ ok: true, value: ["https://x.com/abc"] });
    expect(parseLinks("<https://x.com/abc>")).toEqual({ ok: true, value: ["https://x.com/abc"] });
  });

  it("keeps a closing bracket that a bracket in the link opened", () => {
    expect(parseLinks("(https://id.wikipedia.org/wiki/Pemilu_(Indonesia))")).toEqual({
      ok: true,
      value: ["https://id.wikipedia.org/wiki/Pemilu_(Indonesia)"],
    });
  });

  it("de-duplicates links, also when written differently, and keeps their order", () => {
    expect(parseLinks("https://B.com/x facebook.com/y HTTPS://b.com/x https://facebook.com/y")).toEqual({
      ok: true,
      value: ["https://b.com/x", "https://facebook.com/y"],
    });
  });

  it("accepts internationalised domains", () => {
    expect(parseLinks("https://bücher.de/x")).toEqual({ ok: true, value: ["https://xn--bcher-kva.de/x"] });
  });

  it.each([
    ["javascript:alert(1)"],
    ["JavaScript:alert(document.cookie)"],
    ["ftp://files.example.com/bukti.zip"],
    ["file:///etc/passwd"],
    ["data:text/html,<script>alert(1)</script>"],
    ["mailto:someone@example.com"],
    ["https://ok.example.com javascript:alert(1)"],
  ])("refuses the whole message when a link is not http(s): %j", (text) => {
    expect(parseLinks(text)).toEqual({ ok: false, errorKey: "report:errors.linksUnsupportedScheme" });
  });

  it.each([
    [""],
    ["   "],
    ["tidak ada link"],
    ["https://localhost/x"],
    ["http://192.168.1.1/admin"],
    ["https://foo"],
    ["https://example.c0m"],
    ["bukti.jpg video.mp4"],
    ["e.g. Rp.100.000 1.5jt"],
    ["someone@example.com"],
    ["https://"],
  ])("finds no link in %j", (text) => {
    expect(parseLinks(text)).toEqual({ ok: false, errorKey: "report:errors.linksNone" });
  });

  it(`accepts a link of ${MAX_LINK_LENGTH} characters and refuses a longer one`, () => {
    const prefix = "https://example.com/";
    const longest = prefix + "a".repeat(MAX_LINK_LENGTH - prefix.length);
    expect(parseLinks(longest)).toEqual({ ok: true, value: [longest] });
    expect(parseLinks(`${longest}a`)).toEqual({ ok: false, errorKey: "report:errors.linksTooLong" });
  });

  it(`accepts ${MAX_LINKS} links and refuses more`, () => {
    const links = Array.from({ length: MAX_LINKS + 1 }, (_, index) => `https://example.com/${index}`);
    expect(parseLinks(links.slice(0, MAX_LINKS).join(" "))).toEqual({
      ok: true,
      value: links.slice(0, MAX_LINKS),
    });
    expect(parseLinks(links.join(" "))).toEqual({ ok: false, errorKey: "report:errors.linksTooMany" });
  });

  it("counts links after de-duplication", () => {
    const same = Array.from({ length: MAX_LINKS + 5 }, () => "https://example.com/a").join(" ");
    expect(parseLinks(same)).toEqual({ ok: true, value: ["https://example.com/a"] });
  });
});
