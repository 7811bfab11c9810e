import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES_DIR, loadResources } from "../bot/i18n.ts";

type Tree = { [key: string]: string | Tree };

const flatten = (tree: Tree, prefix = ""): Map<string, string> =>
  new Map(
    Object.entries(tree).flatMap(([key, value]) =>
      typeof value === "string" ? [[`${prefix}${key}`, value]] : [...flatten(value, `${prefix}${key}.`)],
    ),
  );

const resources = loadResources(LOCALES_DIR);
const locales = Object.keys(resources);
/** Every key of every locale as `namespace:path`, with its text. */
const keysOf = (locale: string): Map<string, string> =>
  new Map(
    Object.entries(resources[locale] as Record<string, Tree>).flatMap(([namespace, tree]) =>
      [...flatten(tree)].map(([key, text]) => [`${namespace}:${key}`, text] as const),
    ),
  );

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}
const ROOT = join(LOCALES_DIR, "..");
const source = ["bot", "handlers", "domain"].flatMap((dir) => sourceFiles(join(ROOT, dir)));
const code = source.map((file) => readFileSync(file, "utf8")).join("\n");
const namespaces = Object.keys(resources.id ?? {});
const keyPattern = new RegExp(`["'\`]((?:${namespaces.join("|")}):[A-Za-z0-9_.]+)["'\`]`, "g");
/** Keys written out in full in the code. */
const literalKeys = new Set([...code.matchAll(keyPattern)].map((match) => match[1]!));
/** Families of keys built at run time, e.g. `report:steps.${id}.prompt` → "report:steps.". */
const dynamicPrefixes = [
  ...code.matchAll(new RegExp(`\`((?:${namespaces.join("|")}):[A-Za-z0-9_.]*)\\$\\{`, "g")),
].map((match) => match[1]!);

describe("locales", () => {
  it("has Indonesian and English", () => {
    expect(locales.sort()).toEqual(["en", "id"]);
  });

  it("has the same keys in every locale", () => {
    const [first, ...others] = locales.map((locale) => [locale, [...keysOf(locale).keys()].sort()] as const);
    for (const [locale, keys] of others) {
      expect(keys, `${locale} vs ${first![0]}`).toEqual(first![1]);
    }
  });

  it("uses the same placeholders in every locale", () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\{-?\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const id = keysOf("id");
    for (const [key, text] of keysOf("en"))
      expect(placeholders(text), key).toEqual(placeholders(id.get(key)!));
  });

  it("defines every key the code uses", () => {
    const id = keysOf("id");
    const missing = [...literalKeys].filter(
      (key) => !id.has(key) && ![...id.keys()].some((k) => k.startsWith(`${key}.`)),
    );
    expect(missing).toEqual([]);
  });

  it("has no key the code never uses", () => {
    const unused = [...keysOf("id").keys()].filter(
      (key) => !literalKeys.has(key) && !dynamicPrefixes.some((prefix) => key.startsWith(prefix)),
    );
    expect(unused).toEqual([]);
  });
});
