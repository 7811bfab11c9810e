import { describe, expect, it } from "vitest";
import { audienceCondition, EVERYONE, parseAudience } from "../../../domain/broadcast/audience.ts";

describe("audience", () => {
  it("selects every active subscriber for everyone", () => {
    const sql = audienceCondition(EVERYONE);
    expect(sql.sql).toBe("s.active");
    expect(sql.values).toEqual([]);
  });

  it("selects a province's subscribers, including those who chose a regency inside it", () => {
    const sql = audienceCondition({ area: { level: "province", code: "32" }, locale: null });
    expect(sql.sql).toBe("s.active AND s.province_code = ?");
    expect(sql.values).toEqual(["32"]);
  });

  it("selects a regency's subscribers and those who chose its whole province, in one language", () => {
    const sql = audienceCondition({ area: { level: "regency", code: "32.73" }, locale: "en" });
    expect(sql.sql).toBe(
      "s.active AND (s.regency_code = ? OR (s.province_code = ? AND s.regency_code IS NULL)) AND s.locale = ?",
    );
    expect(sql.values).toEqual(["32.73", "32", "en"]);
  });

  it("refuses stored audiences of an unknown shape", () => {
    expect(() => parseAudience({ area: { level: "district", code: "32.73.01" }, locale: null })).toThrow();
    expect(() => parseAudience({ area: null, locale: "fr" })).toThrow();
    expect(parseAudience({ area: null, locale: "id" })).toEqual({ area: null, locale: "id" });
  });
});
