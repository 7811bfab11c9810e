import { Context } from "grammy";
import type { AppFlavor, AppServices, Translate } from "../handlers/common/context.ts";
import type { Locale } from "../handlers/common/locale.ts";
import type { SessionData } from "../handlers/common/session-data.ts";
import type { Logger } from "./logger.ts";

/**
 * The class of every update's context (grammY's `ContextConstructor`): grammY's Context with Awasi's services, a
 * logger made when first used (most updates log nothing; a pino child per update cost more than the update's
 * own logging), and the language switch as a method rather than a new closure per update.
 */
export function awasiContext(options: {
  /** The process' services (asked per update: they are built after the bot, whose Api they use). */
  app: () => AppServices;
  logger: Logger;
  /** Whether the update has a session (a chat and a sender): `ctx.session` throws otherwise. */
  hasSession: (ctx: Context) => boolean;
}) {
  const { app, logger, hasSession } = options;
  return class AwasiContext extends Context implements AppFlavor {
    readonly app = app();
    locale!: Locale;
    t!: Translate;
    declare session: SessionData;
    #logger: Logger | undefined;

    get logger(): Logger {
      this.#logger ??= logger.child({ update_id: this.update.update_id });
      return this.#logger;
    }

    set logger(value: Logger) {
      this.#logger = value;
    }

    setLocale(locale: Locale): void {
      if (hasSession(this)) this.session.locale = locale;
      this.locale = locale;
      this.t = this.app.translatorFor(locale);
    }
  };
}
