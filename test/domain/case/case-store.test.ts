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
    // Two identified tickets of one citizen, then an anonymous tip of the same citizen, one of another, and one
    // filed with no follow-up link.
    for (const [userId, noTrace, anonymous] of [
      [501, false, false],
      [501, false, false],
      [501, false, true],
      [502, false, true],
      [503, true, true],
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
          anonymous,
          ...(anonymous
            ? {}
            : { reporterNameEnc: cipher.encrypt("Ratna"), reporterPhoneEnc: cipher.encrypt("+628111") }),
        }),
      });
      ids.push(reportId);
    }
  }, 180_000);
  afterAll(() => db?.close());

  it("counts one person's identified tickets once, and every anonymous or unlinked ticket as one of its own", async () => {
    const cases = createCaseStore(db.prisma, cipher);
    const [a, b, tip, other, noTrace] = ids as [string, string, string, string, string];
    const linked = await cases.link(b, a, officer);
    if (!linked.ok) throw new Error("link refused");
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(1);
    // The same citizen's anonymous tip: counting it once with the formal reports would name its reporter.
    await cases.link(tip, a, officer);
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(2);
    await cases.link(other, a, officer);
    await cases.link(noTrace, a, officer);
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(4);
    await cases.unlink(other, officer);
    expect((await cases.summary(linked.caseId))?.independentReporters).toBe(3);
  });
});
