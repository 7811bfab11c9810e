import { Composer } from "grammy";
import type { BackgroundWorker, BotContext, WorkerDeps } from "../common/context.ts";

/** Enforcement announcements composed by admins in the staff group (issue 5). */
export function createBroadcastFeature(): Composer<BotContext> {
  return new Composer<BotContext>();
}

/** Background work of announcements: the durable, throttled sender. */
export function createBroadcastWorkers(_deps: WorkerDeps): BackgroundWorker[] {
  return [];
}
