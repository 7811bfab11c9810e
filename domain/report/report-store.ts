import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { findPossibleDuplicate } from "../case/duplicate-finder.ts";
import type { IncidentFacts } from "../case/incident-match.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { EVIDENCE_OUTBOX } from "../evidence/evidence-outbox.ts";
import { pseudonymCandidates } from "../ticket/pseudonym.ts";
import type { Category } from "./categories.ts";
import { todayInJakarta } from "./dates.ts";
import type { Submission } from "./flow.ts";
import { pinToStore } from "./pin-precision.ts";
import { createReporterLinks } from "./reporter-links.ts";
import { generateTicketCode, TICKET_PREFIX } from "./ticket-code.ts";

/** The outbox message kind that tells the officers about a new report (delivered by the triage feature). */
export const NEW_REPORT_OUTBOX_KIND = "staff.newReport";

export interface SubmitInput {
  telegramUserId: number;
  locale: string;
  draftId: string;
  submission: Submission;
}

export interface SubmitResult {
  created: boolean;
  code: string;
  reportId: string;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Reports as citizens see them: submit a finished draft, count today's reports, list and open one's own.
 * Each report holds its own encrypted link to its reporter, and the reporter's row the encrypted list of their
 * reports (domain/report/reporter-links.ts): nothing in a dump groups one person's reports.
 */
export function createReportStore(db: PrismaClient, cipher: DataCipher) {
  const links = createReporterLinks(cipher);

  /**
   * What Submit reads before it writes, all at once (one round trip, not four): the draft's report if it was
   * submitted already, which of a few fresh ticket codes and of the report's label candidates are taken, and a
   * possible duplicate. The label is from the keyed hash of the (random) report id, never of the person, so two
   * reports of one citizen carry unrelated labels and nothing recreates an old one.
   */
  async function prepare(draftId: string, facts: IncidentFacts & { id: string; chronology: string }) {
    const codes = Array.from({ length: 3 }, () =>
      generateTicketCode(TICKET_PREFIX[facts.category as Category]),
    );
    const hash = cipher.hash("reportPseudonym", facts.id);
    const labels = [...pseudonymCandidates(hash)];
    const [submitted, taken, hint] = await Promise.all([
      db.report.findUnique({ where: { draftId }, select: { id: true, code: true } }),
      db.report.findMany({
        where: { OR: [{ code: { in: codes } }, { pseudonym: { in: labels } }] },
        select: { code: true, pseudonym: true },
      }),
      findPossibleDuplicate(db, facts),
    ]);
    const takenValues = new Set(taken.flatMap((row) => [row.code, row.pseudonym]));
    const code = codes.find((candidate) => !takenValues.has(candidate));
    if (!code) throw new Error("could not find a free ticket code");
    const pseudonym = labels.find((label) => !takenValues.has(label)) ?? hash.slice(0, 12).toUpperCase();
    return { submitted, code, pseudonym, hint };
  }

  /** One try of Submit; a code or label another Submit took in between fails it on the unique index. */
  async function submitOnce(input: SubmitInput): Promise<SubmitResult> {
    const s = input.submission;
    const id = randomUUID();
    const location = pinToStore(s.location, s.anonymous);
    const facts = {
      id,
      category: s.category,
      occurredOn: new Date(`${s.occurredOn}T00:00:00Z`),
      districtCode: location.type === "region" ? (location.districtCode ?? null) : null,
      latitude: location.type === "point" ? location.latitude : null,
      longitude: location.type === "point" ? location.longitude : null,
      details: s.details,
      chronology: s.chronology,
    };
    const { submitted, code, pseudonym, hint } = await prepare(input.draftId, facts);
    if (submitted) return { created: false, code: submitted.code, reportId: submitted.id };
    // A document's original name often names its author or their device: an anonymous report keeps none.
    const evidence = s.evidence.map(({ fileName, ...item }) => ({
      ...item,
      fileNameEnc: s.anonymous || fileName === undefined ? undefined : cipher.encrypt(fileName),
    }));
    const receiptPending = evidence.some((item) => item.fileId !== undefined);
    return db.$transaction(async (tx) => {
      await tx.report.create({
        select: { id: true },
        data: {
          ...facts,
          code,
          pseudonym,
          // No follow-up: no link at all; the ticket code is the only handle.
          reporterLinkEnc: s.noTrace ? null : links.linkFor(input.telegramUserId),
          draftId: input.draftId,
          anonymous: s.anonymous,
          reporterNameEnc: s.reporterNameEnc,
          reporterPhoneEnc: s.reporterPhoneEnc,
          locale: input.locale,
          learnedOn: new Date(`${s.learnedOn}T00:00:00Z`),
          provinceCode: location.type === "region" ? location.provinceCode : null,
          regencyCode: location.type === "region" ? location.regencyCode : null,
          placeNote: s.placeNote,
          details: s.details as Prisma.InputJsonValue,
          ...(hint ? { duplicateHint: hint as unknown as Prisma.InputJsonValue } : {}),
          evidence: {
            create: evidence.map(({ receivedAt, ...item }, position) => ({
              ...item,
              position,
              receivedAt: receivedAt === undefined ? null : new Date(receivedAt * 1000),
              hashState: item.fileId === undefined ? ("NONE" as const) : ("PENDING" as const),
            })),
          },
          witnessesEnc: s.witnessesEnc ?? null,
          receiptPending,
          events: { create: { type: "CREATED", toStatus: "NEW" } },
        },
      });
      if (!s.noTrace) await links.add(tx, input.telegramUserId, input.locale, id);
      const kinds = receiptPending
        ? [NEW_REPORT_OUTBOX_KIND, EVIDENCE_OUTBOX.hash]
        : [NEW_REPORT_OUTBOX_KIND];
      await tx.outboxMessage.createMany({
        data: kinds.map((kind) => ({ kind, dedupeKey: `${kind}:${id}`, payload: { reportId: id } })),
      });
      return { created: true, code, reportId: id };
    });
  }

  return {
    /**
     * Writes the report, its evidence, its CREATED event, the reporter's link and the officers' outbox message in
     * one transaction. Submitting the same draft again returns the first report (`created: false`), so a double
     * tap makes one ticket.
     */
    async submit(input: SubmitInput): Promise<SubmitResult> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await submitOnce(input);
        } catch (error) {
          // Two instances submitting the same draft at once: the unique draft id lets exactly one through.
          const again = await db.report.findUnique({ where: { draftId: input.draftId } });
          if (again) return { created: false, code: again.code, reportId: again.id };
          if (attempt < 3 && isUniqueViolation(error)) continue;
          throw error;
        }
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
