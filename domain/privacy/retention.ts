import type { Logger } from "pino";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { OUTBOX_WORD_FIELDS } from "../outbox/outbox-worker.ts";
import { createReporterLinks } from "../report/reporter-links.ts";
import { createPeriodicJob } from "../scheduling/periodic-job.ts";

const DAY_MS = 86_400_000;
const BATCH = 200;

/** Delivered or failed outbox rows are deleted after this many days (their words are cleared at once). */
export const OUTBOX_KEEP_DAYS = 30;

/** What one purge removed, by kind (for the log line and the tests). */
export interface PurgeCounts {
  /** Reports whose reporter link, name, phone, witnesses and document names were deleted. */
  reports: number;
  /** Outbox rows whose texts were cleared, and rows deleted. */
  outboxTextsCleared: number;
  outboxRowsDeleted: number;
  /** Officers' question texts removed from the audit trail. */
  questionTexts: number;
  /** Relay rows (staff ↔ citizen message ids) of closed and purged cases. */
  relayRows: number;
  /** Expired sessions in the embedded `sessions` table. */
  sessions: number;
}

/**
 * Deletes what can name a reporter, or holds their or an officer's words, once it is no longer needed:
 * - cases closed or rejected more than `retentionDays` ago, and forwarded cases whose last event is that old: the
 *   identified reporter's name and phone, the witnesses, the original names of their documents, and the link to
 *   the reporter (whose row with the encrypted Telegram id goes once it lists no report); the anonymised report
 *   and its files stay for statistics, an event records the purge;
 * - officers' question texts in the audit trail older than `retentionDays` (the event itself stays);
 * - relay rows of closed, rejected and purged cases;
 * - texts in outbox payloads of delivered or failed rows (the worker clears them on delivery; this catches older
 *   rows), and such rows after {@link OUTBOX_KEEP_DAYS};
 * - expired sessions in the embedded store (Redis expires its own).
 */
export async function purgeExpiredPersonalData(
  db: PrismaClient,
  cipher: DataCipher,
  now: Date,
  retentionDays: number,
): Promise<number> {
  return (await purgeRetained(db, cipher, now, retentionDays)).reports;
}

/** {@link purgeExpiredPersonalData}, with what was removed by kind. */
export async function purgeRetained(
  db: PrismaClient,
  cipher: DataCipher,
  now: Date,
  retentionDays: number,
): Promise<PurgeCounts> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const links = createReporterLinks(cipher);
  let reports = 0;
  for (;;) {
    const due = await db.report.findMany({
      where: {
        personalDataPurgedAt: null,
        OR: [
          { status: { in: ["CLOSED", "REJECTED"] }, closedAt: { lt: cutoff } },
          // Forwarded cases stay open at the other body: their last event dates them.
          { status: "FORWARDED", events: { none: { createdAt: { gte: cutoff } } } },
        ],
      },
      select: { id: true, reporterLinkEnc: true },
      take: BATCH,
    });
    if (due.length === 0) break;
    await db.$transaction(async (tx) => {
      await links.unlink(tx, due);
      await tx.report.updateMany({
        where: { id: { in: due.map((report) => report.id) } },
        data: {
          reporterNameEnc: null,
          reporterPhoneEnc: null,
          witnessesEnc: null,
          personalDataPurgedAt: now,
        },
      });
      await tx.evidence.updateMany({
        where: { reportId: { in: due.map((report) => report.id) }, fileNameEnc: { not: null } },
        data: { fileNameEnc: null },
      });
      await tx.reportEvent.createMany({
        data: due.map((report) => ({ reportId: report.id, type: "PERSONAL_DATA_PURGED" as const })),
      });
    });
    reports += due.length;
  }

  const questionTexts = await db.reportEvent.updateMany({
    where: { type: "QUESTION_ASKED", createdAt: { lt: cutoff }, note: { not: null } },
    data: { note: null },
  });
  const relayRows = await db.relayMessage.deleteMany({
    where: {
      report: {
        OR: [{ status: { in: ["CLOSED", "REJECTED"] } }, { personalDataPurgedAt: { not: null } }],
      },
    },
  });
  const outboxTextsCleared = await db.$executeRaw`
    UPDATE outbox SET payload = payload::jsonb - ${OUTBOX_WORD_FIELDS as unknown as string[]}::text[]
    WHERE status IN ('DONE', 'FAILED') AND payload::jsonb ?| ${OUTBOX_WORD_FIELDS as unknown as string[]}::text[]`;
  const outboxRowsDeleted = await db.outboxMessage.deleteMany({
    where: {
      status: { in: ["DONE", "FAILED"] },
      updatedAt: { lt: new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY_MS) },
    },
  });
  const sessions = await db.sessionRecord.deleteMany({ where: { expiresAt: { lte: now } } });
  return {
    reports,
    outboxTextsCleared,
    outboxRowsDeleted: outboxRowsDeleted.count,
    questionTexts: questionTexts.count,
    relayRows: relayRows.count,
    sessions: sessions.count,
  };
}

/** Runs {@link purgeExpiredPersonalData} at start and then every `everyMs` (default: hourly). */
export function createRetentionWorker(options: {
  db: PrismaClient;
  cipher: DataCipher;
  retentionDays: number;
  logger: Logger;
  everyMs?: number;
}) {
  return createPeriodicJob(
    "retention",
    async () => {
      const counts = await purgeRetained(options.db, options.cipher, new Date(), options.retentionDays);
      if (Object.values(counts).some((count) => count > 0))
        options.logger.info(counts, "personal data past its retention purged");
    },
    {
      everyMs: options.everyMs ?? 3_600_000,
      onError: (error) => options.logger.error({ err: error }, "personal data purge failed"),
    },
  );
}
