import { InlineKeyboard } from "grammy";
import type { Translate } from "./context.ts";
import { LOCALES } from "./locale.ts";

/** Callback data of the main menu; each feature handles its own entry (`menu:report` in the report feature). */
export const MENU = {
  report: "menu:report",
  myReports: "menu:mine",
  announcements: "menu:announcements",
  help: "menu:help",
} as const;

export const languageCallback = (locale: string) => `lang:${locale}`;

/** Report · My reports / Announcements · Help, then the language row. */
export function mainMenuKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(t("welcome:menu.report"), MENU.report)
    .text(t("welcome:menu.myReports"), MENU.myReports)
    .row()
    .text(t("welcome:menu.announcements"), MENU.announcements)
    .text(t("welcome:menu.help"), MENU.help)
    .row();
  for (const locale of LOCALES)
    keyboard.text(t(`welcome:languageButtons.${locale}`), languageCallback(locale));
  return keyboard;
}
