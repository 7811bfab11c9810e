import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import type { Submission } from "../../domain/report/flow.ts";
import { moveLegacyReporterLinks } from "../../domain/report/legacy-reporter-links.ts";
import { createReportStore } from "../../domain/report/report-store.ts";
import { createReporterLinks } from "../../domain/report/reporter-links.ts";
import { type MigratedDatabase, migratedDatabase } from "../support/migrated-database.ts";
import { sampleSubmission } from "../support/submissions.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";

const SITI = 700_101;
const ANDI = 700_202;

/** Columns whose values come from a small set (a category, a flag, a language): equal by chance, naming nobody. */
const SMALL_DOMAIN_COLUMNS = new Set(["status", "locale", "subscribe_offered", "receipt_pending"]);

const text = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

describe("one person's reports in a database dump", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await migratedDatabase();
    const store = createReportStore(db.prisma, cipher);
    const file = async (name: string, userId: number, overrides: Partial<Submission>) => {
      const { reportId } = await store.submit({
        telegramUserId: userId,
        locale: "id",
        draftId: `draft-${name}`,
        submission: sampleSubmission(overrides),
      });
      ids[name] = reportId;
    };
    // Siti files one anonymous and one identified report; Andi files one.
    await file("sitiAnonymous", SITI, {});
    await file("sitiIdentified", SITI, {
      category: "ASN_NEUTRALITY",
      details: { asn_name: "Pak Kepala Dinas" },
      occurredOn: "2026-11-25",
      learnedOn: "2026-11-26",
      location: { type: "point", latitude: -6.2, longitude: 106.8 },
      chronology: "Seorang kepala dinas mengajak pegawai memilih calon tertentu dalam rapat resmi.",
      anonymous: false,
      reporterNameEnc: cipher.encrypt("Siti Rahmawati"),
      reporterPhoneEnc: cipher.encrypt("+6281234567890"),
    });
    await file("andi", ANDI, {
      category: "HOAX",
      details: {},
      chronology: "Pesan berantai hoaks tentang TPS.",
    });
  }, 180_000);
  afterAll(() => db?.close());

  it("gives the two reports of one person no shared value: no reporter id, no common ciphertext or hash", async () => {
    const rows = await db.rawQuery<Record<string, unknown>>(
      `SELECT * FROM reports WHERE id IN ('${ids.sitiAnonymous}', '${ids.sitiIdentified}')`,
    );
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [Record<string, unknown>, Record<string, unknown>];
    const shared = Object.keys(first).filter(
      (column) =>
        first[column] !== null &&
        !SMALL_DOMAIN_COLUMNS.has(column) &&
        text(first[column]) === text(second[column]),
    );
    expect(shared).toEqual([]);
    expect(first.reporter_link_enc).toBeTruthy();
    expect(second.reporter_link_enc).toBeTruthy();
  });

  it("keeps no row elsewhere that names both reports or their reporter in the clear", async () => {
    const tables = await db.rawQuery<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'reports'`,
    );
    for (const { table_name: table } of tables) {
      for (const row of await db.rawQuery(`SELECT * FROM "${table}"`)) {
        const dump = text(row);
        expect(dump.includes(ids.sitiAnonymous!) && dump.includes(ids.sitiIdentified!), table).toBe(false);
        expect(dump, table).not.toContain(String(SITI));
      }
    }
    // The person's row lists their reports only encrypted, and carries no time that would match a report.
    const people = await db.rawQuery<Record<string, unknown>>("SELECT * FROM reporters");
    expect(people).toHaveLength(2);
    for (const person of people) expect(Object.keys(person)).not.toContain("created_at");
  });

  it("still lets the citizen find, count and open their own reports, and nobody else's", async () => {
    const store = createReportStore(db.prisma, cipher);
    const mine = await store.listForReporter(SITI, 1, 10);
    expect(mine.total).toBe(2);
    expect(await store.countToday(SITI, new Date())).toBe(2);
    const [andiReport] = (await store.listForReporter(ANDI, 1, 10)).items;
    expect(await store.findForReporter(SITI, andiReport!.code)).toBeNull();
    expect(await store.findForReporter(ANDI, andiReport!.code)).not.toBeNull();
  });

  it("unlinks a report from its reporter's list, and drops the person's row once it lists none", async () => {
    const links = createReporterLinks(cipher);
    const report = (id: string) => db.prisma.report.findUniqueOrThrow({ where: { id } });
    const andiReport = await report(ids.andi!);
    await db.prisma.$transaction((tx) => links.unlink(tx, [andiReport]));
    expect((await report(ids.andi!)).reporterLinkEnc).toBeNull();
    expect(await links.reportIds(db.prisma, ANDI)).toEqual([]);
    expect(await db.prisma.reporter.count()).toBe(1);
    expect((await links.reportIds(db.prisma, SITI)).sort()).toEqual(
      [ids.sitiAnonymous!, ids.sitiIdentified!].sort(),
    );
  });
});

describe("reports filed before per-report links", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);

  beforeAll(async () => {
    db = await migratedDatabase();
  }, 180_000);
  afterAll(() => db?.close());

  it("move at start-up to their own links and the reporter's list, once", async () => {
    const person = "11111111-1111-4111-8111-111111111111";
    await db.rawQuery(
      `INSERT INTO reporters (id, telegram_id_hash, telegram_id_enc, locale)
       VALUES ('${person}', '${cipher.hash("reporter", String(SITI))}', '${cipher.encrypt(String(SITI))}', 'en')`,
    );
    for (const code of ["LN-OLD001", "LN-OLD002"]) {
      await db.rawQuery(
        `INSERT INTO reports (id, code, category, reporter_id, draft_id, occurred_on, learned_on, chronology, details, updated_at)
         VALUES (gen_random_uuid(), '${code}', 'OTHER', '${person}', 'draft-${code}', '2026-11-01', '2026-11-01',
                 'Kejadian lama sebelum tautan per laporan.', '{}', now())`,
      );
    }

    expect(await moveLegacyReporterLinks(db.prisma, cipher, 1)).toBe(2);
    expect(await moveLegacyReporterLinks(db.prisma, cipher)).toBe(0);

    const rows = await db.rawQuery<{ id: string; reporter_id: string | null; reporter_link_enc: string }>(
      "SELECT id, reporter_id, reporter_link_enc FROM reports ORDER BY code",
    );
    expect(rows.map((row) => row.reporter_id)).toEqual([null, null]);
    expect(rows.map((row) => cipher.decrypt(row.reporter_link_enc))).toEqual([String(SITI), String(SITI)]);
    expect(rows[0]!.reporter_link_enc).not.toBe(rows[1]!.reporter_link_enc);
    const links = createReporterLinks(cipher);
    expect((await links.reportIds(db.prisma, SITI)).sort()).toEqual(rows.map((row) => row.id).sort());
    expect(
      await links.contactOf(db.prisma, { reporterLinkEnc: rows[0]!.reporter_link_enc, locale: "id" }),
    ).toEqual({ chatId: SITI, locale: "en" });
  });
});
