import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generateTicketCode,
  parseTicketCode,
  type RandomBytes,
  TICKET_ALPHABET,
  TICKET_CODE_LENGTH,
  TICKET_PREFIX,
} from "../../../domain/report/ticket-code.ts";

/** A random source that hands out the given bytes in order, as many as each call asks for. */
function fixedBytes(bytes: number[]): RandomBytes & { calls: number } {
  let position = 0;
  const source = Object.assign(
    (size: number): Uint8Array => {
      source.calls += 1;
      const chunk = bytes.slice(position, position + size);
      position += size;
      if (chunk.length < size) throw new Error("the test ran out of random bytes");
      return Uint8Array.from(chunk);
    },
    { calls: 0 },
  );
  return source;
}

describe("TICKET_ALPHABET", () => {
  it("has 31 characters without look-alikes", () => {
    expect(TICKET_ALPHABET).toHaveLength(31);
    expect(new Set(TICKET_ALPHABET).size).toBe(31);
    for (const lookAlike of "01OIL") expect(TICKET_ALPHABET).not.toContain(lookAlike);
  });
});

describe("TICKET_PREFIX", () => {
  it("gives each category its prefix", () => {
    expect(TICKET_PREFIX).toEqual({ MONEY_POLITICS: "PU", HOAX: "HK", ASN_NEUTRALITY: "AS", OTHER: "LN" });
  });
});

describe("generateTicketCode", () => {
  it("maps each accepted byte to a character of the alphabet", () => {
    const random = fixedBytes([0, 1, 30, 31, 62, 247, 0, 0, 0, 0, 0, 0]);
    expect(generateTicketCode("PU", random)).toBe("PU-23Z22Z");
  });

  it("rejects bytes of 248 and above, so that every character is equally likely", () => {
    const random = fixedBytes([
      248, 255, 0, 250, 1, 2, 3, 4, 249, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    expect(generateTicketCode("HK", random)).toBe("HK-234567");
    expect(random.calls).toBe(1);
  });

  it("asks for more bytes until it has six characters", () => {
    const random = fixedBytes([...Array(12).fill(255), ...Array(6).fill(9), ...Array(6).fill(255)]);
    expect(generateTicketCode("AS", random)).toBe("AS-BBBBBB");
    expect(random.calls).toBe(2);
  });

  it("makes codes that parseTicketCode reads back", () => {
    for (const prefix of Object.values(TICKET_PREFIX)) {
      const code = generateTicketCode(prefix);
      expect(code).toMatch(new RegExp(`^${prefix}-[${TICKET_ALPHABET}]{${TICKET_CODE_LENGTH}}$`));
      expect(parseTicketCode(code)).toBe(code);
    }
  });

  it("maps the 248 accepted byte values onto each character exactly 8 times, and draws again otherwise", () => {
    const counts = new Map<string, number>();
    for (let byte = 0; byte < 256; byte += 1) {
      let calls = 0;
      const random: RandomBytes = (size) => new Uint8Array(size).fill(calls++ === 0 ? byte : 0);
      const first = generateTicketCode("LN", random).charAt(3);
      if (byte >= 248) {
        expect(calls, `byte ${byte} must be drawn again`).toBe(2);
        continue;
      }
      expect(calls).toBe(1);
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.size).toBe(31);
    expect(new Set(counts.values())).toEqual(new Set([8]));
  });

  it("uses the crypto source by default", () => {
    expect(generateTicketCode("PU")).not.toBe(generateTicketCode("PU", randomBytes));
  });

  it.each(["", "P", "pu", "PU-", "ABCD"])(
    "refuses the malformed prefix %j, a programming error",
    (prefix) => {
      expect(() => generateTicketCode(prefix)).toThrow(RangeError);
    },
  );
});

describe("parseTicketCode", () => {
  it.each([
    ["PU-7K3Q9M", "PU-7K3Q9M"],
    ["pu-7k3q9m", "PU-7K3Q9M"],
    ["PU7K3Q9M", "PU-7K3Q9M"],
    ["pu 7k3 q9m", "PU-7K3Q9M"],
    ["  PU - 7K3Q9M\n", "PU-7K3Q9M"],
    ["#PU-7K3Q9M", "PU-7K3Q9M"],
    ["PU–7K3Q9M", "PU-7K3Q9M"],
    ["PU_7K3Q9M", "PU-7K3Q9M"],
    ["hk-zzzzzz", "HK-ZZZZZZ"],
    ["AS-234567", "AS-234567"],
    ["ln-abcdef", "LN-ABCDEF"],
  ])("reads %j as %j", (text, expected) => {
    expect(parseTicketCode(text)).toBe(expected);
  });

  it.each([
    "",
    "PU",
    "PU-7K3Q9",
    "PU-7K3Q9MM",
    "XX-7K3Q9M",
    "ASN-7K3Q9M",
    "PU-7K3Q0M",
    "PU-7K3QOM",
    "PU-7K3Q1M",
    "PU-7K3QIM",
    "PU-7K3QLM",
    "PU-7K3Q9!",
    "kode saya PU-7K3Q9M",
    `PU-${"7".repeat(100)}`,
  ])("refuses %j", (text) => {
    expect(parseTicketCode(text)).toBeNull();
  });
});
