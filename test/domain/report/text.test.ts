import { describe, expect, it } from "vitest";
import {
  CHRONOLOGY_MAX_LENGTH,
  MAX_COUNT,
  parseChronology,
  parseCount,
  parseShortText,
} from "../../../domain/report/text.ts";

describe("parseShortText", () => {
  const limits = { min: 2, max: 10 };

  it("trims and collapses spaces and line breaks", () => {
    expect(parseShortText("  Pak   Budi\n\tRT 03 ", { min: 2, max: 50 })).toEqual({
      ok: true,
      value: "Pak Budi RT 03",
    });
  });

  it("drops control characters and bidirectional overrides", () => {
    expect(parseShortText("Bu\u0000di\u202E ok\uFEFF", limits)).toEqual({ ok: true, value: "Budi ok" });
  });

  it("drops half an emoji (a lone surrogate), which UTF-8 and so PostgreSQL cannot hold, and keeps whole ones", () => {
    expect(parseShortText("Bu\ud83ddi 👍 \ude00", { min: 2, max: 50 })).toEqual({
      ok: true,
      value: "Budi 👍",
    });
    const chronology = parseChronology("Tim sukses \ud83d membagikan amplop 💸 kepada warga");
    expect(chronology).toEqual({ ok: true, value: "Tim sukses membagikan amplop 💸 kepada warga" });
  });

  it("accepts the exact limits", () => {
    expect(parseShortText("ab", limits)).toEqual({ ok: true, value: "ab" });
    expect(parseShortText("abcdefghij", limits)).toEqual({ ok: true, value: "abcdefghij" });
  });

  it("counts an emoji as one character", () => {
    expect(parseShortText("👍👍", limits)).toEqual({ ok: true, value: "👍👍" });
    expect(parseShortText("👍".repeat(10), limits)).toEqual({ ok: true, value: "👍".repeat(10) });
  });

  it.each(["", "   ", "a", " a \n"])("refuses the too-short answer %j", (text) => {
    expect(parseShortText(text, limits)).toEqual({ ok: false, errorKey: "report:errors.tooShort" });
  });

  it("refuses a too-long answer after collapsing spaces", () => {
    expect(parseShortText("abcde     fghij", limits)).toEqual({
      ok: false,
      errorKey: "report:errors.tooLong",
    });
    expect(parseShortText("abcde fghij", limits)).toEqual({ ok: false, errorKey: "report:errors.tooLong" });
  });
});

describe("parseChronology", () => {
  const sentence = "Pak RT membagikan amplop berisi Rp50.000 di masjid setelah salat Jumat.";

  it("accepts a meaningful sentence", () => {
    expect(parseChronology(sentence)).toEqual({ ok: true, value: sentence });
  });

  it("keeps paragraphs, collapses spaces inside lines and extra blank lines", () => {
    const text = "  Pukul 10  pagi   tim sukses datang.\r\n\r\n\r\n\r\nMereka   membagikan sembako.  \n";
    expect(parseChronology(text)).toEqual({
      ok: true,
      value: "Pukul 10 pagi tim sukses datang.\n\nMereka membagikan sembako.",
    });
  });

  it.each(["", "ok", "ada politik uang", "  amplop   dibagi   \n\n  "])(
    "refuses the too-short chronology %j",
    (text) => {
      expect(parseChronology(text)).toEqual({ ok: false, errorKey: "report:errors.chronologyTooShort" });
    },
  );

  it.each([
    "aaaaaaaaaaaaaaaaaaaaaaaaa",
    "politikuang dimasjid!!!",
    "..... ..... ..... .....",
    "123 456 789 012 345 678",
  ])("refuses %j as not a sentence of at least three words", (text) => {
    expect(parseChronology(text)).toEqual({ ok: false, errorKey: "report:errors.chronologyTooFewWords" });
  });

  it("counts words with letters, including numbers written with a unit", () => {
    expect(parseChronology("Dibagikan 50rb kepada 20 warga").ok).toBe(true);
  });

  it(`accepts ${CHRONOLOGY_MAX_LENGTH} characters and refuses more`, () => {
    const words = "kata ".repeat(CHRONOLOGY_MAX_LENGTH / 5).trim();
    const longest = `${words}abcd`.slice(0, CHRONOLOGY_MAX_LENGTH);
    expect(parseChronology(longest)).toEqual({ ok: true, value: longest });
    expect(parseChronology(`${longest}x`)).toEqual({
      ok: false,
      errorKey: "report:errors.chronologyTooLong",
    });
  });
});

describe("parseCount", () => {
  it.each([
    ["15", 15],
    ["1", 1],
    ["sekitar 20", 20],
    ["Sekitar 20 orang", 20],
    ["±30", 30],
    ["+-30", 30],
    ["+/- 30 org", 30],
    ["~40", 40],
    ["kurang lebih 25", 25],
    ["kira-kira 25 warga", 25],
    ["20 orang", 20],
    ["20 KK", 20],
    ["20an", 20],
    ["20-an orang", 20],
    ["50+", 50],
    ["50 lebih", 50],
    ["lebih dari 100", 100],
    ["about 30 people", 30],
    ["20-30 orang", 20],
    ["20 sampai 30", 20],
    ["1.500", 1_500],
    ["1,500", 1_500],
    ["2 ribu", 2_000],
    ["1,5 ribu orang", 1_500],
    ["1 juta", 1_000_000],
    ["lima", 5],
    ["seorang", 1],
    ["seratus", 100],
    ["belasan", 10],
    ["puluhan", 20],
    ["puluhan orang", 20],
    ["ratusan", 100],
    ["ribuan", 1_000],
    ["puluhan ribu", 20_000],
    ["hundreds", 100],
    ["10.000.000", MAX_COUNT],
  ])("reads %j as %d people", (text, expected) => {
    expect(parseCount(text)).toEqual({ ok: true, value: expected });
  });

  it.each(["", "banyak", "entah", "1,5", "2.5", "30-20", "20 kambing", "x".repeat(80)])(
    "refuses %j as not a number of people",
    (text) => {
      expect(parseCount(text)).toEqual({ ok: false, errorKey: "report:errors.countMalformed" });
    },
  );

  it.each(["0", "0 orang", "sekitar 0"])("refuses zero people %j", (text) => {
    expect(parseCount(text)).toEqual({ ok: false, errorKey: "report:errors.countZero" });
  });

  it.each(["-5", "- 5 orang", "minus 3"])("refuses the negative count %j", (text) => {
    expect(parseCount(text)).toEqual({ ok: false, errorKey: "report:errors.countNegative" });
  });

  it.each(["10.000.001", "11 juta", "999999999999999999999"])("refuses the absurd count %j", (text) => {
    expect(parseCount(text)).toEqual({ ok: false, errorKey: "report:errors.countTooLarge" });
  });
});
