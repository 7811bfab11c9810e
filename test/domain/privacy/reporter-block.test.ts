import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { createReporterBlocks } from "../../../domain/privacy/reporter-block.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const cipher = createDataCipher(TEST_DATA_KEY);
const admin = { id: 42n, name: "Admin Rudi" };

describe("blocking the reporter behind a ticket", { timeout: 120_000 }, () => {
  let db: MigratedDatabase;
  let reportId: string;
  beforeAll(async () => {
    db = await migratedDatabase();
    const report = await db.prisma.report.create({
      data: {
        code: "LN-BLK234",
        category: "OTHER",
        draftId: "block-draft",
        occurredOn: new Date("2026-11-01"),
        learnedOn: new Date("2026-11-01"),
        chronology: "Spam berulang dari orang yang sama tentang hal yang tidak terjadi.",
        details: {},
      },
    });
    reportId = report.id;
  }, 180_000); // an embedded database on a loaded machine can take a while to migrate
  afterAll(() => db?.close());

  it("blocks by a keyed hash of its own purpose, survives the reporter row, and unblocks by the code; both audited", async () => {
    const blocks = createReporterBlocks(db.prisma, cipher);
    const ticket = { id: reportId, code: "LN-BLK234", reporterLinkEnc: cipher.encrypt("777001") };
    expect(await blocks.block(ticket, admin)).toBe("blocked");
    expect(await blocks.block(ticket, admin)).toBe("alreadyBlocked");
    expect(await blocks.isBlocked(777001)).toBe(true);
    expect(await blocks.isBlocked(777002)).toBe(false);

    const rows = await db.rawQuery<{ telegram_id_hash: string }>(
      "SELECT telegram_id_hash FROM blocked_reporters",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.telegram_id_hash).not.toContain("777001");
    expect(rows[0]!.telegram_id_hash).not.toBe(cipher.hash("reporter", "777001")); // no join with reporters

    // The ticket lost its reporter link (erased, unlinked): the block is still lifted by the code.
    expect(await blocks.unblock({ ...ticket, reporterLinkEnc: null }, admin)).toBe("unblocked");
    expect(await blocks.unblock({ ...ticket, reporterLinkEnc: null }, admin)).toBe("notBlocked");
    expect(await blocks.isBlocked(777001)).toBe(false);
    expect(await blocks.block({ ...ticket, reporterLinkEnc: null }, admin)).toBe("noReporter");

    const events = await db.rawQuery<{ type: string; actor_name: string }>(
      "SELECT type, actor_name FROM report_events ORDER BY id",
    );
    expect(events).toEqual([
      { type: "REPORTER_BLOCKED", actor_name: "Admin Rudi" },
      { type: "REPORTER_UNBLOCKED", actor_name: "Admin Rudi" },
    ]);
  });
});
