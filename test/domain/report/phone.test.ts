import { describe, expect, it } from "vitest";
import { normalizeIndonesianPhone } from "../../../domain/report/phone.ts";

describe("normalizeIndonesianPhone", () => {
  it.each([
    ["0812-3456-7890", "+6281234567890"],
    ["081234567890", "+6281234567890"],
    ["0812 3456 7890", "+6281234567890"],
    ["0812.3456.7890", "+6281234567890"],
    ["6281234567890", "+6281234567890"],
    ["+6281234567890", "+6281234567890"],
    ["+62 812 3456 7890", "+6281234567890"],
    ["+62 (0) 812-3456-7890", "+6281234567890"],
    ["+62 0812 3456 7890", "+6281234567890"],
    ["62 0812 3456 7890", "+6281234567890"],
    ["0062 812 3456 7890", "+6281234567890"],
    ["812 3456 7890", "+6281234567890"],
    ["(021) 555-0123", "+62215550123"],
    ["021/5550123", "+62215550123"],
    ["  0812345678  ", "+62812345678"],
  ])("normalises the Indonesian number %j", (text, expected) => {
    expect(normalizeIndonesianPhone(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["+60 12-345 6789", "+60123456789"],
    ["+1 (415) 555-2671", "+14155552671"],
    ["0044 20 7946 0958", "+442079460958"],
    ["+65 6123 4567", "+6561234567"],
  ])("keeps the other country's E.164 number %j", (text, expected) => {
    expect(normalizeIndonesianPhone(text)).toEqual({ ok: true, value: expected });
  });

  it("accepts the shortest and longest E.164 numbers", () => {
    expect(normalizeIndonesianPhone("+1234 5678")).toEqual({ ok: true, value: "+12345678" });
    expect(normalizeIndonesianPhone("+123456789012345")).toEqual({ ok: true, value: "+123456789012345" });
  });

  it.each([
    "",
    "   ",
    "nomor saya",
    "0812-3456-789O",
    "+62 812 3456 7890 ext 1",
    "++6281234567890",
    "+0812345678",
    "12345678",
    "+62+812",
  ])("refuses %j as not a phone number", (text) => {
    expect(normalizeIndonesianPhone(text)).toEqual({ ok: false, errorKey: "report:errors.phoneMalformed" });
  });

  it.each(["0812", "+1234567", "021 123"])("refuses the too-short number %j", (text) => {
    expect(normalizeIndonesianPhone(text)).toEqual({ ok: false, errorKey: "report:errors.phoneTooShort" });
  });

  it.each(["+1234567890123456", "0812 3456 7890 1234"])("refuses the too-long number %j", (text) => {
    expect(normalizeIndonesianPhone(text)).toEqual({ ok: false, errorKey: "report:errors.phoneTooLong" });
  });
});
