/**
 * `/ekspor`: every ticket of a period as CSV (UTF-8 with a BOM, so spreadsheet programs pick the encoding) or XLSX,
 * streamed from PostgreSQL in keyset batches straight into a file, so that 100,000 tickets cost the memory of one
 * batch. Never a reporter's identity: no name, phone, Telegram id, pseudonym or chronology is selected; pins are
 * exported as stored (anonymous reports' pins are stored rounded).
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import type ExcelJSModule from "exceljs";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import type { RegionCatalog } from "../regions/region-types.ts";
import { CATEGORY_STEPS } from "../report/steps.ts";
import type { ExportFormat } from "./insight-args.ts";
import type { InsightFilter } from "./insight-queries.ts";
import { periodBounds } from "./period.ts";

/** One answer column per category question (step id), in the order of the questions. */
export const ANSWER_COLUMNS: readonly string[] = Object.values(CATEGORY_STEPS)
  .flat()
  .map((step) => step.id);

/** The export's columns, in order. Headers are stable identifiers (scripts read them), not translated. */
export const EXPORT_COLUMNS: readonly string[] = [
  "code",
  "category",
  "status",
  "province_code",
  "province",
  "regency_code",
  "regency",
  "district_code",
  "district",
  "latitude",
  "longitude",
  "occurred_on",
  "learned_on",
  "created_at",
  "first_claimed_at",
  "closed_at",
  "follow_up_deadline",
  "forwarded_to",
  "reject_reason",
  "case_id",
  ...ANSWER_COLUMNS,
  "evidence_count",
  "events",
  "questions_asked",
  "answers_relayed",
  "status_changes",
  "updated_at",
];

interface ExportRow {
  id: string;
  code: string;
  category: string;
  status: string;
  province_code: string | null;
  regency_code: string | null;
  district_code: string | null;
  latitude: number | null;
  longitude: number | null;
  occurred_on: string;
  learned_on: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  forwarded_to: string | null;
  reject_reason: string | null;
  case_id: string | null;
  details: Record<string, unknown> | null;
  evidence_count: number;
  events: number;
  questions_asked: number;
  answers_relayed: number;
  status_changes: number;
  first_claimed_at: Date | null;
}

export interface ExportOptions {
  db: PrismaClient;
  filter: InsightFilter;
  regions: RegionCatalog;
  followUpDays: number;
  format: ExportFormat;
  /** Where the file is written. */
  path: string;
  batchSize?: number;
}

/** Tickets exported and where. */
export interface ExportResult {
  rows: number;
  path: string;
}

/** Streams the filter's tickets, oldest first, into `path`. */
export async function exportTickets(options: ExportOptions): Promise<ExportResult> {
  const sink = options.format === "csv" ? csvSink(options.path) : xlsxSink(options.path);
  let rows = 0;
  try {
    for await (const batch of batches(options.db, options.filter, options.batchSize ?? 1_000)) {
      for (const row of batch) await sink.write(cells(row, options));
      rows += batch.length;
    }
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  return { rows, path: options.path };
}

/** Keyset pagination on (created_at, id): each batch starts after the last row of the one before. */
async function* batches(db: PrismaClient, filter: InsightFilter, size: number): AsyncGenerator<ExportRow[]> {
  const { start, end } = periodBounds(filter.period);
  const conditions = [Prisma.sql`r.created_at >= ${start} AND r.created_at < ${end}`];
  if (filter.category) conditions.push(Prisma.sql`r.category::text = ${filter.category}`);
  if (filter.provinceCode) conditions.push(Prisma.sql`r.province_code = ${filter.provinceCode}`);
  if (filter.regencyCode) conditions.push(Prisma.sql`r.regency_code = ${filter.regencyCode}`);
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const keyset = after
      ? Prisma.sql`AND (r.created_at, r.id) > (${after.createdAt}, ${after.id}::uuid)`
      : Prisma.empty;
    const rows = await db.$queryRaw<ExportRow[]>`
      SELECT r.id::text AS id, r.code, r.category::text AS category, r.status::text AS status,
        r.province_code, r.regency_code, r.district_code, r.latitude, r.longitude,
        to_char(r.occurred_on, 'YYYY-MM-DD') AS occurred_on, to_char(r.learned_on, 'YYYY-MM-DD') AS learned_on,
        r.created_at, r.updated_at, r.closed_at, r.forwarded_to::text AS forwarded_to,
        r.reject_reason::text AS reject_reason, r.case_id::text AS case_id, r.details,
        (SELECT count(*)::int FROM evidence v WHERE v.report_id = r.id) AS evidence_count,
        ev.events, ev.questions_asked, ev.answers_relayed, ev.status_changes, ev.first_claimed_at
      FROM reports r
      LEFT JOIN LATERAL (
        SELECT count(*)::int AS events,
          count(*) FILTER (WHERE e.type = 'QUESTION_ASKED')::int AS questions_asked,
          count(*) FILTER (WHERE e.type = 'ANSWER_RELAYED')::int AS answers_relayed,
          count(*) FILTER (WHERE e.type = 'STATUS_CHANGED')::int AS status_changes,
          min(e.created_at) FILTER (WHERE e.type = 'CLAIMED') AS first_claimed_at
        FROM report_events e WHERE e.report_id = r.id
      ) ev ON true
      WHERE ${Prisma.join(conditions, " AND ")} ${keyset}
      ORDER BY r.created_at, r.id
      LIMIT ${size}`;
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.created_at, id: last.id };
    if (rows.length < size) return;
  }
}

