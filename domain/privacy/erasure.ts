import type { PrismaClient } from "../../generated/prisma/client.ts";
import { BROADCAST_OUTBOX } from "../broadcast/outbox-kinds.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { createReporterLinks } from "../report/reporter-links.ts";
import { REPORTER_OUTBOX_KINDS } from "../triage/outbox-kinds.ts";

/** Outbox kinds that deliver into a reporter's private chat, addressed by `payload.reportId`. */
const TO_REPORTER_KINDS: readonly string[] = [...REPORTER_OUTBOX_KINDS, BROADCAST_OUTBOX.followUp];

/** Why a cancelled outbox row never went out (its `last_error`). */
export const ERASED_NOTE = "cancelled: the reporter erased their data";

export interface ErasureResult {
  /** Reports whose link to the reporter (and name, phone and document names) was deleted. */
  reports: number;
  /** Notices and questions that were still waiting to reach the reporter, now cancelled. */
  cancelledMessages: number;
  /** Whether an announcement subscription (and its deliveries) was deleted. */
  subscription: boolean;
}

/**
 * `/hapus`: erases a citizen from the database in one transaction. Every report of theirs loses its link to
 * them (the report's encrypted link, and the reporter row with the encrypted Telegram id and the list of
 * reports), the name and phone of identified reports and the original names of their documents, and the relay
 * rows that map officers' messages to messages in their chat; notices and questions still waiting for them in the
 * outbox are cancelled; their subscription goes with its deliveries. What stays is the anonymised content
 * of the reports (category, place, chronology, evidence), which officers may still be working on; each report's
 * audit trail records the erasure. Sessions and drafts are the caller's (they live in the session storage).
 */
export async function eraseReporter(
  db: PrismaClient,
  cipher: DataCipher,
  telegram: { userId: number; chatId: number },
  now = new Date(),
): Promise<ErasureResult> {
  return db.$transaction(async (tx) => {
    const reportIds = await createReporterLinks(cipher).erase(tx, telegram.userId);
    let cancelledMessages = 0;
    if (reportIds.length > 0) {
      await tx.report.updateMany({
        where: { id: { in: reportIds } },
        data: {
          reporterLinkEnc: null,
          reporterNameEnc: null,
          reporterPhoneEnc: null,
          personalDataPurgedAt: now,
        },
      });
      await tx.evidence.updateMany({
        where: { reportId: { in: reportIds }, fileNameEnc: { not: null } },
        data: { fileNameEnc: null },
      });
      await tx.relayMessage.deleteMany({ where: { reportId: { in: reportIds } } });
      cancelledMessages = await tx.$executeRaw`
        UPDATE "outbox" SET "status" = 'FAILED', "last_error" = ${ERASED_NOTE}, "updated_at" = ${now}
        WHERE "status" = 'PENDING' AND "kind" = ANY(${TO_REPORTER_KINDS}::text[])
          AND "payload"->>'reportId' = ANY(${reportIds}::text[])`;
      await tx.reportEvent.createMany({
        data: reportIds.map((reportId) => ({ reportId, type: "REPORTER_ERASED" as const, createdAt: now })),
      });
    }
    const { count } = await tx.subscription.deleteMany({
      where: { chatIdHash: { in: cipher.hashes("subscriptionChat", String(telegram.chatId)) } },
    });
    return { reports: reportIds.length, cancelledMessages, subscription: count > 0 };
  });
}
