import { z } from "zod";

/**
 * Outbox messages of evidence receipts. `evidence.hash` is written with the report at Submit when it has files:
 * its worker downloads and hashes them. When the last file is recorded, `evidence.receipt` is written in the same
 * transaction and tells the reporter the fingerprints. Payloads name the report only.
 */
export const EVIDENCE_OUTBOX = {
  hash: "evidence.hash",
  receipt: "evidence.receipt",
} as const;

export const evidenceJobPayload = z.object({ reportId: z.string().min(1) });
