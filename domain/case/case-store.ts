import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { createReporterLinks } from "../report/reporter-links.ts";
import { independentReporters } from "./incident-match.ts";

/** An officer as the audit trail records them. */
interface Actor {
  id: bigint;
  name: string;
}

type Tx = Prisma.TransactionClient;

/** A case as officers see it: its tickets oldest first (the first leads it) and how many people reported it. */
export interface CaseSummary {
  id: string;
  tickets: Array<{ id: string; code: string; status: string; createdAt: Date }>;
  independentReporters: number;
}

export type LinkResult = { ok: true; caseId: string } | { ok: false; reason: "gone" | "self" };

/**
 * Cases: tickets linked by officers as one incident. Every change is audited on the tickets it touches
 * (CASE_LINKED, CASE_UNLINKED, DUPLICATE_DISMISSED), in the same transaction as the change.
 */
export function createCaseStore(db: PrismaClient, cipher: DataCipher) {
  const links = createReporterLinks(cipher);

  async function summaryIn(tx: Tx | PrismaClient, caseId: string): Promise<CaseSummary | null> {
    const found = await tx.case.findUnique({
      where: { id: caseId },
      select: {
        reporterCount: true,
        reports: {
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { id: true, code: true, status: true, createdAt: true },
        },
      },
    });
    if (!found || found.reports.length === 0) return null;
    return { id: caseId, tickets: found.reports, independentReporters: found.reporterCount };
  }

  /** Counts the case's reporters again after its tickets changed (by their decrypted links; never stored). */
  async function recount(tx: Tx, caseId: string): Promise<void> {
    const tickets = await tx.report.findMany({
      where: { caseId },
      select: { reporterLinkEnc: true, anonymous: true },
    });
    const reporterCount = independentReporters(
      tickets.map((ticket) => ({ reporter: links.chatOf(ticket), anonymous: ticket.anonymous })),
    );
    await tx.case.update({ where: { id: caseId }, data: { reporterCount } });
  }

  const event = (
    tx: Tx,
    reportId: string,
    type: "CASE_LINKED" | "CASE_UNLINKED" | "DUPLICATE_DISMISSED",
    note: string,
    who: Actor,
  ) => tx.reportEvent.create({ data: { reportId, type, actorId: who.id, actorName: who.name, note } });

  return {
    summary: (caseId: string) => summaryIn(db, caseId),

    /**
     * Links `ticketId` with `otherId` into one case: the other's case when it has one, else the ticket's, else a
     * new one; two cases meet as one. Clears the ticket's duplicate hint.
     */
    async link(ticketId: string, otherId: string, who: Actor): Promise<LinkResult> {
      if (ticketId === otherId) return { ok: false, reason: "self" };
      return db.$transaction(async (tx) => {
        const [ticket, other] = await Promise.all([
          tx.report.findUnique({ where: { id: ticketId }, select: { id: true, code: true, caseId: true } }),
          tx.report.findUnique({ where: { id: otherId }, select: { id: true, code: true, caseId: true } }),
        ]);
        if (!ticket || !other) return { ok: false, reason: "gone" } as const;
        const caseId = other.caseId ?? ticket.caseId ?? (await tx.case.create({ data: {} })).id;
        const merged = [ticket.caseId, other.caseId].filter(
          (id): id is string => id !== null && id !== caseId,
        );
        if (merged.length > 0) {
          await tx.report.updateMany({ where: { caseId: { in: merged } }, data: { caseId } });
          await tx.case.deleteMany({ where: { id: { in: merged } } });
        }
        await tx.report.updateMany({ where: { id: { in: [ticket.id, other.id] } }, data: { caseId } });
        await tx.$executeRaw`UPDATE reports SET duplicate_hint = NULL WHERE id = ${ticket.id}::uuid`;
        await recount(tx, caseId);
        await event(tx, ticket.id, "CASE_LINKED", other.code, who);
        await event(tx, other.id, "CASE_LINKED", ticket.code, who);
        return { ok: true, caseId } as const;
      });
    },

    /**
     * Takes a ticket out of its case (audited on it and on the case's lead). A case left with one ticket ends.
     * Returns the case id it left, or null when it was in none.
     */
    async unlink(ticketId: string, who: Actor): Promise<string | null> {
      return db.$transaction(async (tx) => {
        const ticket = await tx.report.findUnique({
          where: { id: ticketId },
          select: { id: true, code: true, caseId: true },
        });
        if (!ticket?.caseId) return null;
        const before = await summaryIn(tx, ticket.caseId);
        await tx.report.update({ where: { id: ticket.id }, data: { caseId: null } });
        const lead = before?.tickets.find((item) => item.id !== ticket.id);
        await event(tx, ticket.id, "CASE_UNLINKED", lead?.code ?? "", who);
        if (lead) await event(tx, lead.id, "CASE_UNLINKED", ticket.code, who);
        const left = await tx.report.count({ where: { caseId: ticket.caseId } });
        if (left <= 1) {
          await tx.report.updateMany({ where: { caseId: ticket.caseId }, data: { caseId: null } });
          await tx.case.delete({ where: { id: ticket.caseId } });
        } else {
          await recount(tx, ticket.caseId);
        }
        return ticket.caseId;
      });
    },

    /** "Not the same": drops the ticket's duplicate hint, audited with the code that was proposed. */
    async dismiss(ticketId: string, proposedCode: string, who: Actor): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE reports SET duplicate_hint = NULL WHERE id = ${ticketId}::uuid`;
        await event(tx, ticketId, "DUPLICATE_DISMISSED", proposedCode, who);
      });
    },
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;
