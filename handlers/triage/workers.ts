import { Api } from "grammy";
import { createOutboxWorker } from "../../domain/outbox/outbox-worker.ts";
import { RedisWindowPacer } from "../../domain/pacing/redis-window-pacer.ts";
import { CompletionWindowPacer, type SendPacer } from "../../domain/pacing/send-pacer.ts";
import { StaffPacer } from "../../domain/triage/staff-pacer.ts";
import type { BackgroundWorker, WorkerDeps } from "../common/context.ts";
import { createReminderScheduler } from "./reminder-scheduler.ts";
import { reporterDeliveryHandlers } from "./reporter-delivery.ts";
import { staffDeliveryHandlers } from "./staff-delivery.ts";

/**
 * The outbox lease of staff-group deliveries: three budget windows, 10 s to 3 min. A delivery never waits for
 * the pacer longer than half of it, so a row is always finished or handed back before its lease ends, and a row
 * of a crashed process is picked up again after at most one lease.
 */
export function staffLeaseMs(windowMs: number): number {
  return Math.min(180_000, Math.max(10_000, 3 * windowMs));
}

/**
 * The staff group's budget (STAFF_RATE): shared by all instances through Redis when there is Redis (the key names
 * the group), in memory otherwise (without Redis only one instance may run). A waiting delivery asks Redis again
 * at most every 250 ms: the group's window is seconds to a minute long.
 */
function staffSendPacer(deps: WorkerDeps, maxSendMs: number): SendPacer {
  const { limit, windowMs } = deps.config.staffRate;
  return deps.redis
    ? new RedisWindowPacer({
        redis: deps.redis,
        limit,
        windowMs,
        maxSendMs,
        key: `pacer:staff:${deps.config.staffChatId}`,
        maxSleepMs: 250,
      })
    : new CompletionWindowPacer({ limit, windowMs });
}

/**
 * How reporters' messages are claimed: a ticket's messages one after another, in the order written (a claim
 * notice before the question that follows it), other tickets' meanwhile, so that one chat's pacing (about a
 * message a second) does not hold up every other reporter. 20 rows of one ticket at that pace stay well inside
 * the 120 s lease.
 */
export const REPORTER_OUTBOX_ORDER = { batchSize: 20, orderKeyField: "reportId" } as const;

/**
 * The triage feature's background work: staff-group delivery (cards, evidence, answers, reminders; paced),
 * delivery to reporters (notices, questions), and the reminder scheduler.
 *
 * The workers call Telegram through their own {@link Api} without the auto-retry plugin of `bot.api`: auto-retry
 * would sleep through a 429 inside the call, invisible to the pacer, while every other queued card ran into the
 * same 429. Here the 429 reaches the handler, which pauses the pacer for `retry_after` and hands the row back to
 * the outbox with that delay (RetryLaterError). A call times out after a quarter of the lease (5 to 30 s), so a
 * hanging connection cannot hold a card past its lease.
 */
export function createTriageWorkerSet(deps: WorkerDeps): BackgroundWorker[] {
  const stopping = new AbortController();
  const rate = deps.config.staffRate;
  const leaseMs = staffLeaseMs(rate.windowMs);
  const timeoutSeconds = Math.min(30, Math.max(5, Math.round(leaseMs / 4_000)));
  const api = new Api(deps.api.token, { ...deps.api.options, timeoutSeconds });
  const staffLogger = deps.logger.child({ worker: "staff-delivery" });
  const staffOutbox = createOutboxWorker({
    db: deps.db,
    handlers: staffDeliveryHandlers({
      api,
      app: deps,
      logger: staffLogger,
      pacer: new StaffPacer(staffSendPacer(deps, timeoutSeconds * 1_000)),
      maxWaitMs: leaseMs / 2,
      signal: stopping.signal,
    }),
    logger: staffLogger,
    pollMs: 1_000,
    // One row at a time: the lease of a claimed row runs while it waits for the pacer.
    batchSize: 1,
    lockMs: leaseMs,
  });
  const reporterLogger = deps.logger.child({ worker: "reporter-delivery" });
  const reporterOutbox = createOutboxWorker({
    db: deps.db,
    handlers: reporterDeliveryHandlers({ api, app: deps, logger: reporterLogger, signal: stopping.signal }),
    logger: reporterLogger,
    pollMs: 500,
    ...REPORTER_OUTBOX_ORDER,
    lockMs: 120_000,
  });
  const reminders = createReminderScheduler({
    app: deps,
    logger: deps.logger.child({ worker: "reminders" }),
  });

  const wrap = (name: string, worker: { start(): void; stop(): Promise<void> }): BackgroundWorker => ({
    name,
    start: () => worker.start(),
    stop: async () => {
      stopping.abort(new Error("stopping"));
      await worker.stop();
    },
  });
  return [
    wrap("triage-staff-delivery", staffOutbox),
    wrap("triage-reporter-delivery", reporterOutbox),
    reminders,
  ];
}
