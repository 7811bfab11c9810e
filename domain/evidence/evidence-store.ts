import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { EVIDENCE_OUTBOX } from "./evidence-outbox.ts";
import type { FileHashResult } from "./file-hash.ts";

/** One evidence item as receipts, cards and the report form list it. */
export interface EvidenceFingerprint {
  position: number;
  kind: string;
  /** The document's original name, decrypted (identified reports only; anonymous ones keep none). */
  fileName: string | null;
  mimeType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  hashState: "PENDING" | "DONE" | "TOO_LARGE" | "NONE";
  receivedAt: Date | null;
  url: string | null;
  /** Telegram's permanent reference of the file (the same file sent again has the same one). */
  fileUniqueId: string | null;
}

/** Evidence hashing: the files still to hash, their results, and the receipt that follows the last one. */
export function createEvidenceStore(db: PrismaClient, cipher: DataCipher) {
  return {
    pending: (reportId: string) =>
      db.evidence.findMany({
        where: { reportId, hashState: "PENDING" },
        orderBy: { position: "asc" },
        select: { id: true, fileId: true, fileSize: true },
      }),

    record: (evidenceId: string, result: FileHashResult, now: Date) =>
      db.evidence.update({
        where: { id: evidenceId },
        data: {
          hashState: result.state,
          sha256: result.state === "DONE" ? result.sha256 : null,
          sizeBytes: result.sizeBytes,
          hashedAt: now,
        },
      }),

    /**
     * When no file of the report is left to hash, writes the reporter's receipt (once: `receiptPending` is
     * cleared in the same transaction). Returns whether a receipt was queued.
     */
    async finish(reportId: string): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const left = await tx.evidence.count({ where: { reportId, hashState: "PENDING" } });
        if (left > 0) return false;
        const claimed = await tx.report.updateMany({
          where: { id: reportId, receiptPending: true },
          data: { receiptPending: false },
        });
        if (claimed.count === 0) return false;
        await tx.outboxMessage.create({
          data: {
            kind: EVIDENCE_OUTBOX.receipt,
            dedupeKey: `${EVIDENCE_OUTBOX.receipt}:${reportId}`,
            payload: { reportId },
          },
        });
        return true;
      });
    },

    /** Every evidence item of a report with its fingerprint, in the order sent (the file name decrypted). */
    async fingerprints(reportId: string): Promise<EvidenceFingerprint[]> {
      const rows = await db.evidence.findMany({
        where: { reportId },
        orderBy: { position: "asc" },
        select: {
          position: true,
          kind: true,
          fileNameEnc: true,
          mimeType: true,
          sizeBytes: true,
          sha256: true,
          hashState: true,
          receivedAt: true,
          url: true,
          fileUniqueId: true,
        },
      });
      return rows.map(({ fileNameEnc, ...row }) => ({
        ...row,
        fileName: fileNameEnc === null ? null : cipher.decrypt(fileNameEnc),
      }));
    },
  };
}

export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
