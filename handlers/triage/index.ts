import { Composer } from "grammy";
import type { BotContext, WorkerDeps } from "../common/context.ts";

/** Officers' work in the staff group (issue 4): ticket cards, claim, workflow, relay, search. */
export function createTriageFeature(): Composer<BotContext> {
  return new Composer<BotContext>();
}

/** Background work of the triage feature: card delivery through the outbox, reminders. */
export function createTriageWorkers(_deps: WorkerDeps): import("../common/context.ts").BackgroundWorker[] {
  return [];
}
