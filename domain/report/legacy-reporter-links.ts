import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { createReporterLinks } from "./reporter-links.ts";

interface LegacyRow {
  id: string;
  telegram_id_enc: string | null;
  locale: string | null;
}

/**
 * Reports filed before per-report links pointed at one shared reporter row (`reports.reporter_id`): a value that
 * groups a person's reports in a dump. This gives each such report its own encrypted link, adds it to the
 * reporter's encrypted list and clears `reporter_id`. Runs at start-up in batches; instances starting together
 * take different rows (SKIP LOCKED); a second run finds nothing. Returns how many reports moved.
 */
export async function moveLegacyReporterLinks(
  db: PrismaClient,
  cipher: DataCipher,
  batch = 500,
): Promise<number> {
  const links = createReporterLinks(cipher);
  let moved = 0;
  for (;;) {
    const count = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<LegacyRow[]>`
        SELECT r.id::text, p.telegram_id_enc, p.locale FROM reports r
        LEFT JOIN reporters p ON p.id = r.reporter_id
        WHERE r.reporter_id IS NOT NULL LIMIT ${batch} FOR UPDATE OF r SKIP LOCKED`;
      for (const row of rows) {
        const userId = row.telegram_id_enc === null ? null : Number(cipher.decrypt(row.telegram_id_enc));
        await tx.report.update({
          where: { id: row.id },
          data: { legacyReporterId: null, reporterLinkEnc: userId === null ? null : links.linkFor(userId) },
        });
        if (userId !== null) await links.add(tx, userId, row.locale ?? "id", row.id);
      }
      return rows.length;
    });
    if (count === 0) return moved;
    moved += count;
  }
}
