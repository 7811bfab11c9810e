import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import type { DuplicateHint } from "../case/incident-match.ts";
import type { Category } from "./categories.ts";
import type { IsoDate } from "./dates.ts";
import type { EvidenceKind } from "./draft.ts";
import type { PersonChange, PersonSnapshot } from "./reporter-links.ts";

/**
 * The SQL of Submit: one statement that reads what Submit must know before it writes, and one statement that
 * writes the report with everything that belongs to it. No interactive transaction: a single statement is atomic
 * by itself, holds no connection between round trips, and on the embedded database (one PGlite session, where an
 * open transaction blocks every other query) keeps the session free. The Prisma client's own CPU per statement is
 * what limited Submit (bench/RESULTS.md), hence two statements instead of eleven.
 *
 * Plain SQL that PostgreSQL 15 and PGlite (PostgreSQL 18) both run; Prisma tagged templates, so every value is a
 * parameter.
 */

type Db = Pick<PrismaClient, "$queryRaw">;

/** What Submit reads before it writes (see {@link readSubmitState}). */
export interface SubmitState {
  /** The draft's report when the draft was submitted already (a second tap, or a redelivered update). */
  submitted: { id: string; code: string } | null;
  /** Which of the offered ticket codes and report labels another report holds. */
  taken: Set<string>;
  /** The reporter's row; undefined when they have none (or when no lookup hash was given). */
  person: PersonSnapshot | undefined;
}

interface SubmitStateRow {
  submitted: { id: string; code: string } | null;
  taken: string[];
  person: PersonSnapshot | null;
}

/**
 * Reads, in one round trip: the report of `draftId` if any, which of `codes` and `labels` are taken, and the
 * reporter's row found by any of `personHashes` (the first by id, as reporter-links.ts locks it).
 */
export async function readSubmitState(
  db: Db,
  query: { draftId: string; codes: string[]; labels: string[]; personHashes: string[] },
): Promise<SubmitState> {
  const rows = await db.$queryRaw<SubmitStateRow[]>`
    SELECT
      (SELECT json_build_object('id', id::text, 'code', code) FROM reports
       WHERE draft_id = ${query.draftId}) AS submitted,
      ARRAY(SELECT code FROM reports WHERE code = ANY(${query.codes}::text[])
            UNION ALL
            SELECT pseudonym FROM reports WHERE pseudonym = ANY(${query.labels}::text[])) AS taken,
      (SELECT json_build_object('id', id::text, 'reportIdsEnc', report_ids_enc) FROM reporters
       WHERE telegram_id_hash = ANY(${query.personHashes}::text[]) ORDER BY id LIMIT 1) AS person`;
  const row = rows[0];
  if (!row) throw new Error("the Submit read returned no row");
  return { submitted: row.submitted, taken: new Set(row.taken), person: row.person ?? undefined };
}

/** The reporter's row again, after a write found it changed (see {@link insertReport}). */
export async function readPerson(db: Db, personHashes: string[]): Promise<PersonSnapshot | undefined> {
  const rows = await db.$queryRaw<PersonSnapshot[]>`
    SELECT id::text AS id, report_ids_enc AS "reportIdsEnc" FROM reporters
    WHERE telegram_id_hash = ANY(${personHashes}::text[]) ORDER BY id LIMIT 1`;
  return rows[0];
}

/** One evidence row of a new report, in the order the reporter sent the files. */
export interface NewEvidence {
  id: string;
  kind: EvidenceKind;
  fileId: string | null;
  fileUniqueId: string | null;
  mediaGroupId: string | null;
  fileNameEnc: string | null;
  mimeType: string | null;
  fileSize: number | null;
  caption: string | null;
  url: string | null;
  receivedAt: Date | null;
  hashState: "PENDING" | "NONE";
}

/** The columns of a new report, with its evidence and the kinds of the outbox messages that announce it. */
export interface NewReport {
  id: string;
  code: string;
  pseudonym: string;
  category: Category;
  draftId: string;
  anonymous: boolean;
  locale: string;
  reporterLinkEnc: string | null;
  reporterNameEnc: string | null;
  reporterPhoneEnc: string | null;
  witnessesEnc: string | null;
  occurredOn: IsoDate;
  learnedOn: IsoDate;
  provinceCode: string | null;
  regencyCode: string | null;
  districtCode: string | null;
  latitude: number | null;
  longitude: number | null;
  placeNote: string | null;
  chronology: string;
  details: Record<string, unknown>;
  duplicateHint: DuplicateHint | null;
  receiptPending: boolean;
  evidence: NewEvidence[];
  /** One outbox message per kind, each with payload `{ reportId }` and dedupe key `<kind>:<report id>`. */
  outboxKinds: string[];
  /** Written as created_at (and updated_at) of every row, as the Prisma client would from its own clock. */
  at: Date;
}

/**
 * The reporter's part of the statement: a CTE that yields one row when the person's row was written as planned,
 * none when it changed meanwhile (the report is then not written either). Without a link there is nothing to
 * write and one row.
 */
