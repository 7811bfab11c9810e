import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInstance, type Resource, type TOptions } from "i18next";
import { escapeHtml } from "../handlers/common/html.ts";
import { LOCALES, type Locale } from "../handlers/common/locale.ts";

export const LOCALES_DIR = fileURLToPath(new URL("../locales", import.meta.url));
export const SUPPORTED_LOCALES: readonly Locale[] = LOCALES;

export type Translate = (key: string, options?: TOptions) => string;

export interface I18n {
  /** A translate function for one locale; interpolated values are HTML-escaped (use `{{- name}}` for HTML). */
  forLocale(locale: Locale): Translate;
  /** Picks a supported locale from Telegram's `language_code`, or the default. */
  detect(languageCode: string | undefined): Locale;
}

/** Reads `locales/<locale>/<namespace>.json` into one i18next instance; keys are used as `namespace:key`. */
export function loadResources(dir = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const locale of readdirSync(dir)) {
    resources[locale] = {};
    for (const file of readdirSync(join(dir, locale)).filter((name) => name.endsWith(".json"))) {
      resources[locale][file.replace(/\.json$/, "")] = JSON.parse(
        readFileSync(join(dir, locale, file), "utf8"),
      );
    }
  }
  return resources;
}

export async function createI18n(defaultLocale: Locale, resources = loadResources()): Promise<I18n> {
  const i18next = createInstance();
  await i18next.init({
    resources,
    lng: defaultLocale,
    fallbackLng: defaultLocale,
    supportedLngs: [...SUPPORTED_LOCALES],
    ns: Object.keys(resources[defaultLocale] ?? {}),
    defaultNS: "common",
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
    initAsync: false,
  });
  // `i18next.t` with `lng` rather than `getFixedT(locale)`: a fixed-language function copies every i18next option
  // on each call, 50 µs a text with values against 9 µs (a /start greeting, a step counter: most updates have one).
  const translators = new Map(
    SUPPORTED_LOCALES.map(
      (locale) =>
        [
          locale,
          memoized((key, options) =>
            i18next.t(key, options === undefined ? { lng: locale } : { ...options, lng: locale }),
          ),
        ] as const,
    ),
  );
  return {
    forLocale: (locale) => translators.get(locale) ?? translators.get(defaultLocale)!,
    detect(languageCode) {
      const language = languageCode?.toLowerCase().split("-")[0];
      if (language === "en") return "en";
      if (language && ["id", "ms", "jv", "su"].includes(language)) return "id";
      return defaultLocale;
    },
  };
}

/**
 * A translate function that remembers texts without interpolation (button labels, prompts, hints: most texts of
 * an update), so i18next resolves each key once per locale rather than once per update; resources never change
 * after start.
 */
const MEMOIZED_TEXTS = 10_000;

function memoized(t: (key: string, options?: TOptions) => unknown): Translate {
  const plain = new Map<string, string>();
  return (key, options) => {
    if (options !== undefined) return t(key, options) as string;
    let text = plain.get(key);
    if (text === undefined) {
      text = t(key) as string;
      if (plain.size < MEMOIZED_TEXTS) plain.set(key, text);
    }
    return text;
  };
}
