import { describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { stepsFor } from "../../../domain/report/steps.ts";
import {
  openWitnesses,
  sealWitnesses,
  WITNESS_LIMIT,
  WITNESS_STEPS,
} from "../../../domain/witness/witnesses.ts";

const cipher = createDataCipher(`test:${Buffer.alloc(32, 3).toString("base64")}`);

describe("witnesses", () => {
  it("are sealed as one ciphertext that names nobody, and open again", () => {
    const sealed = sealWitnesses(cipher, [
      { name: "Budi Santoso", contact: "0813 1111 2222" },
      { name: "Rina" },
    ]);
    expect(sealed).not.toContain("Budi");
    expect(openWitnesses(cipher, sealed)).toEqual([
      { name: "Budi Santoso", contact: "0813 1111 2222" },
      { name: "Rina" },
    ]);
    expect(sealWitnesses(cipher, [])).toBeNull();
    expect(openWitnesses(cipher, null)).toEqual([]);
  });

  it("are at most three", () => {
    const four = Array.from({ length: WITNESS_LIMIT + 1 }, (_, i) => ({ name: `Saksi ${i}` }));
    expect(() => sealWitnesses(cipher, four)).toThrow();
  });

  it("ask a name and a contact, each with the report flow's length hints", () => {
    const [name, contact] = WITNESS_STEPS;
    expect(name!.parse("B")).toEqual({ ok: false, errorKey: "report:errors.tooShort" });
    expect(name!.parse("  Budi   Santoso ")).toEqual({ ok: true, value: "Budi Santoso" });
    expect(contact!.parse("x".repeat(101))).toEqual({ ok: false, errorKey: "report:errors.tooLong" });
  });
});

describe("ASN reports", () => {
  const ids = (answers: Record<string, unknown>) =>
    stepsFor("ASN_NEUTRALITY", answers).map((step) => step.id);

  it("ask the platform when the act was on social media, like the hoax flow", () => {
    expect(ids({ asn_actions: ["POSTED"] })).toContain("asn_platforms");
    expect(ids({ asn_actions: ["ATTENDED_CAMPAIGN", "SHARED"] })).toContain("asn_platforms");
    expect(ids({ asn_actions: ["ATTENDED_CAMPAIGN"] })).not.toContain("asn_platforms");
    expect(ids({})).not.toContain("asn_platforms");
  });
});
