import type { Locale } from "./locale.ts";

/**
 * Citizens' commands: each has an Indonesian and an English name, both always work, and the command menu
 * of each language shows its own names (described by `commands:<key>`).
 */
export const CITIZEN_COMMANDS = {
  start: { id: "start", en: "start" },
  report: { id: "lapor", en: "report" },
  myReports: { id: "status", en: "status" },
  cancel: { id: "batal", en: "cancel" },
  help: { id: "bantuan", en: "help" },
  subscribe: { id: "langganan", en: "subscribe" },
  unsubscribe: { id: "berhenti", en: "unsubscribe" },
  language: { id: "bahasa", en: "language" },
  privacy: { id: "privasi", en: "privacy" },
  form: { id: "formulir", en: "form" },
  erase: { id: "hapus", en: "delete_my_data" },
} as const satisfies Record<string, Record<Locale, string>>;

export type CitizenCommand = keyof typeof CITIZEN_COMMANDS;

/** Both names of a command, for `composer.command(...)`. */
export function commandNames(command: CitizenCommand): string[] {
  return [...new Set(Object.values(CITIZEN_COMMANDS[command]))];
}

/** The command menu in one language: its own command names, described by `commands:<key>`. */
export function citizenCommandMenu(locale: Locale, t: (key: string) => string) {
  return (Object.keys(CITIZEN_COMMANDS) as CitizenCommand[]).map((key) => ({
    command: CITIZEN_COMMANDS[key][locale],
    description: t(`commands:${key}`),
  }));
}
