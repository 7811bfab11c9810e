import { describe, expect, it } from "vitest";
import { parseLocalizedNumber } from "../../../domain/report/localized-number.ts";

describe("parseLocalizedNumber", () => {
  it.each([
    ["100000", 1n, 100_000n, true],
    ["100.000", 1n, 100_000n, true],
    ["25.000,00", 1n, 25_000n, true],
    ["25.000,5", 1n, 25_001n, false],
    ["1,500,000", 1n, 1_500_000n, true],
    ["1,500,000.00", 1n, 1_500_000n, true],
    ["100,000", 1n, 100_000n, true],
    ["1,5", 1_000_000n, 1_500_000n, true],
    ["1.5", 1_000_000n, 1_500_000n, true],
    ["1,500", 1_000_000n, 1_500_000n, true],
    ["1.500", 1_000n, 1_500_000n, true],
    ["1,234", 1_000n, 1_234n, true],
    ["1,2345", 1_000n, 1_235n, false],
  ] as const)("reads %j × %d as %d (exact: %s)", (text, multiplier, value, exact) => {
    expect(parseLocalizedNumber(text, multiplier)).toEqual({ value, exact });
  });

  it.each(["", "abc", "1..5", "1.5.5", "1,5,5", ".5", "5.", "1.000,000,0", "1 000"])("refuses %j", (text) => {
    expect(parseLocalizedNumber(text)).toBeNull();
  });
});
