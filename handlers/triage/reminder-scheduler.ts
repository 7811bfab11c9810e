import type { Logger } from "pino";
import { queueDueReminders } from "../../domain/triage/reminders.ts";
import type { AppServices, BackgroundWorker } from "../common/context.ts";
import { triageServices } from "./services.ts";

/** How often the scheduler looks for due reminders: a quarter of the unclaimed interval, 5 s to 1 min. */
export function reminderIntervalMs(unclaimedReminderMs: number): number {
  return Math.min(60_000, Math.max(5_000, Math.round(unclaimedReminderMs / 4)));
}

/**
 * Looks for tickets that need a reminder (unclaimed after UNCLAIMED_REMINDER_MINUTES; follow-up deadline within
 * DEADLINE_WARNING_HOURS) and queues the digests; the staff worker posts them within the group's budget.
 */
export function createReminderScheduler(deps: {
  app: AppServices;
  logger: Logger;
  now?: () => Date;
  firstRunMs?: number;
}): BackgroundWorker & { runOnce(): Promise<void> } {
  const { app, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const intervalMs = reminderIntervalMs(app.config.unclaimedReminderMs);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<void> | undefined;

  async function runOnce(): Promise<void> {
    try {
      const queued = await queueDueReminders(app.db, now(), {
        unclaimedAfterMs: app.config.unclaimedReminderMs,
        deadlineOf: (ticket) => {
          const { clock } = triageServices(app);
          return { at: clock.followUp(ticket).at.getTime(), urgent: clock.isUrgent(ticket) };
        },
        warnBeforeMs: app.config.deadlineWarningMs,
      });
      if (queued.unclaimed + queued.deadlineNear > 0) logger.info(queued, "reminders queued");
    } catch (error) {
      logger.error({ err: error }, "reminder check failed");
    }
  }

  function schedule(delay: number): void {
    timer = setTimeout(() => {
      inFlight = runOnce().finally(() => {
        inFlight = undefined;
        if (running) schedule(intervalMs);
      });
    }, delay);
  }

  return {
    name: "triage-reminders",
    start() {
      if (running) return;
      running = true;
      schedule(deps.firstRunMs ?? 1_000);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight;
    },
    runOnce,
  };
}
