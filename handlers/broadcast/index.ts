import { Composer } from "../common/composer.ts";
import type { BackgroundWorker, BotContext, WorkerDeps } from "../common/context.ts";
import { composerFeature } from "./composer.ts";
import { controlsFeature } from "./controls.ts";
import { statusFeature } from "./status.ts";
import { broadcastWorkers } from "./workers.ts";

export { broadcastStaffCommands } from "./commands.ts";

/**
 * Enforcement announcements composed by admins in the staff group (issue 5): the composer (`/siaran`), the
 * buttons on stored broadcasts (send, approve, pause, resume, cancel) and `/siaran_status`.
 */
export function createBroadcastFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(statusFeature());
  feature.use(composerFeature());
  feature.use(controlsFeature());
  return feature;
}

/** Background work of announcements: the durable, throttled sender, its outbox deliveries, the progress edits. */
export function createBroadcastWorkers(deps: WorkerDeps): BackgroundWorker[] {
  return broadcastWorkers(deps);
}
