import type { Logger } from "pino";
import type { PrismaClient } from "../../generated/prisma/client.ts";

const DAY_MS = 86_400_000;
const BATCH = 200;

/**
 * Deletes the personal data of cases closed (or rejected) more than `retentionDays` ago: the identified
 * reporter's name and phone, and the link to the reporter (whose encrypted Telegram id goes once no report
 * points to them). The anonymised report stays for statistics; an event records the purge.
 * Returns how many reports were purged.
 */
export async function purgeExpiredPersonalData(
  db: PrismaClient,
  now: Date,
  retentionDays: number,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let purged = 0;
  for (;;) {
    const due = await db.report.findMany({
      where: { status: { in: ["CLOSED", "REJECTED"] }, closedAt: { lt: cutoff }, personalDataPurgedAt: null },
      select: { id: true },
      take: BATCH,
    });
    if (due.length === 0) break;
    await db.$transaction([
      db.report.updateMany({
        where: { id: { in: due.map((report) => report.id) } },
        data: { reporterNameEnc: null, reporterPhoneEnc: null, reporterId: null, personalDataPurgedAt: now },
      }),
      db.reportEvent.createMany({
        data: due.map((report) => ({ reportId: report.id, type: "PERSONAL_DATA_PURGED" as const })),
      }),
    ]);
    purged += due.length;
  }
  if (purged > 0) await db.reporter.deleteMany({ where: { reports: { none: {} } } });
  return purged;
}

/** Runs {@link purgeExpiredPersonalData} at start and then every `everyMs` (default: hourly). */
export function createRetentionWorker(options: {
  db: PrismaClient;
  retentionDays: number;
  logger: Logger;
  everyMs?: number;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    running = purgeExpiredPersonalData(options.db, new Date(), options.retentionDays).then(
      (count) => {
        if (count > 0) options.logger.info({ reports: count }, "personal data of closed cases purged");
      },
      (error: unknown) => options.logger.error({ err: error }, "personal data purge failed"),
    );
  };
  return {
    name: "retention",
    start() {
      run();
      timer = setInterval(run, options.everyMs ?? 3_600_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
