import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { findPossibleDuplicate } from "../case/duplicate-finder.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";
import { EVIDENCE_OUTBOX } from "../evidence/evidence-outbox.ts";
import { pseudonymCandidates } from "../ticket/pseudonym.ts";
import { todayInJakarta } from "./dates.ts";
import type { Submission } from "./flow.ts";
import { pinToStore } from "./pin-precision.ts";
import { insertReport, readPerson, readSubmitState } from "./report-insert.ts";
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

/** Attempts of one Submit: a code or label another Submit took meanwhile makes it try again with new ones. */
const SUBMIT_ATTEMPTS = 3;
/** Writes of one attempt at most while the reporter's row keeps changing (another of their reports each time). */
const PERSON_ROUNDS = 100;

/** A unique index refused a row: P2002 from a model query, SQLSTATE 23505 inside P2010 from a raw one. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  const meta = error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined;
  return error.code === "P2010" && meta?.driverAdapterError?.cause?.originalCode === "23505";
}

/**
 * Reports as citizens see them: submit a finished draft, count today's reports, list and open one's own.
 * Each report holds its own encrypted link to its reporter, and the reporter's row the encrypted list of their
 * reports (domain/report/reporter-links.ts): nothing in a dump groups one person's reports.
 */
export function createReportStore(db: PrismaClient, cipher: DataCipher) {
  const links = createReporterLinks(cipher);

  /**
   * One try of Submit: one statement reads (the draft's report if it was submitted already, which of a few fresh
   * ticket codes and of the report's label candidates are taken, the reporter's row) while another finds a
   * possible duplicate; then one statement writes (domain/report/report-insert.ts). The label is from the keyed
   * hash of the (random) report id, never of the person, so two reports of one citizen carry unrelated labels and
   * nothing recreates an old one.
   */
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
    const codes = Array.from({ length: 3 }, () => generateTicketCode(TICKET_PREFIX[s.category]));
    const hash = cipher.hash("reportPseudonym", id);
    const labels = [...pseudonymCandidates(hash)];
    const [state, hint] = await Promise.all([
      readSubmitState(db, {
        draftId: input.draftId,
        codes,
        labels,
        // No follow-up: no link at all, so the person's row is neither read nor written.
        personHashes: s.noTrace ? [] : links.lookupHashes(input.telegramUserId),
      }),
      findPossibleDuplicate(db, facts),
    ]);
    if (state.submitted) return { created: false, code: state.submitted.code, reportId: state.submitted.id };
    const code = codes.find((candidate) => !state.taken.has(candidate));
    if (!code) throw new Error("could not find a free ticket code");
    const pseudonym = labels.find((label) => !state.taken.has(label)) ?? hash.slice(0, 12).toUpperCase();

    // A document's original name often names its author or their device: encrypted, and an anonymous report keeps none.
    const evidence = s.evidence.map(({ receivedAt, ...item }) => ({
      id: randomUUID(),
      kind: item.kind,
      fileId: item.fileId ?? null,
      fileUniqueId: item.fileUniqueId ?? null,
      mediaGroupId: item.mediaGroupId ?? null,
      fileNameEnc: s.anonymous || item.fileName === undefined ? null : cipher.encrypt(item.fileName),
      mimeType: item.mimeType ?? null,
      fileSize: item.fileSize ?? null,
      caption: item.caption ?? null,
      url: item.url ?? null,
      receivedAt: receivedAt === undefined ? null : new Date(receivedAt * 1000),
      hashState: item.fileId === undefined ? ("NONE" as const) : ("PENDING" as const),
    }));
    const receiptPending = evidence.some((item) => item.fileId !== null);
    const report = {
      id,
      code,
      pseudonym,
      category: s.category,
      draftId: input.draftId,
      anonymous: s.anonymous,
      locale: input.locale,
      // No follow-up: no link at all; the ticket code is the only handle.
      reporterLinkEnc: s.noTrace ? null : links.linkFor(input.telegramUserId),
      reporterNameEnc: s.reporterNameEnc,
      reporterPhoneEnc: s.reporterPhoneEnc,
      witnessesEnc: s.witnessesEnc ?? null,
      occurredOn: s.occurredOn,
      learnedOn: s.learnedOn,
      provinceCode: location.type === "region" ? location.provinceCode : null,
      regencyCode: location.type === "region" ? location.regencyCode : null,
      districtCode: facts.districtCode,
      latitude: facts.latitude,
      longitude: facts.longitude,
      placeNote: s.placeNote,
      chronology: s.chronology,
      details: s.details,
      duplicateHint: hint,
      receiptPending,
      evidence,
      outboxKinds: receiptPending ? [NEW_REPORT_OUTBOX_KIND, EVIDENCE_OUTBOX.hash] : [NEW_REPORT_OUTBOX_KIND],
      at: new Date(),
    };
    // A write that finds the person's row changed since it was read (another of their reports was written meanwhile)
    // writes nothing: read the row again and retry. Each miss means another write succeeded, so this ends; the cap
    // only guards against a bug.
    let person = state.person;
    for (let round = 1; round <= PERSON_ROUNDS; round++) {
      const change = s.noTrace ? null : links.planAdd(person, input.telegramUserId, input.locale, id);
      if (await insertReport(db, report, change)) return { created: true, code, reportId: id };
      person = await readPerson(db, links.lookupHashes(input.telegramUserId));
    }
    throw new Error(`Submit gave up after ${PERSON_ROUNDS} writes: the reporter's row kept changing`);
  }

  return {
    /**
     * Writes the report, its evidence, its CREATED event, the reporter's link and the officers' outbox message in
     * one statement. Submitting the same draft again returns the first report (`created: false`), so a double
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
          if (attempt < SUBMIT_ATTEMPTS && isUniqueViolation(error)) continue;
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
