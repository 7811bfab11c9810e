import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Period } from "../../../domain/insight/period.ts";
import { ANSWER_COLUMNS, EXPORT_COLUMNS, exportTickets } from "../../../domain/insight/ticket-export.ts";
import { getRegionCatalog } from "../../../domain/regions/region-catalog.ts";
import { insertInsightTickets, insightTickets, type SeededTicket } from "../../support/insight-seed.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";

const NOW = new Date("2024-11-28T05:00:00Z");
const PERIOD: Period = { from: "2024-11-01", to: "2024-11-28", timeZone: "Asia/Jakarta" };
let db: MigratedDatabase;
let dir: string;
let expected: SeededTicket[];

/** RFC 4180: quoted fields with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

beforeAll(async () => {
  db = await migratedDatabase();
  const tickets = insightTickets(2_500, NOW);
  await insertInsightTickets(db.prisma, tickets);
  const wib = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  expected = tickets.filter((t) => wib(t.createdAt) >= PERIOD.from && wib(t.createdAt) <= PERIOD.to);
  dir = await mkdtemp(join(tmpdir(), "awasi-export-test-"));
}, 120_000);

afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("ticket export", () => {
  it("writes CSV with a BOM, one row per ticket of the period in batches, answers per step id, no identity", async () => {
    const path = join(dir, "t.csv");
    const result = await exportTickets({
      db: db.prisma,
      filter: { period: PERIOD },
      regions: await getRegionCatalog(),
      followUpDays: 7,
      format: "csv",
      path,
      batchSize: 300, // several keyset batches
    });
    const text = await readFile(path, "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual(EXPORT_COLUMNS);
    expect(result.rows).toBe(expected.length);
    expect(rows).toHaveLength(expected.length);
    const col = (name: string) => header!.indexOf(name);
    expect(new Set(rows.map((r) => r[col("code")]))).toEqual(new Set(expected.map((t) => t.code)));
    const byCode = new Map(rows.map((r) => [r[col("code")]!, r]));
    const pinned = expected.find((t) => t.latitude !== null)!;
    const row = byCode.get(pinned.code)!;
    expect(row[col("province")]).toBe("Kalimantan Timur");
    expect(row[col("regency_code")]).toBe(pinned.regencyCode);
    expect(Number(row[col("latitude")])).toBe(pinned.latitude);
    expect(Number(row[col("evidence_count")])).toBe(pinned.evidence);
    expect(row[col("first_claimed_at")]).toBe(pinned.claimedAt?.toISOString() ?? "");
    const hoax = byCode.get(expected.find((t) => t.category === "HOAX")!.code)!;
    expect(hoax[col("hx_platforms")]).toBe("WHATSAPP");
    expect(hoax[col("hx_falsehood")]!.startsWith("'=HYPERLINK")).toBe(true); // no formula runs
    const other = byCode.get(expected.find((t) => t.category === "OTHER")!.code)!;
    expect(other[col("ot_title")]).toBe('Perusakan alat peraga, "baliho"');
    expect(ANSWER_COLUMNS).toContain("mp_given");
    for (const name of header!) expect(name).not.toMatch(/reporter|phone|telegram|pseudonym|chronology/);
    const money = byCode.get(expected.find((t) => t.category === "MONEY_POLITICS")!.code)!;
    expect(money[col("mp_value")]).toBe("50000");
  });

  it("writes the same tickets as XLSX, read back with ExcelJS", async () => {
    const path = join(dir, "t.xlsx");
    await exportTickets({
      db: db.prisma,
      filter: { period: PERIOD, category: "ASN_NEUTRALITY" },
      regions: await getRegionCatalog(),
      followUpDays: 7,
      format: "xlsx",
      path,
      batchSize: 250,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet("tickets")!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(EXPORT_COLUMNS);
    const asn = expected.filter((t) => t.category === "ASN_NEUTRALITY");
    expect(sheet.actualRowCount).toBe(asn.length + 1);
    const codes = new Set<string>();
    sheet.eachRow((row, number) => {
      if (number > 1) codes.add(String(row.getCell(1).value));
    });
    expect(codes).toEqual(new Set(asn.map((t) => t.code)));
    const second = sheet.getRow(2);
    expect(second.getCell(EXPORT_COLUMNS.indexOf("asn_actions") + 1).value).toBe("POSTED; SHARED");
    expect(second.getCell(EXPORT_COLUMNS.indexOf("created_at") + 1).value).toBeInstanceOf(Date);
  });
});
