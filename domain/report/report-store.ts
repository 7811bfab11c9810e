import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { findPossibleDuplicate } from "../case/duplicate-finder.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { EVIDENCE_OUTBOX } from "../evidence/evidence-outbox.ts";
import { pseudonymCandidates } from "../ticket/pseudonym.ts";
import { todayInJakarta } from "./dates.ts";
import type { Submission } from "./flow.ts";
import { pinToStore } from "./pin-precision.ts";
import { createReporterLinks } from "./reporter-links.ts";
import { generateTicketCode, TICKET_PREFIX } from "./ticket-code.ts";

/** The outbox message kind that tells the officers about a new report (delivered by the triage feature). */
export const NEW_REPORT_OUTBOX_KIND = "staff.newReport";

type Tx = Prisma.TransactionClient;

/**
 * Reports as citizens see them: submit a finished draft, count today's reports, list and open one's own.
 * Each report holds its own encrypted link to its reporter, and the reporter's row the encrypted list of their
 * reports (domain/report/reporter-links.ts): nothing in a dump groups one person's reports.
 */
export function createReportStore(db: PrismaClient, cipher: DataCipher) {
  const links = createReporterLinks(cipher);

  /**
   * The label officers see for the reporter of this report only: from the keyed hash of the (random) report id,
   * never of the person, so two reports of one citizen carry unrelated labels and nothing recreates an old one.
   */
  async function reportPseudonym(tx: Tx, reportId: string): Promise<string> {
    const hash = cipher.hash("reportPseudonym", reportId);
    for (const candidate of pseudonymCandidates(hash)) {
      if (!(await tx.report.findUnique({ where: { pseudonym: candidate }, select: { id: true } })))
        return candidate;
    }
    return hash.slice(0, 12).toUpperCase();
  }

  async function freshCode(tx: Tx, prefix: string): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const code = generateTicketCode(prefix);
      if (!(await tx.report.findUnique({ where: { code }, select: { id: true } }))) return code;
    }
    throw new Error("could not find a free ticket code");
  }

  return {
    /**
     * Writes the report, its evidence, its CREATED event and the officers' outbox message in one transaction.
     * Submitting the same draft again returns the first report (`created: false`), so a double tap makes one ticket.
     */
    async submit(input: {
      telegramUserId: number;
      locale: string;
      draftId: string;
      submission: Submission;
    }): Promise<{ created: boolean; code: string; reportId: string }> {
      const existing = await db.report.findUnique({ where: { draftId: input.draftId } });
      if (existing) return { created: false, code: existing.code, reportId: existing.id };
      const s = input.submission;
      try {
        return await db.$transaction(async (tx) => {
          const code = await freshCode(tx, TICKET_PREFIX[s.category]);
          const location = pinToStore(s.location, s.anonymous);
          // A document's original name often names its author or their device: an anonymous report keeps none.
          const evidence = s.anonymous ? s.evidence.map(({ fileName: _name, ...item }) => item) : s.evidence;
          const id = randomUUID();
          const report = await tx.report.create({
            data: {
              id,
              code,
              pseudonym: await reportPseudonym(tx, id),
              category: s.category,
              // No follow-up: no link at all; the ticket code is the only handle.
              reporterLinkEnc: s.noTrace ? null : links.linkFor(input.telegramUserId),
              draftId: input.draftId,
              anonymous: s.anonymous,
              reporterNameEnc: s.reporterNameEnc,
              reporterPhoneEnc: s.reporterPhoneEnc,
              locale: input.locale,
              occurredOn: new Date(`${s.occurredOn}T00:00:00Z`),
              learnedOn: new Date(`${s.learnedOn}T00:00:00Z`),
              provinceCode: location.type === "region" ? location.provinceCode : null,
              regencyCode: location.type === "region" ? location.regencyCode : null,
              districtCode: location.type === "region" ? (location.districtCode ?? null) : null,
              latitude: location.type === "point" ? location.latitude : null,
              longitude: location.type === "point" ? location.longitude : null,
              placeNote: s.placeNote,
              chronology: s.chronology,
              details: s.details as Prisma.InputJsonValue,
              evidence: {
                create: evidence.map(({ receivedAt, ...item }, position) => ({
                  ...item,
                  position,
                  receivedAt: receivedAt === undefined ? null : new Date(receivedAt * 1000),
                  hashState: item.fileId === undefined ? ("NONE" as const) : ("PENDING" as const),
                })),
              },
              witnessesEnc: s.witnessesEnc ?? null,
              receiptPending: evidence.some((item) => item.fileId !== undefined),
              events: { create: { type: "CREATED", toStatus: "NEW" } },
            },
          });
          if (!s.noTrace) await links.add(tx, input.telegramUserId, input.locale, report.id);
          const hint = await findPossibleDuplicate(tx, report);
          if (hint) {
            await tx.report.update({ where: { id: report.id }, data: { duplicateHint: hint } });
          }
          await tx.outboxMessage.create({
            data: {
              kind: NEW_REPORT_OUTBOX_KIND,
              dedupeKey: `${NEW_REPORT_OUTBOX_KIND}:${report.id}`,
              payload: { reportId: report.id },
            },
          });
          if (report.receiptPending) {
            await tx.outboxMessage.create({
              data: {
                kind: EVIDENCE_OUTBOX.hash,
                dedupeKey: `${EVIDENCE_OUTBOX.hash}:${report.id}`,
                payload: { reportId: report.id },
              },
            });
          }
          return { created: true, code, reportId: report.id };
        });
      } catch (error) {
        // Two instances submitting the same draft at once: the unique draft id lets exactly one through.
        const again = await db.report.findUnique({ where: { draftId: input.draftId } });
        if (again) return { created: false, code: again.code, reportId: again.id };
        throw error;
      }
    },

    /** Reports this citizen submitted since midnight in Jakarta (for the daily cap). */
    async countToday(telegramUserId: number, now: Date): Promise<number> {
      const midnight = new Date(`${todayInJakarta(now)}T00:00:00+07:00`);
      const ids = await links.reportIds(db, telegramUserId);
      return ids.length === 0
        ? 0
        : db.report.count({ where: { id: { in: ids }, createdAt: { gte: midnight } } });
    },

    /** The language a reporter's notices are written in: their latest /bahasa choice. False when not a reporter. */
    setReporterLocale: (telegramUserId: number, locale: string) =>
      links.setLocale(db, telegramUserId, locale),

    /** A citizen's reports, newest first. */
    async listForReporter(telegramUserId: number, page: number, pageSize: number) {
      const where = { id: { in: await links.reportIds(db, telegramUserId) } };
      const [total, items] = await Promise.all([
        db.report.count({ where }),
        db.report.findMany({
          where,
          orderBy: { createdAt: "desc" },
          skip: (page - 1) * pageSize,
          take: pageSize,
          select: { code: true, category: true, status: true, updatedAt: true, createdAt: true },
        }),
      ]);
      return { total, items };
    },

    /**
     * One of the citizen's own reports by code; another citizen's code reads as not found. A report linked to
     * nobody (no follow-up, unlinked after its case ended, or erased) opens by its code alone: the code is then
     * its only handle.
     */
    async findForReporter(telegramUserId: number, code: string) {
      const report = await db.report.findUnique({
        where: { code },
        include: { _count: { select: { evidence: true } } },
      });
      if (!report) return null;
      return report.reporterLinkEnc === null || links.isOwn(report, telegramUserId) ? report : null;
    },
  };
}

export type ReportStore = ReturnType<typeof createReportStore>;
