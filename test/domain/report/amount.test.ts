import { describe, expect, it } from "vitest";
import { formatRupiah, MAX_RUPIAH, parseRupiah } from "../../../domain/report/amount.ts";

describe("parseRupiah", () => {
  it.each([
    ["50rb", 50_000],
    ["50 ribu", 50_000],
    ["50 RB", 50_000],
    ["50 rebu", 50_000],
    ["250k", 250_000],
    ["Rp 100.000", 100_000],
    ["Rp100.000,-", 100_000],
    ["Rp. 100.000", 100_000],
    ["rp 100.000.-", 100_000],
    ["100000", 100_000],
    ["100.000", 100_000],
    ["1.500.000", 1_500_000],
    ["Rp 25.000,00", 25_000],
    ["25000,00", 25_000],
    ["1,5 juta", 1_500_000],
    ["1.5jt", 1_500_000],
    ["1.5 jt", 1_500_000],
    ["2,75 jt", 2_750_000],
    ["2 jt", 2_000_000],
    ["2juta", 2_000_000],
    ["Rp 2 juta", 2_000_000],
    ["1 M", 1_000_000_000],
    ["1 miliar", 1_000_000_000],
    ["2,5 milyar", 2_500_000_000],
    ["1 triliun", 1_000_000_000_000],
    ["50.000 rupiah", 50_000],
    ["IDR 50,000", 50_000],
    ["1,500,000", 1_500_000],
    ["50ribuan", 50_000],
    ["100rb-an", 100_000],
    ["  Rp   75.000  ", 75_000],
    ["1 million", 1_000_000],
  ])("reads %j as %d rupiah", (text, expected) => {
    expect(parseRupiah(text)).toEqual({ ok: true, value: expected });
  });

  it("reads a dot followed by three digits before a unit as a thousands separator", () => {
    expect(parseRupiah("1.500 rb")).toEqual({ ok: true, value: 1_500_000 });
  });

  it("reads a single comma before a unit as the Indonesian decimal separator", () => {
    expect(parseRupiah("1,500 jt")).toEqual({ ok: true, value: 1_500_000 });
  });

  it("rounds fractions of a rupiah", () => {
    expect(parseRupiah("Rp 25.000,50")).toEqual({ ok: true, value: 25_001 });
    expect(parseRupiah("1,2345 rb")).toEqual({ ok: true, value: 1_235 });
  });

  it("computes without floating-point drift", () => {
    expect(parseRupiah("1,15 jt")).toEqual({ ok: true, value: 1_150_000 });
  });

  it.each(["", "   ", "\n"])("refuses an empty answer %j", (text) => {
    expect(parseRupiah(text)).toEqual({ ok: false, errorKey: "report:errors.amountEmpty" });
  });

  it.each([
    "lima puluh ribu",
    "abc",
    "Rp",
    "rb",
    "50 dolar",
    "50rb-100rb",
    "50.00.0",
    "1..5 jt",
    "50 rb 20",
    "9".repeat(70),
  ])("refuses %j as not an amount", (text) => {
    expect(parseRupiah(text)).toEqual({ ok: false, errorKey: "report:errors.amountMalformed" });
  });

  it.each(["-50rb", "- 50.000", "Rp -50.000", "-Rp 50.000", "minus 50rb", "\u221250rb"])(
    "refuses the negative amount %j",
    (text) => {
      expect(parseRupiah(text)).toEqual({ ok: false, errorKey: "report:errors.amountNegative" });
    },
  );

  it.each(["0", "Rp 0", "0 rb", "0,00", "0,4"])("refuses the zero amount %j", (text) => {
    expect(parseRupiah(text)).toEqual({ ok: false, errorKey: "report:errors.amountZero" });
  });

  it.each(["1.000.000.000.001", "2 triliun", "1001 M", "99999999999999999999"])(
    "refuses the absurd amount %j",
    (text) => {
      expect(parseRupiah(text)).toEqual({ ok: false, errorKey: "report:errors.amountTooLarge" });
    },
  );

  it("accepts exactly the maximum", () => {
    expect(parseRupiah("1.000.000.000.000")).toEqual({ ok: true, value: MAX_RUPIAH });
  });
});

describe("formatRupiah", () => {
  it("writes Indonesian thousands separators after Rp", () => {
    expect(formatRupiah(1_500_000, "id")).toBe("Rp 1.500.000");
    expect(formatRupiah(500, "id")).toBe("Rp 500");
  });

  it("writes English thousands separators after IDR", () => {
    expect(formatRupiah(1_500_000, "en")).toBe("IDR 1,500,000");
    expect(formatRupiah(MAX_RUPIAH, "en")).toBe("IDR 1,000,000,000,000");
  });

  it("round-trips what parseRupiah reads", () => {
    const parsed = parseRupiah(formatRupiah(2_750_000, "id"));
    expect(parsed).toEqual({ ok: true, value: 2_750_000 });
    expect(parseRupiah(formatRupiah(2_750_000, "en"))).toEqual({ ok: true, value: 2_750_000 });
  });
});
