import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { purgeExpiredPersonalData } from "../../../domain/privacy/retention.ts";
import type { Submission } from "../../../domain/report/flow.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import { PSEUDONYM_ALPHABET } from "../../../domain/ticket/pseudonym.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const DAY = 86_400_000;
const LABEL = new RegExp(`^[${PSEUDONYM_ALPHABET}]{4,8}$`);

function submission(anonymous: boolean): Submission {
  return {
    category: "OTHER",
    details: { ot_title: "Kampanye di sekolah" },
    occurredOn: "2026-01-02",
    learnedOn: "2026-01-02",
    location: { type: "region", provinceCode: "31", regencyCode: "31.74" },
    placeNote: null,
    chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
    evidence: [],
    anonymous,
    reporterNameEnc: null,
    reporterPhoneEnc: null,
  } as Submission;
}

describe("each report's own pseudonym", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);
  beforeAll(async () => {
    db = await migratedDatabase();
  });
  afterAll(() => db?.close());

  it("gives two reports of one person unrelated labels, and keeps no per-person label", async () => {
    const store = createReportStore(db.prisma, cipher);
    const tip = await store.submit({
      telegramUserId: 4242,
      locale: "id",
      draftId: "pn-tip",
      submission: submission(true),
    });
    const formal = await store.submit({
      telegramUserId: 4242,
      locale: "id",
      draftId: "pn-formal",
      submission: submission(false),
    });
    const rows = await db.rawQuery<{ id: string; pseudonym: string }>(
      `SELECT id, pseudonym FROM reports WHERE id IN ('${tip.reportId}', '${formal.reportId}')`,
    );
    const labels = rows.map((row) => row.pseudonym);
    for (const label of labels) expect(label).toMatch(LABEL);
    expect(labels[0]).not.toBe(labels[1]);
    const reporters = await db.rawQuery<{ pseudonym: string | null }>("SELECT pseudonym FROM reporters");
    expect(reporters.map((row) => row.pseudonym)).toEqual([null]);
  });

  it("never recreates an old label: a report filed after a purge gets a new one", async () => {
    const store = createReportStore(db.prisma, cipher);
    const now = new Date();
    const first = await store.submit({
      telegramUserId: 5151,
      locale: "id",
      draftId: "pn-before",
      submission: submission(true),
    });
    await db.prisma.report.update({
      where: { id: first.reportId },
      data: { status: "CLOSED", closedAt: new Date(now.getTime() - 100 * DAY) },
    });
    await purgeExpiredPersonalData(db.prisma, cipher, now, 90);
    const again = await store.submit({
      telegramUserId: 5151,
      locale: "id",
      draftId: "pn-after",
      submission: submission(true),
    });
    const [before, after] = await Promise.all(
      [first.reportId, again.reportId].map((id) => db.prisma.report.findUniqueOrThrow({ where: { id } })),
    );
    expect(before!.pseudonym).toMatch(LABEL);
    expect(after!.pseudonym).toMatch(LABEL);
    expect(after!.pseudonym).not.toBe(before!.pseudonym);
  });
});
