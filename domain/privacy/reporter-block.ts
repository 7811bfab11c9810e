import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { createReporterLinks, type LinkedReport } from "../report/reporter-links.ts";

/** The administrator who blocks or unblocks (recorded on the ticket's audit trail). */
export interface BlockActor {
  id: bigint;
  name: string;
}

/** The ticket a block is made from: its id and code, and its link to its reporter while linked. */
export interface BlockTicket extends LinkedReport {
  id: string;
  code: string;
}

export type BlockOutcome = "blocked" | "alreadyBlocked" | "noReporter";
export type UnblockOutcome = "unblocked" | "notBlocked";

/**
 * Blocking abusers (/blokir, /buka_blokir): the reporter behind a ticket is blocked by a keyed hash of their
 * Telegram id (purpose `blockedReporter`, unrelated to the reporter lookup hash), so the block survives the
 * reporter row going (erasure, unlink) while the table names nobody. Both actions are ticket events.
 */
export function createReporterBlocks(db: PrismaClient, cipher: DataCipher) {
  const links = createReporterLinks(cipher);
  const hashOf = (reporter: number | null) =>
    reporter === null ? undefined : cipher.hash("blockedReporter", String(reporter));

  return {
    async block(ticket: BlockTicket, actor: BlockActor): Promise<BlockOutcome> {
      const reporter = links.chatOf(ticket);
      const hash = hashOf(reporter);
      if (!hash) return "noReporter";
      return db.$transaction(async (tx) => {
        if (await tx.blockedReporter.findUnique({ where: { telegramIdHash: hash } })) return "alreadyBlocked";
        await tx.blockedReporter.create({
          data: {
            telegramIdHash: hash,
            telegramIdEnc: cipher.encrypt(String(reporter)),
            reportCode: ticket.code,
            blockedById: actor.id,
          },
        });
        await tx.reportEvent.create({
          data: { reportId: ticket.id, type: "REPORTER_BLOCKED", actorId: actor.id, actorName: actor.name },
        });
        return "blocked";
      });
    },

    /** Lifts the block of this ticket's reporter: by their hash while linked, or by the code it was made from. */
    async unblock(ticket: BlockTicket, actor: BlockActor): Promise<UnblockOutcome> {
      const hash = hashOf(links.chatOf(ticket));
      return db.$transaction(async (tx) => {
        const { count } = await tx.blockedReporter.deleteMany({
          where: { OR: [{ reportCode: ticket.code }, ...(hash ? [{ telegramIdHash: hash }] : [])] },
        });
        if (count === 0) return "notBlocked";
        await tx.reportEvent.create({
          data: { reportId: ticket.id, type: "REPORTER_UNBLOCKED", actorId: actor.id, actorName: actor.name },
        });
        return "unblocked";
      });
    },

    /** Whether this Telegram user is blocked (under any configured data key). */
    async isBlocked(telegramUserId: number): Promise<boolean> {
      const count = await db.blockedReporter.count({
        where: { telegramIdHash: { in: cipher.hashes("blockedReporter", String(telegramUserId)) } },
      });
      return count > 0;
    },
  };
}

export type ReporterBlocks = ReturnType<typeof createReporterBlocks>;
