import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { purgeRetained } from "../../../domain/privacy/retention.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import type { ReportStatus } from "../../../generated/prisma/client.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const DAY = 86_400_000;
const RETENTION_DAYS = 90;

/** Every place the purge covers, seeded with one row that must go and one that must stay. */
describe("the retention purge, table by table", () => {
  let db: MigratedDatabase;
  const cipher = createDataCipher(TEST_DATA_KEY);
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  let userId = 9000;

  /** An identified report with witnesses and a document, in `status`, its events and closure dated `daysAgo`. */
  async function report(draftId: string, status: ReportStatus, daysAgo: number): Promise<string> {
    const store = createReportStore(db.prisma, cipher);
    const { reportId } = await store.submit({
      telegramUserId: ++userId,
      locale: "id",
      draftId,
      submission: {
        category: "OTHER",
        details: { ot_title: "Kampanye di sekolah" },
        occurredOn: "2026-01-02",
        learnedOn: "2026-01-02",
        location: { type: "region", provinceCode: "31", regencyCode: "31.74" },
        placeNote: null,
        chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
        evidence: [{ kind: "DOCUMENT", fileId: `doc-${draftId}`, fileName: "KTP_Budi_Santoso.jpg" }],
        anonymous: false,
        reporterNameEnc: cipher.encrypt("Budi"),
        reporterPhoneEnc: cipher.encrypt("+628111"),
        witnessesEnc: cipher.encrypt(JSON.stringify([{ name: "Sari", contact: "+628222" }])),
      },
    });
    const closed = status === "CLOSED" || status === "REJECTED";
    await db.prisma.report.update({
      where: { id: reportId },
      data: { status, closedAt: closed ? ago(daysAgo) : null },
    });
    await db.prisma.reportEvent.updateMany({ where: { reportId }, data: { createdAt: ago(daysAgo) } });
    return reportId;
  }

  const ids: Record<string, string> = {};
  let counts: Awaited<ReturnType<typeof purgeRetained>>;

  beforeAll(async () => {
    db = await migratedDatabase();
    ids.closedOld = await report("rc-closed-old", "CLOSED", 91);
    ids.rejectedRecent = await report("rc-rejected-recent", "REJECTED", 10);
    ids.forwardedOld = await report("rc-forwarded-old", "FORWARDED", 120);
    ids.forwardedActive = await report("rc-forwarded-active", "FORWARDED", 120);
    ids.open = await report("rc-open", "IN_REVIEW", 100);
    // A forwarded case with a recent event is still being worked on.
    await db.prisma.reportEvent.create({
      data: { reportId: ids.forwardedActive!, type: "STATUS_CHANGED", createdAt: ago(5) },
    });
    // Officers' questions: one past the retention period, one recent.
    await db.prisma.reportEvent.createMany({
      data: [
        {
          reportId: ids.open!,
          type: "QUESTION_ASKED",
          note: "Siapa nama tetangga Anda?",
          createdAt: ago(95),
        },
        { reportId: ids.open!, type: "QUESTION_ASKED", note: "Jam berapa kejadiannya?", createdAt: ago(2) },
      ],
    });
    const relay = (reportId: string, staffMessageId: bigint) => ({
      reportId,
      direction: "TO_REPORTER" as const,
      staffChatId: -100123n,
      staffMessageId,
      citizenMessageId: 7n,
    });
    await db.prisma.relayMessage.createMany({
      data: [relay(ids.rejectedRecent!, 1n), relay(ids.closedOld!, 2n), relay(ids.open!, 3n)],
    });
    await db.prisma.outboxMessage.createMany({
      data: [
        {
          kind: "staff.answer",
          dedupeKey: "rc:done",
          status: "DONE",
          payload: { reportId: ids.open!, text: "Rumah saya di RT 03" },
        },
        {
          kind: "reporter.question",
          dedupeKey: "rc:failed",
          status: "FAILED",
          payload: { reportId: ids.open!, caption: "Foto siapa ini?" },
        },
        {
          kind: "staff.answer",
          dedupeKey: "rc:pending",
          status: "PENDING",
          payload: { reportId: ids.open!, text: "Masih dikirim" },
        },
        { kind: "staff.answer", dedupeKey: "rc:old", status: "DONE", payload: { reportId: ids.open! } },
      ],
    });
    await db.rawQuery(
      `UPDATE outbox SET updated_at = now() - interval '31 days' WHERE dedupe_key = 'rc:old'`,
    );
    await db.prisma.sessionRecord.createMany({
      data: [
        { key: "session:expired", value: "v1.x.y.z", expiresAt: ago(1) },
        { key: "session:live", value: "v1.x.y.z", expiresAt: new Date(now.getTime() + DAY) },
      ],
    });
    counts = await purgeRetained(db.prisma, cipher, now, RETENTION_DAYS);
  }, 180_000); // an embedded PGlite starts slowly on a busy machine
  afterAll(() => db?.close());

  it("reports: identity, contact and witnesses gone from closed-long-ago and forwarded-long-ago cases only", async () => {
    const rows = await db.rawQuery<{
      draft_id: string;
      reporter_link_enc: string | null;
      reporter_name_enc: string | null;
      reporter_phone_enc: string | null;
      witnesses_enc: string | null;
      chronology: string;
    }>(
      "SELECT draft_id, reporter_link_enc, reporter_name_enc, reporter_phone_enc, witnesses_enc, chronology FROM reports",
    );
    const byDraft = Object.fromEntries(rows.map((row) => [row.draft_id, row]));
    for (const purged of ["rc-closed-old", "rc-forwarded-old"]) {
      expect(byDraft[purged], purged).toMatchObject({
        reporter_link_enc: null,
        reporter_name_enc: null,
        reporter_phone_enc: null,
        witnesses_enc: null,
      });
      expect(byDraft[purged]!.chronology).toContain("berkampanye");
    }
    for (const kept of ["rc-rejected-recent", "rc-forwarded-active", "rc-open"]) {
      expect(byDraft[kept]!.reporter_link_enc, kept).not.toBeNull();
      expect(byDraft[kept]!.reporter_name_enc, kept).not.toBeNull();
      expect(byDraft[kept]!.witnesses_enc, kept).not.toBeNull();
    }
    expect(counts.reports).toBe(2);
  });

  it("evidence: the documents' original names gone from the purged cases only, the files kept", async () => {
    const rows = await db.rawQuery<{ draft_id: string; file_id: string; file_name_enc: string | null }>(
      "SELECT r.draft_id, e.file_id, e.file_name_enc FROM evidence e JOIN reports r ON r.id = e.report_id",
    );
    const byDraft = Object.fromEntries(rows.map((row) => [row.draft_id, row]));
    for (const purged of ["rc-closed-old", "rc-forwarded-old"]) {
      expect(byDraft[purged], purged).toMatchObject({ file_id: `doc-${purged}`, file_name_enc: null });
    }
    for (const kept of ["rc-rejected-recent", "rc-forwarded-active", "rc-open"]) {
      expect(cipher.decrypt(byDraft[kept]!.file_name_enc!), kept).toBe("KTP_Budi_Santoso.jpg");
    }
  });

  it("reporters: the encrypted Telegram ids no report points to are gone", async () => {
    expect((await db.rawQuery("SELECT id FROM reporters")).length).toBe(3);
  });

  it("report_events: old question texts cleared, the events and recent questions kept", async () => {
    const questions = await db.rawQuery<{ note: string | null }>(
      "SELECT note FROM report_events WHERE type = 'QUESTION_ASKED' ORDER BY created_at",
    );
    expect(questions.map((row) => row.note)).toEqual([null, "Jam berapa kejadiannya?"]);
  });

  it("relay_messages: only the open case's relay rows remain", async () => {
    const relays = await db.rawQuery<{ report_id: string }>("SELECT report_id FROM relay_messages");
    expect(relays.map((row) => row.report_id)).toEqual([ids.open]);
  });

  it("outbox: words cleared from delivered and failed rows, pending ones untouched, old rows deleted", async () => {
    const rows = await db.rawQuery<{ dedupe_key: string; payload: Record<string, unknown> }>(
      "SELECT dedupe_key, payload FROM outbox WHERE dedupe_key LIKE 'rc:%' ORDER BY dedupe_key",
    );
    expect(rows).toEqual([
      { dedupe_key: "rc:done", payload: { reportId: ids.open } },
      { dedupe_key: "rc:failed", payload: { reportId: ids.open } },
      { dedupe_key: "rc:pending", payload: { reportId: ids.open, text: "Masih dikirim" } },
    ]);
  });

  it("sessions: expired rows deleted, live ones kept", async () => {
    const sessions = await db.rawQuery<{ key: string }>("SELECT key FROM sessions");
    expect(sessions.map((row) => row.key)).toEqual(["session:live"]);
  });

  it("finds nothing more on a second run", async () => {
    expect(await purgeRetained(db.prisma, cipher, now, RETENTION_DAYS)).toEqual({
      reports: 0,
      outboxTextsCleared: 0,
      outboxRowsDeleted: 0,
      questionTexts: 0,
      relayRows: 0,
      sessions: 0,
    });
  });
});
