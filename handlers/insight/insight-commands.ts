import type { Translate } from "../common/context.ts";
import type { Locale } from "../common/locale.ts";

/** The insight commands: each has an Indonesian and an English name; both work, the menu shows DEFAULT_LOCALE's. */
export const INSIGHT_COMMANDS = {
  map: { id: "peta", en: "map" },
  summary: { id: "rekap", en: "summary" },
  export: { id: "ekspor", en: "export" },
} as const satisfies Record<string, Record<Locale, string>>;

export type InsightCommand = keyof typeof INSIGHT_COMMANDS;

export const insightCommandNames = (command: InsightCommand): string[] => [
  ...new Set(Object.values(INSIGHT_COMMANDS[command])),
];

/** The staff group's menu entries of this feature. */
export function insightStaffCommands(locale: Locale, t: Translate) {
  return (Object.keys(INSIGHT_COMMANDS) as InsightCommand[]).map((key) => ({
    command: INSIGHT_COMMANDS[key][locale],
    description: t(`insight:menu.${key}`).slice(0, 256),
  }));
}
