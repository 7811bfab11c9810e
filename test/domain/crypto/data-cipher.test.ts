import { describe, expect, it } from "vitest";
import {
  createDataCipher,
  DataKeyError,
  generateDataKey,
  parseDataKeys,
} from "../../../domain/crypto/data-cipher.ts";
import { HASH_PURPOSES, type HashPurpose } from "../../../domain/crypto/hash-purposes.ts";

const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("hex");

describe("data cipher", () => {
  it("round-trips text, with a fresh IV each time", () => {
    const cipher = createDataCipher(`a:${KEY_A}`);
    const first = cipher.encrypt("+6281234567890");
    expect(first).toMatch(/^v1\.a\./);
    expect(first).not.toBe(cipher.encrypt("+6281234567890"));
    expect(cipher.decrypt(first)).toBe("+6281234567890");
  });

  it("never repeats an IV, across the draws of fresh random bytes, and every ciphertext still opens", () => {
    const cipher = createDataCipher(`a:${KEY_A}`);
    const ciphertexts = Array.from({ length: 1_000 }, (_, i) => cipher.encrypt(`catatan ${i}`));
    const ivs = ciphertexts.map((text) => text.split(".")[2]);
    expect(new Set(ivs).size).toBe(ciphertexts.length);
    expect(ivs.every((iv) => Buffer.from(iv!, "base64url").length === 12)).toBe(true);
    expect(ciphertexts.map((text) => cipher.decrypt(text))).toEqual(
      ciphertexts.map((_, i) => `catatan ${i}`),
    );
  });

  it("detects tampering", () => {
    const cipher = createDataCipher(KEY_A);
    const [v, id, iv, body] = cipher.encrypt("Siti").split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt([v, id, iv, flipped.toString("base64url")].join("."))).toThrow();
  });

  it("rotates keys: the new key encrypts, the old one still decrypts and finds", () => {
    const old = createDataCipher(`k1:${KEY_A}`);
    const stored = old.encrypt("987654321");
    const rotated = createDataCipher(`k2:${KEY_B},k1:${KEY_A}`);
    expect(rotated.decrypt(stored)).toBe("987654321");
    expect(rotated.encrypt("x")).toMatch(/^v1\.k2\./);
    expect(rotated.hashes("reporter", "987654321")).toContain(old.hash("reporter", "987654321"));
  });

  it("names the missing key when old data meets a DATA_KEY without it", () => {
    const stored = createDataCipher(`k1:${KEY_A}`).encrypt("x");
    expect(() => createDataCipher(`k2:${KEY_B}`).decrypt(stored)).toThrow(/key "k1"/);
  });

  it("hashes deterministically per key", () => {
    const cipher = createDataCipher(KEY_A);
    expect(cipher.hash("reporter", "42")).toBe(cipher.hash("reporter", "42"));
    expect(cipher.hash("reporter", "42")).not.toBe(createDataCipher(KEY_B).hash("reporter", "42"));
  });

  it("separates purposes: one Telegram id hashes to unrelated values per purpose, none the old join key", () => {
    const cipher = createDataCipher(KEY_A);
    const all = (Object.keys(HASH_PURPOSES) as HashPurpose[]).map((purpose) => cipher.hash(purpose, "42"));
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain(cipher.legacyHashes("42")[0]);
  });

  it("still finds rows stored with the hash from before domain separation until the rotation re-derives them", () => {
    const cipher = createDataCipher(`k1:${KEY_A}`);
    const [legacy] = cipher.legacyHashes("42");
    expect(cipher.hashes("subscriptionChat", "42")).toContain(legacy);
    expect(cipher.hashes("subscriptionChat", "42")[0]).toBe(cipher.hash("subscriptionChat", "42"));
  });

  it("refuses malformed keys with a hint", () => {
    expect(() => parseDataKeys("")).toThrow(DataKeyError);
    expect(() => parseDataKeys("too-short")).toThrow(/openssl rand -base64 32/);
    expect(() => parseDataKeys(`a:${KEY_A},a:${KEY_B}`)).toThrow(/duplicate/);
    expect(parseDataKeys(generateDataKey())).toHaveLength(1);
  });
});
