import { setTimeout as sleep } from "node:timers/promises";
import { Api, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";

const MAX_DELAY_MS = 30_000;

/**
 * The bot's own account (`getMe`) at start-up. While the Bot API is out of reach (refused, reset, timed out, a
 * 5xx) it is asked again with a growing pause, and every failure is logged, so an operator sees why the bot does
 * not come up (the logger strips the token from the request URL). A refusal such as a wrong token (401) ends the
 * start. Asked without the bot's auto-retry, which would retry a network error forever and silently.
 */
export async function fetchBotInfo(api: Api, logger: Logger): Promise<UserFromGetMe> {
  const plain = new Api(api.token, api.options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await plain.getMe();
    } catch (error) {
      const unreachable =
        error instanceof HttpError || (error instanceof GrammyError && error.error_code >= 500);
      if (!unreachable) throw error;
      const retryInMs = Math.min(MAX_DELAY_MS, 1000 * 2 ** (attempt - 1));
      logger.warn(
        { err: error, attempt, retry_in_ms: retryInMs },
        "the Bot API is out of reach at start-up; trying again",
      );
      await sleep(retryInMs);
    }
  }
}
