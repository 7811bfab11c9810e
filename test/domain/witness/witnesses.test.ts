import { describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { stepsFor } from "../../../domain/report/steps.ts";
import {
  openWitnesses,
  sealAnsweredWitnesses,
  sealWitnesses,
  WITNESS_LIMIT,
  WITNESS_STEPS,
  witnessFromText,
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

describe("witnesses typed in the report flow", () => {
  it.each([
    ["Sulastri, warung depan TPS 12", { name: "Sulastri", contact: "warung depan TPS 12" }],
    ["Pak Darto; 0812 3456 7890", { name: "Pak Darto", contact: "0812 3456 7890" }],
    ["Bu Ani - tetangga sebelah", { name: "Bu Ani", contact: "tetangga sebelah" }],
    ["Siti Aminah", { name: "Siti Aminah" }],
    ["Yusuf, 12", { name: "Yusuf" }],
    ["A, rumah nomor 5", { name: "A, rumah nomor 5" }],
  ])("reads %j as a name and how to reach them", (text, expected) => {
    expect(witnessFromText(text)).toEqual(expected);
  });

  it("seals the witness answers of an identified draft, and none of an anonymous one", () => {
    const cipher = createDataCipher("k1:" + Buffer.alloc(32, 7).toString("base64"));
    const answers = {
      identity: "IDENTIFIED",
      witness_1: cipher.encrypt("Sulastri, warung depan TPS 12"),
      witness_2: cipher.encrypt("Pak Darto"),
    };
    const sealed = sealAnsweredWitnesses(cipher, answers);
    expect(sealed).not.toContain("Sulastri");
    expect(openWitnesses(cipher, sealed)).toEqual([
      { name: "Sulastri", contact: "warung depan TPS 12" },
      { name: "Pak Darto" },
    ]);
    expect(sealAnsweredWitnesses(cipher, { ...answers, identity: "ANONYMOUS" })).toBeNull();
    expect(sealAnsweredWitnesses(cipher, { identity: "IDENTIFIED" })).toBeNull();
  });

  it("asks the witnesses of identified reports only, one after another until one is skipped", () => {
    const ids = (answers: Record<string, unknown>) =>
      stepsFor("OTHER", answers)
        .map((step) => step.id)
        .filter((id) => id.startsWith("witness_"));
    expect(ids({ identity: "ANONYMOUS" })).toEqual([]);
    expect(ids({ identity: "IDENTIFIED" })).toEqual(["witness_1"]);
    expect(ids({ identity: "IDENTIFIED", witness_1: "sealed" })).toEqual(["witness_1", "witness_2"]);
    expect(ids({ identity: "IDENTIFIED", witness_1: null })).toEqual(["witness_1"]);
  });
});