function personStep(change: PersonChange | null): Prisma.Sql {
  if (change === null) return Prisma.sql`SELECT NULL::uuid AS id`;
  if (change.kind === "update")
    return Prisma.sql`
      UPDATE reporters SET locale = ${change.locale}, report_ids_enc = ${change.idsEnc}
      WHERE id = ${change.id}::uuid AND report_ids_enc IS NOT DISTINCT FROM ${change.expectedIdsEnc}::text
      RETURNING id`;
  return Prisma.sql`
    INSERT INTO reporters (id, telegram_id_hash, telegram_id_enc, locale, report_ids_enc)
    VALUES (${change.id}::uuid, ${change.telegramIdHash}, ${change.telegramIdEnc}, ${change.locale},
            ${change.idsEnc})
    ON CONFLICT (telegram_id_hash) DO NOTHING
    RETURNING id`;
}

/** A timestamp column's value: the columns are `timestamp(3)` holding UTC, whatever the session's time zone. */
const utc = (at: Date) => Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * Writes the report, its evidence, its CREATED event, its outbox messages and the reporter's list (`person`, null
 * for a report linked to nobody) in one statement. Returns false, having written nothing, when the person's row
 * changed since it was read: read again and retry. A taken code, label or draft id fails the statement on its
 * unique index (nothing is written).
 */
export async function insertReport(db: Db, report: NewReport, person: PersonChange | null): Promise<boolean> {
  const at = utc(report.at);
  const evidence = JSON.stringify(
    report.evidence.map((item, position) => ({
      id: item.id,
      kind: item.kind,
      file_id: item.fileId,
      file_unique_id: item.fileUniqueId,
      media_group_id: item.mediaGroupId,
      file_name_enc: item.fileNameEnc,
      mime_type: item.mimeType,
      file_size: item.fileSize,
      caption: item.caption,
      url: item.url,
      position,
      received_at: item.receivedAt?.toISOString() ?? null,
      hash_state: item.hashState,
    })),
  );
  // Data-modifying CTEs run in one snapshot; each insert reads the report's RETURNING row, so nothing is written
  // unless the report is, and the report is written only when `person` yielded its row.
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH person AS (${personStep(person)}),
    report AS (
      INSERT INTO reports (id, code, pseudonym, category, draft_id, anonymous, locale, reporter_link_enc,
                           reporter_name_enc, reporter_phone_enc, witnesses_enc, occurred_on, learned_on,
                           province_code, regency_code, district_code, latitude, longitude, place_note,
                           chronology, details, duplicate_hint, receipt_pending, created_at, updated_at)
      SELECT ${report.id}::uuid, ${report.code}::text, ${report.pseudonym}::text, ${report.category}::"Category",
             ${report.draftId}::text, ${report.anonymous}::boolean, ${report.locale}::text,
             ${report.reporterLinkEnc}::text,
             ${report.reporterNameEnc}::text, ${report.reporterPhoneEnc}::text, ${report.witnessesEnc}::text,
             ${report.occurredOn}::date, ${report.learnedOn}::date,
             ${report.provinceCode}::text, ${report.regencyCode}::text, ${report.districtCode}::text,
             ${report.latitude}::float8, ${report.longitude}::float8, ${report.placeNote}::text,
             ${report.chronology}::text, ${JSON.stringify(report.details)}::jsonb,
             ${report.duplicateHint === null ? null : JSON.stringify(report.duplicateHint)}::jsonb,
             ${report.receiptPending}::boolean, ${at}, ${at}
      FROM person
      RETURNING id
    ),
    evidence_rows AS (
      INSERT INTO evidence (id, report_id, kind, file_id, file_unique_id, media_group_id, file_name_enc, mime_type,
                            file_size, caption, url, position, received_at, hash_state, created_at)
      SELECT e.id, report.id, e.kind::"EvidenceKind", e.file_id, e.file_unique_id, e.media_group_id, e.file_name_enc,
             e.mime_type, e.file_size, e.caption, e.url, e.position,
             e.received_at::timestamptz AT TIME ZONE 'UTC', e.hash_state::"EvidenceHashState", ${at}
      FROM report, jsonb_to_recordset(${evidence}::jsonb) AS e(
        id uuid, kind text, file_id text, file_unique_id text, media_group_id text, file_name_enc text, mime_type text,
        file_size integer, caption text, url text, position integer, received_at text, hash_state text)
    ),
    created_event AS (
      INSERT INTO report_events (report_id, type, to_status, created_at)
      SELECT id, 'CREATED'::"ReportEventType", 'NEW'::"ReportStatus", ${at} FROM report
    ),
    outbox_rows AS (
      INSERT INTO outbox (kind, dedupe_key, payload, available_at, created_at, updated_at)
      SELECT kind, kind || ':' || report.id::text, jsonb_build_object('reportId', report.id::text), ${at}, ${at}, ${at}
      FROM report, unnest(${report.outboxKinds}::text[]) AS kind
    )
    SELECT id::text AS id FROM report`;
  return rows.length === 1;
}
