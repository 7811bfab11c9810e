import { Composer } from "../common/composer.ts";
import type { BackgroundWorker, BotContext, WorkerDeps } from "../common/context.ts";
import { deliveryFaults } from "./delivery-faults.ts";
import { formalReport } from "./formal-report.ts";
import { officerInput } from "./officer-input.ts";
import { reporterBlock } from "./reporter-block.ts";
import { reporterReply } from "./reporter-reply.ts";
import { staffActions } from "./staff-actions.ts";
import { staffCommands } from "./staff-commands.ts";
import { staffRoster } from "./staff-roster.ts";
import { createTriageWorkerSet } from "./workers.ts";

export { blockCommandMenu } from "./reporter-block.ts";
export { staffCommandMenu } from "./staff-commands.ts";
export { rosterCommandMenu, rosterRole } from "./staff-roster.ts";

/**
 * Officers' work in the staff group (issue 4): ticket cards and their buttons, /tiket, /antrian, /cari, the
 * officer's question to a reporter; and, in private chats, the reporter's answer (reply mode). Installed before
 * the report feature so that a reporter answering a question is not taken for a draft answer.
 */
export function createTriageFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(staffActions());
  feature.use(staffCommands());
  feature.use(staffRoster());
  feature.use(reporterBlock());
  feature.use(officerInput());
  feature.use(reporterReply());
  feature.use(formalReport());
  return feature;
}

/**
 * Failed deliveries seen from the update side (the bot given back its rights in the staff group; a reporter whose
 * answer was lost is told on their next message): installed before every other feature, since any message counts.
 */
export function createDeliveryFaultsFeature(): Composer<BotContext> {
  return deliveryFaults();
}

/** Background work of the triage feature: card delivery through the outbox, notices to reporters, reminders. */
export function createTriageWorkers(deps: WorkerDeps): BackgroundWorker[] {
  return createTriageWorkerSet(deps);
}
