import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { EVIDENCE_OUTBOX } from "../../../domain/evidence/evidence-outbox.ts";
import { createReportStore, NEW_REPORT_OUTBOX_KIND } from "../../../domain/report/report-store.ts";
import { createReporterLinks } from "../../../domain/report/reporter-links.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { sampleSubmission } from "../../support/submissions.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const photo = (n: number) => ({
  kind: "PHOTO" as const,
  fileId: `AgAC-photo-${n}`,
  fileUniqueId: `AQAD-${n}`,
  mediaGroupId: "album-1",
  fileName: "IMG_2041 Budi's phone.jpg",
  receivedAt: 1_900_000_000 + n,
});

describe("Submit in one statement", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);
  const links = createReporterLinks(cipher);

  beforeAll(async () => {
    db = await migratedDatabase();
  }, 180_000);
  afterAll(() => db?.close());

  it("writes the report with its evidence in order, its CREATED event and its outbox rows, in UTC", async () => {
    const store = createReportStore(db.prisma, cipher);
    const before = Date.now();
    const { reportId, created } = await store.submit({
      telegramUserId: 9101,
      locale: "en",
      draftId: "one-statement",
      submission: sampleSubmission({
        evidence: [photo(1), photo(2), { kind: "LINK", url: "https://x.com/a/1" }],
      }),
    });
    expect(created).toBe(true);
    const report = await db.prisma.report.findUniqueOrThrow({
      where: { id: reportId },
      include: { evidence: { orderBy: { position: "asc" } }, events: true },
    });
    expect(report.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(report.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(report.updatedAt).toEqual(report.createdAt);
    expect(report.locale).toBe("en");
    expect(report.receiptPending).toBe(true);
    expect(report.occurredOn.toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(report.evidence.map((item) => [item.kind, item.position, item.hashState])).toEqual([
      ["PHOTO", 0, "PENDING"],
      ["PHOTO", 1, "PENDING"],
      ["LINK", 2, "NONE"],
    ]);
    // An anonymous report keeps no file name; the time the file arrived is kept.
    expect(report.evidence[0]?.fileNameEnc).toBeNull();
    expect(report.evidence[1]?.receivedAt?.toISOString()).toBe(new Date(1_900_000_002_000).toISOString());
    expect(report.events.map((event) => [event.type, event.toStatus])).toEqual([["CREATED", "NEW"]]);
    const outbox = await db.prisma.outboxMessage.findMany({
      where: { dedupeKey: { endsWith: reportId } },
      orderBy: { id: "asc" },
    });
    expect(outbox.map((row) => [row.kind, row.dedupeKey, row.payload, row.status])).toEqual([
      [NEW_REPORT_OUTBOX_KIND, `${NEW_REPORT_OUTBOX_KIND}:${reportId}`, { reportId }, "PENDING"],
      [EVIDENCE_OUTBOX.hash, `${EVIDENCE_OUTBOX.hash}:${reportId}`, { reportId }, "PENDING"],
    ]);
    expect(links.chatOf(report)).toBe(9101);
    expect(await links.reportIds(db.prisma, 9101)).toEqual([reportId]);
  });

  it("keeps every report of one person in their list when they submit several drafts at once", async () => {
    const store = createReportStore(db.prisma, cipher);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        store.submit({
          telegramUserId: 9202,
          locale: n % 2 === 0 ? "id" : "en",
          draftId: `many-${n}`,
          submission: sampleSubmission(),
        }),
      ),
    );
    expect(results.every((result) => result.created)).toBe(true);
    expect((await links.reportIds(db.prisma, 9202)).sort()).toEqual(
      results.map((result) => result.reportId).sort(),
    );
    expect(await store.countToday(9202, new Date())).toBe(8);
  });

  it("makes one ticket of one draft submitted several times at once", async () => {
    const store = createReportStore(db.prisma, cipher);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.submit({
          telegramUserId: 9303,
          locale: "id",
          draftId: "pressed-twice",
          submission: sampleSubmission(),
        }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.code)).size).toBe(1);
    expect(await db.prisma.report.count({ where: { draftId: "pressed-twice" } })).toBe(1);
    expect(await links.reportIds(db.prisma, 9303)).toEqual([results[0]?.reportId]);
    const outbox = await db.prisma.outboxMessage.count({
      where: { payload: { equals: { reportId: results[0]?.reportId } } },
    });
    expect(outbox).toBe(1);
  });

  it("writes no link and no reporter row for a report without follow-up", async () => {
    const store = createReportStore(db.prisma, cipher);
    const { reportId } = await store.submit({
      telegramUserId: 9404,
      locale: "id",
      draftId: "no-trace",
      submission: sampleSubmission({ noTrace: true }),
    });
    const report = await db.prisma.report.findUniqueOrThrow({ where: { id: reportId } });
    expect(report.reporterLinkEnc).toBeNull();
    expect(await links.reportIds(db.prisma, 9404)).toEqual([]);
  });
});
