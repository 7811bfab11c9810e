import { beforeAll, describe, expect, it } from "vitest";
import { createI18n, type I18n } from "../../../bot/i18n.ts";
import { createRegionCatalog, getRegionCatalog } from "../../../domain/regions/region-catalog.ts";
import type { Translate } from "../../../handlers/common/context.ts";
import { fitValues, MESSAGE_LIMIT, visibleLength } from "../../../handlers/report/message-fit.ts";
import { searchRegions } from "../../../handlers/report/region-results.ts";
import { cachedText } from "../../../handlers/report/texts.ts";

/** What the report conversation computes once and then remembers gives what computing it every time gives. */
describe("texts and searches the report conversation remembers", () => {
  let i18n: I18n;
  beforeAll(async () => {
    i18n = await createI18n("id");
  });

  it("renders an interpolated text as i18next does, once per locale and values", () => {
    const calls: string[] = [];
    const counting =
      (t: Translate): Translate =>
      (key, options) => {
        calls.push(key);
        return t(key, options);
      };
    const id = counting(i18n.forLocale("id"));
    const en = counting(i18n.forLocale("en"));
    for (let round = 0; round < 3; round++) {
      expect(cachedText(id, "report:progress", { current: 3, total: 17 })).toBe(
        i18n.forLocale("id")("report:progress", { current: 3, total: 17 }),
      );
      expect(cachedText(en, "report:progress", { current: 3, total: 17 })).toBe(
        i18n.forLocale("en")("report:progress", { current: 3, total: 17 }),
      );
      expect(cachedText(en, "report:progress", { current: 4, total: 17 })).toContain("4");
    }
    expect(calls).toHaveLength(3);
  });

  it("finds the regions the catalog finds, for queries that differ only in case and punctuation too", async () => {
    const regions = await getRegionCatalog();
    for (const query of ["tebet", "Tebet", "TEBET.", "jak sel", "kota bandung", "slemn", "zzzz"]) {
      expect(searchRegions(regions, query, 8)).toEqual(regions.search(query, { limit: 8 }));
      expect(searchRegions(regions, query, 3)).toEqual(regions.search(query, { limit: 3 }));
    }
  });

  it("keeps each catalog's results apart", () => {
    const one = createRegionCatalog({
      provinces: [{ code: "31", name: "DKI JAKARTA" }],
      regencies: [],
      districts: [],
    });
    const other = createRegionCatalog({
      provinces: [{ code: "32", name: "JAWA BARAT" }],
      regencies: [],
      districts: [],
    });
    expect(searchRegions(one, "jakarta", 8).map((region) => region.code)).toEqual(["31"]);
    expect(searchRegions(other, "jakarta", 8)).toEqual([]);
  });

  it("renders a shortening marker only for an answer that is shortened", () => {
    const rendered: string[] = [];
    const marker = (label: string) => () => {
      rendered.push(label);
      return `(${label} shortened)`;
    };
    const render = (values: string[]) => values.join("\n");
    const fits = fitValues([{ value: "short", marker: marker("a") }], render);
    expect(fits).toEqual(["short"]);
    expect(rendered).toEqual([]);
    const values = fitValues(
      [
        { value: "x".repeat(MESSAGE_LIMIT), marker: marker("long") },
        { value: "short", marker: marker("short") },
      ],
      render,
    );
    expect(visibleLength(render(values))).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(values[0]).toMatch(/… \(long shortened\)$/);
    expect(rendered).toEqual(["long"]);
  });
});
