import { describe, expect, it } from "vitest";
import { backoffMs, classifyTelegramError } from "../../../domain/pacing/backoff.ts";

describe("backoffMs", () => {
  it("stays within [0, min(max, base × 2^attempt)) for every attempt", () => {
    for (let attempt = 0; attempt <= 40; attempt++) {
      const cap = Math.min(300_000, 1_000 * 2 ** attempt);
      expect(backoffMs(attempt, { random: () => 0 })).toBe(0);
      const high = backoffMs(attempt, { random: () => 0.999_999_999 });
      expect(high).toBeLessThan(cap);
      expect(high).toBeGreaterThanOrEqual(cap - 1);
    }
  });

  it("doubles the cap per attempt with full jitter", () => {
    const half = { random: () => 0.5 };
    expect([0, 1, 2, 3, 8, 9].map((attempt) => backoffMs(attempt, half))).toEqual([
      500, 1_000, 2_000, 4_000, 128_000, 150_000,
    ]);
  });

  it("honours baseMs and maxMs, and survives huge attempt numbers", () => {
    expect(backoffMs(2, { baseMs: 100, random: () => 0.5 })).toBe(200);
    expect(backoffMs(10, { maxMs: 5_000, random: () => 0.5 })).toBe(2_500);
    expect(backoffMs(100_000, { random: () => 0.5 })).toBe(150_000);
    expect(backoffMs(2.7, { random: () => 0.5 })).toBe(2_000);
  });

  it("keeps a misbehaving random source inside the bounds", () => {
    expect(backoffMs(0, { random: () => 1 })).toBe(999);
    expect(backoffMs(0, { random: () => -1 })).toBe(0);
  });

  it("spreads real random delays over the whole range", () => {
    const samples = Array.from({ length: 2_000 }, () => backoffMs(4));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(16_000);
    expect(samples.filter((ms) => ms < 8_000).length).toBeGreaterThan(800);
    expect(samples.filter((ms) => ms >= 8_000).length).toBeGreaterThan(800);
  });

  it("refuses a negative or infinite attempt", () => {
    expect(() => backoffMs(-1)).toThrow(RangeError);
    expect(() => backoffMs(Number.NaN)).toThrow(RangeError);
    expect(() => backoffMs(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("classifyTelegramError", () => {
  /** The shape of grammY's GrammyError: an Error with the API's error fields. */
  function grammyError(error_code: number, description: string, parameters: Record<string, unknown> = {}) {
    return Object.assign(new Error(`Call to 'sendMessage' failed! (${error_code}: ${description})`), {
      ok: false,
      error_code,
      description,
      parameters,
      method: "sendMessage",
    });
  }

  it("429 asks to wait retry_after seconds", () => {
    expect(
      classifyTelegramError(grammyError(429, "Too Many Requests: retry after 35", { retry_after: 35 })),
    ).toEqual({
      kind: "retryAfter",
      seconds: 35,
    });
    expect(
      classifyTelegramError({ error_code: 429, description: "Too Many Requests: retry after 7" }),
    ).toEqual({
      kind: "retryAfter",
      seconds: 7,
    });
    expect(classifyTelegramError({ error_code: 429, description: "Too Many Requests" })).toEqual({
      kind: "transient",
    });
  });

  it.each([
    "Forbidden: bot was blocked by the user",
    "Forbidden: user is deactivated",
    "Forbidden: bot was kicked from the group chat",
    "Forbidden: bot was kicked from the supergroup chat",
    "Forbidden: bot is not a member of the channel chat",
    "Forbidden: bot can't initiate conversation with a user",
  ])("403 %s → blocked", (description) => {
    expect(classifyTelegramError(grammyError(403, description))).toEqual({ kind: "blocked" });
  });

  it.each(["Bad Request: chat not found", "Bad Request: user not found", "Bad Request: PEER_ID_INVALID"])(
    "400 %s → blocked: the recipient is gone",
    (description) => {
      expect(classifyTelegramError(grammyError(400, description))).toEqual({ kind: "blocked" });
    },
  );

  it.each([
    [400, "Bad Request: message is too long"],
    [400, "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 12"],
    [400, "Bad Request: message to edit not found"],
    [401, "Unauthorized"],
    [404, "Not Found"],
  ])("%d %s → badRequest", (code, description) => {
    expect(classifyTelegramError(grammyError(code, description))).toEqual({
      kind: "badRequest",
      description,
    });
  });

  it("a 4xx without a description is still a bad request", () => {
    expect(classifyTelegramError({ error_code: 400 })).toEqual({ kind: "badRequest", description: "" });
  });

  it.each([
    ["502 Bad Gateway", { error_code: 502, description: "Bad Gateway" }],
    ["500 Internal Server Error", { error_code: 500, description: "Internal Server Error" }],
    [
      "grammY's HttpError (network)",
      Object.assign(new Error("Network request for 'sendMessage' failed!"), {
        error: new Error("ECONNRESET"),
      }),
    ],
    ["a fetch TypeError", new TypeError("fetch failed")],
    ["a thrown string", "boom"],
    ["undefined", undefined],
    ["null", null],
  ])("%s → transient", (_name, error) => {
    expect(classifyTelegramError(error)).toEqual({ kind: "transient" });
  });
});