type Cell = string | number | Date | null;

function cells(row: ExportRow, options: ExportOptions): Cell[] {
  const name = (code: string | null) => (code ? (options.regions.get(code)?.name ?? null) : null);
  const details = row.details ?? {};
  const deadline = new Date(row.created_at.getTime() + options.followUpDays * 86_400_000);
  return [
    row.code,
    row.category,
    row.status,
    row.province_code,
    name(row.province_code),
    row.regency_code,
    name(row.regency_code),
    row.district_code,
    name(row.district_code),
    row.latitude,
    row.longitude,
    row.occurred_on,
    row.learned_on,
    row.created_at,
    row.first_claimed_at,
    row.closed_at,
    deadline,
    row.forwarded_to,
    row.reject_reason,
    row.case_id,
    ...ANSWER_COLUMNS.map((id) => answerCell(details[id])),
    row.evidence_count,
    row.events ?? 0,
    row.questions_asked ?? 0,
    row.answers_relayed ?? 0,
    row.status_changes ?? 0,
    row.updated_at,
  ];
}

function answerCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String).join("; ");
  if (typeof value === "number") return value;
  return String(value);
}

interface Sink {
  write(cells: Cell[]): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * A text typed by a citizen that starts with `=`, `+`, `-`, `@` (or a tab/CR) would run as a formula when the
 * file is opened (CSV injection, OWASP): such cells get a leading apostrophe.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(cell: Cell): string {
  if (cell === null) return "";
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === "number") return String(cell);
  const text = neutralizeFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvSink(path: string): Sink {
  const stream = createWriteStream(path, { encoding: "utf8" });
  const put = async (text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  const ready = put(`\uFEFF${EXPORT_COLUMNS.join(",")}\r\n`);
  return {
    async write(cells) {
      await ready;
      await put(`${cells.map(csvField).join(",")}\r\n`);
    },
    async close() {
      await ready;
      stream.end();
      await once(stream, "finish");
    },
    async abort() {
      stream.destroy();
    },
  };
}

const require = createRequire(import.meta.url);

function xlsxSink(path: string): Sink {
  // Loaded on the first XLSX export, not at start (ExcelJS holds ~27 MB most instances never use).
  const ExcelJS = require("exceljs") as typeof ExcelJSModule;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet("tickets");
  sheet.columns = EXPORT_COLUMNS.map((header) => ({
    header,
    key: header,
    width: Math.max(12, header.length + 2),
    style: header.endsWith("_at") || header === "follow_up_deadline" ? { numFmt: "yyyy-mm-dd hh:mm:ss" } : {},
  }));
  return {
    async write(cells) {
      sheet.addRow(cells.map((cell) => (typeof cell === "string" ? neutralizeFormula(cell) : cell))).commit();
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
    async abort() {
      await workbook.commit().catch(() => undefined);
    },
  };
}
