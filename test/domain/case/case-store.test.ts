import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaseStore } from "../../../domain/case/case-store.ts";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { sampleSubmission } from "../../support/submissions.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const officer = { id: 42n, name: "Petugas Rina" };

describe("a case's independent reporters", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);
  const ids: string[] = [];

  beforeAll(async () => {
    db = await migratedDatabase();
    const reports = createReportStore(db.prisma, cipher);
    // Two tickets of one citizen, one of another, one filed with no follow-up link.
    for (const [userId, noTrace] of [
      [501, false],
      [501, false],
      [502, false],
      [503, true],
    ] as const) {
      const { reportId } = await reports.submit({
        telegramUserId: userId,
        locale: "id",
        draftId: `case-draft-${ids.length}`,
        submission: sampleSubmission({
          category: "HOAX",
          details: {},
          chronology: "Pesan berantai hoaks tentang pemindahan TPS beredar di grup warga.",
          noTrace,
        }),
      });
      ids.push(reportId);
    }
  }, 180_000);
  afterAll(() => db?.close());

  it("counts one person once and a ticket linked to nobody as one, as tickets join and leave", async () => {
    const cases = createCaseStore(db.prisma, cipher);
    const [a, b, c, d] = ids as [string, string, string, string];
    const linked = await cases.link(b, a, officer);
    if (!linked.ok) throw new Error("link refused");
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(1);
    await cases.link(c, a, officer);
    await cases.link(d, a, officer);
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(3);
    await cases.unlink(c, officer);
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(2);
  });
});
