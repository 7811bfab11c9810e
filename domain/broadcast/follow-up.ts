import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { createReporterLinks } from "../report/reporter-links.ts";

/** Who to tell that their ticket fed a published outcome. Never logged, never shown to officers. */
export interface FollowUpTarget {
  code: string;
  chatId: number;
  locale: string;
}

/**
 * The reporter of a ticket, to be told privately that it contributed to an announced outcome: null when the
 * ticket has no reporter any more (personal data purged, reporter deleted) or their id cannot be decrypted.
 * The private chat of a Telegram user has the user's id, so the reporter's decrypted id is the chat to write to.
 */
export async function findFollowUpTarget(
  db: PrismaClient,
  cipher: DataCipher,
  reportId: string,
): Promise<FollowUpTarget | null> {
  const report = await db.report.findUnique({
    where: { id: reportId },
    select: {
      code: true,
      locale: true,
      personalDataPurgedAt: true,
      reporterLinkEnc: true,
    },
  });
  if (!report || report.personalDataPurgedAt) return null;
  try {
    const contact = await createReporterLinks(cipher).contactOf(db, report);
    if (!contact || !Number.isSafeInteger(contact.chatId)) return null;
    return { code: report.code, ...contact };
  } catch {
    return null;
  }
}
