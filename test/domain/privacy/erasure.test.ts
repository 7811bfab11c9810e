import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { ERASED_NOTE, eraseReporter } from "../../../domain/privacy/erasure.ts";
import type { Submission } from "../../../domain/report/flow.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import { createSubscriptionStore } from "../../../domain/subscription/subscription-store.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const cipher = createDataCipher(TEST_DATA_KEY);
const ERASER = 5551001;
const OTHER = 5551002;

function submission(identified: { name: string; phone: string } | undefined): Submission {
  return {
    category: "OTHER",
    details: { ot_title: "Kampanye di sekolah" },
    occurredOn: "2026-11-02",
    learnedOn: "2026-11-02",
    location: { type: "point", latitude: -6.2, longitude: 106.8 },
    placeNote: null,
    chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
    // An identified reporter's document keeps its original name, which often names them.
    evidence: identified
      ? [{ kind: "DOCUMENT", fileId: "doc", fileName: `KTP_${identified.name.replace(" ", "_")}.jpg` }]
      : [],
    anonymous: !identified,
    reporterNameEnc: identified ? cipher.encrypt(identified.name) : null,
    reporterPhoneEnc: identified ? cipher.encrypt(identified.phone) : null,
  };
}

describe("a citizen erasing their data (/hapus)", { timeout: 120_000 }, () => {
  let db: MigratedDatabase;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await migratedDatabase();
    const store = createReportStore(db.prisma, cipher);
    const submit = async (name: string, userId: number, identified?: { name: string; phone: string }) => {
      ids[name] = (
        await store.submit({
          telegramUserId: userId,
          locale: "id",
          draftId: `erase-${name}`,
          submission: submission(identified),
        })
      ).reportId;
    };
    await submit("anonymous", ERASER);
    await submit("identified", ERASER, { name: "Siti Pelapor", phone: "+6281299990000" });
    await submit("other", OTHER, { name: "Orang Lain", phone: "+6281288880000" });
    for (const name of ["anonymous", "other"]) {
      await db.prisma.relayMessage.create({
        data: {
          reportId: ids[name]!,
          direction: "TO_REPORTER",
          staffChatId: -100123n,
          staffMessageId: 10n,
          citizenMessageId: 20n,
        },
      });
    }
    const pending = (kind: string, reportId: string, key: string) => ({
      kind,
      dedupeKey: key,
      payload: { reportId },
    });
    await db.prisma.outboxMessage.createMany({
      data: [
        pending("reporter.notice", ids.anonymous!, "n1"),
        pending("reporter.question", ids.identified!, "q1"),
        pending("broadcast.followUp", ids.identified!, "f1"),
        pending("reporter.notice", ids.other!, "n2"),
        pending("staff.note", ids.anonymous!, "s1"),
      ],
    });
    const subscriptions = createSubscriptionStore(db.prisma, cipher);
    await subscriptions.subscribe(ERASER, "id");
    await subscriptions.subscribe(OTHER, "id");
    const broadcast = await db.prisma.broadcast.create({
      data: { content: {}, audience: {}, linkedReportCodes: [], createdById: 1n },
    });
    for (const subscription of await db.prisma.subscription.findMany()) {
      await db.prisma.broadcastDelivery.create({
        data: { broadcastId: broadcast.id, subscriptionId: subscription.id },
      });
    }
  }, 180_000); // an embedded database on a loaded machine can take a while to migrate
  afterAll(() => db?.close());

  it("erases identity, relays, pending messages to their chat and the subscription; the anonymised reports stay", async () => {
    const result = await eraseReporter(db.prisma, cipher, { userId: ERASER, chatId: ERASER });
    expect(result).toEqual({ reports: 2, cancelledMessages: 3, subscription: true });

    const reporters = await db.rawQuery<{ telegram_id_hash: string; telegram_id_enc: string }>(
      "SELECT telegram_id_hash, telegram_id_enc FROM reporters",
    );
    expect(reporters).toHaveLength(1); // the other citizen's
    expect(cipher.decrypt(reporters[0]!.telegram_id_enc)).toBe(String(OTHER));

    const reports = await db.rawQuery<Record<string, unknown>>(
      "SELECT id, reporter_link_enc, reporter_name_enc, reporter_phone_enc, chronology FROM reports ORDER BY created_at",
    );
    const byId = new Map(reports.map((row) => [row.id, row]));
    for (const name of ["anonymous", "identified"]) {
      expect(byId.get(ids[name])).toMatchObject({
        reporter_link_enc: null,
        reporter_name_enc: null,
        reporter_phone_enc: null,
        chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
      });
    }
    expect(byId.get(ids.other)?.reporter_name_enc).not.toBeNull();

    const evidence = await db.rawQuery<{ report_id: string; file_name_enc: string | null }>(
      "SELECT report_id, file_name_enc FROM evidence",
    );
    const names = new Map(evidence.map((row) => [row.report_id, row.file_name_enc]));
    expect(names.get(ids.identified!)).toBeNull();
    expect(cipher.decrypt(names.get(ids.other!)!)).toBe("KTP_Orang_Lain.jpg");

    const relays = await db.rawQuery<{ report_id: string }>("SELECT report_id FROM relay_messages");
    expect(relays.map((row) => row.report_id)).toEqual([ids.other]);

    const outbox = await db.rawQuery<{ dedupe_key: string; status: string; last_error: string | null }>(
      "SELECT dedupe_key, status, last_error FROM outbox WHERE dedupe_key IN ('n1','q1','f1','n2','s1') ORDER BY dedupe_key",
    );
    expect(outbox).toEqual([
      { dedupe_key: "f1", status: "FAILED", last_error: ERASED_NOTE },
      { dedupe_key: "n1", status: "FAILED", last_error: ERASED_NOTE },
      { dedupe_key: "n2", status: "PENDING", last_error: null },
      { dedupe_key: "q1", status: "FAILED", last_error: ERASED_NOTE },
      { dedupe_key: "s1", status: "PENDING", last_error: null }, // staff-side: not a message to their chat
    ]);

    const subscriptions = await db.rawQuery<{ chat_id_enc: string }>("SELECT chat_id_enc FROM subscriptions");
    expect(subscriptions.map((row) => cipher.decrypt(row.chat_id_enc))).toEqual([String(OTHER)]);
    const deliveries = await db.rawQuery("SELECT id FROM broadcast_deliveries");
    expect(deliveries).toHaveLength(1);

    const events = await db.rawQuery<{ report_id: string }>(
      "SELECT report_id FROM report_events WHERE type = 'REPORTER_ERASED'",
    );
    expect(events.map((row) => row.report_id).sort()).toEqual([ids.anonymous, ids.identified].sort());

    // Nothing in any text column names the erased citizen any more.
    const dump = JSON.stringify(
      await db.rawQuery(
        "SELECT (SELECT json_agg(r) FROM reports r) AS reports, (SELECT json_agg(o) FROM outbox o) AS outbox",
      ),
    );
    expect(dump).not.toContain(String(ERASER));
    expect(dump).not.toContain("Siti Pelapor");
    expect(evidence.filter((row) => row.report_id === ids.identified)).toHaveLength(1); // the file stays
  });

  it("is harmless a second time", async () => {
    expect(await eraseReporter(db.prisma, cipher, { userId: ERASER, chatId: ERASER })).toEqual({
      reports: 0,
      cancelledMessages: 0,
      subscription: false,
    });
  });
});
