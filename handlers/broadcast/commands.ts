import type { Locale } from "../common/locale.ts";

/**
 * Staff-group commands of announcements, in Indonesian and English; both names always work. Telegram allows
 * only a-z, 0-9 and "_" in command names.
 */
export const BROADCAST_COMMANDS = {
  compose: { id: "siaran", en: "broadcast" },
  status: { id: "siaran_status", en: "broadcast_status" },
} as const satisfies Record<string, Record<Locale, string>>;

export function broadcastCommandNames(command: keyof typeof BROADCAST_COMMANDS): string[] {
  return [...new Set(Object.values(BROADCAST_COMMANDS[command]))];
}

/**
 * The staff group's command menu entries of announcements in one language (`broadcast:commands.<key>`), for
 * `setMyCommands` with the scope `{ type: "chat", chat_id: STAFF_CHAT_ID }`.
 */
export function broadcastStaffCommands(locale: Locale, t: (key: string) => string) {
  return (Object.keys(BROADCAST_COMMANDS) as Array<keyof typeof BROADCAST_COMMANDS>).map((key) => ({
    command: BROADCAST_COMMANDS[key][locale],
    description: t(`broadcast:commands.${key}`),
  }));
}
