import { beforeAll, describe, expect, it } from "vitest";
import { createI18n, type I18n } from "../../../bot/i18n.ts";
import type { Translate } from "../../../handlers/common/context.ts";
import { fitValues, MESSAGE_LIMIT, visibleLength } from "../../../handlers/report/message-fit.ts";
import { cachedText } from "../../../handlers/report/texts.ts";

/** What the report conversation computes once and then remembers gives what computing it every time gives. */
describe("texts the report conversation remembers", () => {
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
