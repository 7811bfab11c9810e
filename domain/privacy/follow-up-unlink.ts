import type { Logger } from "pino";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { createReporterLinks } from "../report/reporter-links.ts";
import { createPeriodicJob } from "../scheduling/periodic-job.ts";

const DAY_MS = 86_400_000;
const BATCH = 200;

/**
 * "Unlink when done": once an anonymous case is closed or rejected (by `closedAt`) or forwarded (by its last
 * event) and `windowDays` have passed, nobody will follow it up with the reporter any more, so the link from the
 * report to the reporter's account goes (the report's encrypted link, and the report from the reporter's list,
 * whose row goes once it lists none: domain/report/reporter-links.ts). The report stays, found by its code alone; an event records the unlink.
 * Identified reports keep their link until the retention purge (domain/privacy/retention.ts).
 * Returns how many reports were unlinked.
 */
export async function unlinkFinishedAnonymousReports(
  db: PrismaClient,
  cipher: DataCipher,
  now: Date,
  windowDays: number,
): Promise<number> {
  const cutoff = new Date(now.getTime() - windowDays * DAY_MS);
  const links = createReporterLinks(cipher);
  let unlinked = 0;
  for (;;) {
    const due = await db.report.findMany({
      where: {
        anonymous: true,
        reporterLinkEnc: { not: null },
        OR: [
          { status: { in: ["CLOSED", "REJECTED"] }, closedAt: { lt: cutoff } },
          { status: "FORWARDED", events: { none: { createdAt: { gte: cutoff } } } },
        ],
      },
      select: { id: true, reporterLinkEnc: true },
      take: BATCH,
    });
    if (due.length === 0) break;
    const ids = due.map((report) => report.id);
    await db.$transaction(async (tx) => {
      await links.unlink(tx, due);
      await tx.relayMessage.deleteMany({ where: { reportId: { in: ids } } });
      await tx.reportEvent.createMany({
        data: ids.map((reportId) => ({ reportId, type: "REPORTER_UNLINKED" as const, createdAt: now })),
      });
    });
    unlinked += due.length;
  }
  return unlinked;
}

/** Runs {@link unlinkFinishedAnonymousReports} at start and then every `everyMs` (default: hourly). */
export function createFollowUpUnlinkWorker(options: {
  db: PrismaClient;
  cipher: DataCipher;
  windowDays: number;
  logger: Logger;
  everyMs?: number;
}) {
  return createPeriodicJob(
    "follow-up-unlink",
    async () => {
      const count = await unlinkFinishedAnonymousReports(
        options.db,
        options.cipher,
        new Date(),
        options.windowDays,
      );
      if (count > 0)
        options.logger.info({ reports: count }, "finished anonymous cases unlinked from reporters");
    },
    {
      everyMs: options.everyMs ?? 3_600_000,
      onError: (error) => options.logger.error({ err: error }, "unlinking finished cases failed"),
    },
  );
}
