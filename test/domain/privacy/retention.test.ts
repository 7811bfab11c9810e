import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { purgeExpiredPersonalData } from "../../../domain/privacy/retention.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const DAY = 86_400_000;

describe("purging personal data of closed cases", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);
  const submit = async (draftId: string, telegramUserId: number) => {
    const store = createReportStore(db.prisma, cipher);
    const { reportId } = await store.submit({
      telegramUserId,
      locale: "id",
      draftId,
      submission: {
        category: "OTHER",
        details: { ot_title: "Kampanye di sekolah" },
        occurredOn: "2026-01-02",
        learnedOn: "2026-01-02",
        location: { type: "point", latitude: -6.2, longitude: 106.8 },
        placeNote: null,
        chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
        evidence: [],
        anonymous: false,
        reporterNameEnc: cipher.encrypt("Budi"),
        reporterPhoneEnc: cipher.encrypt("+628111"),
      },
    });
    return reportId;
  };
  beforeAll(async () => {
    db = await migratedDatabase();
  });
  afterAll(() => db?.close());

  it("keeps the anonymised report, deletes name, phone and the reporter once no report needs them", async () => {
    const now = new Date("2026-11-24T00:00:00Z");
    const old = await submit("purge-old", 111);
    const recent = await submit("purge-recent", 222);
    const open = await submit("purge-open", 333);
    await db.prisma.report.update({
      where: { id: old },
      data: { status: "CLOSED", closedAt: new Date(now.getTime() - 91 * DAY) },
    });
    await db.prisma.report.update({
      where: { id: recent },
      data: { status: "REJECTED", closedAt: new Date(now.getTime() - 10 * DAY) },
    });

    expect(await purgeExpiredPersonalData(db.prisma, cipher, now, 90)).toBe(1);

    const purged = await db.prisma.report.findUniqueOrThrow({
      where: { id: old },
      include: { events: true },
    });
    expect(purged).toMatchObject({ reporterNameEnc: null, reporterPhoneEnc: null, reporterLinkEnc: null });
    expect(purged.chronology).toContain("berkampanye");
    expect(purged.events.map((event) => event.type)).toContain("PERSONAL_DATA_PURGED");
    expect(
      (await db.prisma.report.findUniqueOrThrow({ where: { id: recent } })).reporterNameEnc,
    ).not.toBeNull();
    expect(
      (await db.prisma.report.findUniqueOrThrow({ where: { id: open } })).reporterLinkEnc,
    ).not.toBeNull();
    expect(await db.prisma.reporter.count()).toBe(2);
    expect(await purgeExpiredPersonalData(db.prisma, cipher, now, 90)).toBe(0);
  });
});
