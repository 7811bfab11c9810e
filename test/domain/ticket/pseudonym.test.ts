import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  PSEUDONYM_ALPHABET,
  pseudonymCandidates,
  pseudonymFromHash,
} from "../../../domain/ticket/pseudonym.ts";

const hmac = (telegramId: number): string =>
  createHmac("sha256", "test-key").update(String(telegramId)).digest("hex");
const LABEL = new RegExp(`^[${PSEUDONYM_ALPHABET}]+$`);

describe("pseudonymFromHash", () => {
  it("is four characters from an alphabet without 0, 1, I, L, O", () => {
    expect(PSEUDONYM_ALPHABET).toHaveLength(31);
    expect(PSEUDONYM_ALPHABET).not.toMatch(/[01ILO]/);
    for (let id = 1; id <= 500; id++) {
      const label = pseudonymFromHash(hmac(id));
      expect(label).toHaveLength(4);
      expect(label).toMatch(LABEL);
    }
  });

  it("is the same for the same reporter, whatever the hex case", () => {
    const hash = hmac(123456789);
    expect(pseudonymFromHash(hash)).toBe(pseudonymFromHash(hash));
    expect(pseudonymFromHash(hash.toUpperCase())).toBe(pseudonymFromHash(hash));
  });

  it("spreads reporters over the whole alphabet in every position", () => {
    const seen = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()];
    const labels = new Set<string>();
    for (let id = 1; id <= 2_000; id++) {
      const label = pseudonymFromHash(hmac(id));
      labels.add(label);
      for (const [i, char] of [...label].entries()) seen[i]?.add(char);
    }
    for (const position of seen) expect(position.size).toBe(31);
    // 2,000 labels out of 923,521: a handful of collisions at most (expected about 2).
    expect(labels.size).toBeGreaterThan(1_990);
  });

  it("refuses input that is not a long enough hex HMAC", () => {
    expect(() => pseudonymFromHash("")).toThrow(RangeError);
    expect(() => pseudonymFromHash("abc123")).toThrow(RangeError);
    expect(() => pseudonymFromHash("zz".repeat(32))).toThrow(RangeError);
    expect(() => pseudonymCandidates("not hex at all, really")).toThrow(RangeError);
  });
});

describe("pseudonymCandidates", () => {
  it("yields 4, 5, 6, 7 and 8 characters, each extending the one before", () => {
    const hash = hmac(42);
    const candidates = [...pseudonymCandidates(hash)];
    expect(candidates.map((c) => c.length)).toEqual([4, 5, 6, 7, 8]);
    expect(candidates[0]).toBe(pseudonymFromHash(hash));
    for (let i = 1; i < candidates.length; i++) {
      expect(candidates[i]?.startsWith(candidates[i - 1] ?? "?")).toBe(true);
      expect(candidates[i]).toMatch(LABEL);
    }
  });

  it("lets a unique insert retry past a collision", () => {
    const taken = new Set<string>();
    const insert = (hash: string): string => {
      for (const candidate of pseudonymCandidates(hash)) {
        if (!taken.has(candidate)) {
          taken.add(candidate);
          return candidate;
        }
      }
      throw new Error("out of pseudonyms");
    };
    const hash = hmac(7);
    taken.add(pseudonymFromHash(hash));
    const label = insert(hash);
    expect(label).toHaveLength(5);
    expect(label.startsWith(pseudonymFromHash(hash))).toBe(true);
    for (let id = 1_000; id < 3_000; id++) insert(hmac(id));
    // The squatter, reporter 7 and 2,000 more: every reporter got a label of their own.
    expect(taken.size).toBe(2_002);
  });
});
