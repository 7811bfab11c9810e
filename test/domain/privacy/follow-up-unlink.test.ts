import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { unlinkFinishedAnonymousReports } from "../../../domain/privacy/follow-up-unlink.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import type { ReportStatus } from "../../../generated/prisma/client.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const DAY = 86_400_000;
const cipher = createDataCipher(TEST_DATA_KEY);
const NOW = new Date("2026-11-24T00:00:00Z");

describe("unlinking finished anonymous cases after the follow-up window", { timeout: 120_000 }, () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
  }, 180_000); // an embedded database on a loaded machine can take a while to migrate
  afterAll(() => db?.close());

  const seed = async (
    draftId: string,
    userId: number,
    state: { status: ReportStatus; closedDaysAgo?: number; lastEventDaysAgo?: number; identified?: boolean },
  ) => {
    const { reportId } = await createReportStore(db.prisma, cipher).submit({
      telegramUserId: userId,
      locale: "id",
      draftId,
      submission: {
        category: "OTHER",
        details: { ot_title: "Kampanye di sekolah" },
        occurredOn: "2026-10-02",
        learnedOn: "2026-10-02",
        location: { type: "point", latitude: -6.2, longitude: 106.8 },
        placeNote: null,
        chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
        evidence: [],
        anonymous: !state.identified,
        reporterNameEnc: state.identified ? cipher.encrypt("Budi") : null,
        reporterPhoneEnc: state.identified ? cipher.encrypt("+628111") : null,
      },
    });
    const closedAt =
      state.closedDaysAgo === undefined ? null : new Date(NOW.getTime() - state.closedDaysAgo * DAY);
    await db.prisma.report.update({ where: { id: reportId }, data: { status: state.status, closedAt } });
    const eventAt = new Date(NOW.getTime() - (state.lastEventDaysAgo ?? 60) * DAY);
    await db.prisma.reportEvent.updateMany({ where: { reportId }, data: { createdAt: eventAt } });
    return reportId;
  };

  it("deletes the link of anonymous cases closed, rejected or forwarded longer ago than the window, and nothing else", async () => {
    const closedLong = await seed("u-closed-long", 801, { status: "CLOSED", closedDaysAgo: 31 });
    const rejectedLong = await seed("u-rejected-long", 802, { status: "REJECTED", closedDaysAgo: 40 });
    const forwardedQuiet = await seed("u-forwarded-quiet", 803, {
      status: "FORWARDED",
      lastEventDaysAgo: 31,
    });
    const forwardedBusy = await seed("u-forwarded-busy", 804, { status: "FORWARDED", lastEventDaysAgo: 2 });
    const closedRecent = await seed("u-closed-recent", 805, { status: "CLOSED", closedDaysAgo: 5 });
    const open = await seed("u-open", 806, { status: "IN_REVIEW", lastEventDaysAgo: 90 });
    const identified = await seed("u-identified", 807, {
      status: "CLOSED",
      closedDaysAgo: 31,
      identified: true,
    });
    // A reporter with a finished and an open report keeps their row for the open one.
    const sharedDone = await seed("u-shared-done", 808, { status: "CLOSED", closedDaysAgo: 31 });
    const sharedOpen = await seed("u-shared-open", 808, { status: "NEW" });

    expect(await unlinkFinishedAnonymousReports(db.prisma, cipher, NOW, 30)).toBe(4);

    const rows = await db.rawQuery<{ id: string; reporter_link_enc: string | null }>(
      "SELECT id, reporter_link_enc FROM reports",
    );
    const linked = new Map(rows.map((row) => [row.id, row.reporter_link_enc !== null]));
    expect(Object.fromEntries([...linked].map(([id, value]) => [id, value]))).toEqual({
      [closedLong]: false,
      [rejectedLong]: false,
      [forwardedQuiet]: false,
      [forwardedBusy]: true,
      [closedRecent]: true,
      [open]: true,
      [identified]: true, // identified reports wait for the retention purge
      [sharedDone]: false,
      [sharedOpen]: true,
    });
    const reporters = await db.rawQuery<{ telegram_id_enc: string }>("SELECT telegram_id_enc FROM reporters");
    expect(reporters.map((row) => cipher.decrypt(row.telegram_id_enc)).sort()).toEqual(
      ["804", "805", "806", "807", "808"].sort(),
    );
    const events = await db.rawQuery<{ report_id: string }>(
      "SELECT report_id FROM report_events WHERE type = 'REPORTER_UNLINKED'",
    );
    expect(events.map((row) => row.report_id).sort()).toEqual(
      [closedLong, rejectedLong, forwardedQuiet, sharedDone].sort(),
    );
    // A second run finds nothing more.
    expect(await unlinkFinishedAnonymousReports(db.prisma, cipher, NOW, 30)).toBe(0);
  });
});
