import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import { createEvidenceStore } from "../../domain/evidence/evidence-store.ts";
import { createReportStore } from "../../domain/report/report-store.ts";
import { createSubscriptionStore } from "../../domain/subscription/subscription-store.ts";
import { type MigratedDatabase, migratedDatabase } from "../support/migrated-database.ts";
import { TEST_DATA_KEY } from "../support/test-bot.ts";

const TELEGRAM_ID = 987_654_321;
const NAME = "Siti Rahmawati";
const PHONE = "+6281234567890";
/** A document named after the reporter, as phones and scanners name them. */
const FILE_NAME = "KTP_Siti_Rahmawati.jpg";

describe("reporters' personal data at rest", () => {
  let db: MigratedDatabase;
  let reportId: string;
  const cipher = createDataCipher(TEST_DATA_KEY);
  beforeAll(async () => {
    db = await migratedDatabase();
    const store = createReportStore(db.prisma, cipher);
    ({ reportId } = await store.submit({
      telegramUserId: TELEGRAM_ID,
      locale: "id",
      draftId: "draft-at-rest-1",
      submission: {
        category: "OTHER",
        details: { ot_title: "Kampanye di sekolah" },
        occurredOn: "2026-11-20",
        learnedOn: "2026-11-21",
        location: { type: "region", provinceCode: "31", regencyCode: "31.74", districtCode: "31.74.01" },
        placeNote: null,
        chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
        evidence: [{ kind: "DOCUMENT", fileId: "at-rest-doc", fileName: FILE_NAME, mimeType: "image/jpeg" }],
        anonymous: false,
        reporterNameEnc: cipher.encrypt(NAME),
        reporterPhoneEnc: cipher.encrypt(PHONE),
      },
    }));
    await createSubscriptionStore(db.prisma, cipher).subscribe(TELEGRAM_ID, "id");
  });
  afterAll(() => db?.close());

  it("names nobody in the raw tables: no Telegram id, name or phone in the clear", async () => {
    for (const table of ["reporters", "reports", "evidence", "subscriptions", "report_events", "outbox"]) {
      const rows = await db.rawQuery(`SELECT * FROM ${table}`);
      const dump = JSON.stringify(rows, (_key, value) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      expect(dump, table).not.toContain(String(TELEGRAM_ID));
      expect(dump, table).not.toContain("Siti");
      expect(dump, table).not.toContain("81234567890");
    }
  });

  it("still finds the reporter by the keyed hash and decrypts with the key", async () => {
    const [reporter] = await db.rawQuery<{ telegram_id_hash: string; telegram_id_enc: string }>(
      "SELECT telegram_id_hash, telegram_id_enc FROM reporters",
    );
    expect(reporter!.telegram_id_hash).toBe(cipher.hash("reporter", String(TELEGRAM_ID)));
    expect(cipher.decrypt(reporter!.telegram_id_enc)).toBe(String(TELEGRAM_ID));
    const [report] = await db.rawQuery<{ reporter_name_enc: string }>(
      "SELECT reporter_name_enc FROM reports",
    );
    expect(cipher.decrypt(report!.reporter_name_enc)).toBe(NAME);
  });

  it("stores an identified report's document name as ciphertext; fingerprints give it back decrypted", async () => {
    const [row] = await db.rawQuery<{ file_name_enc: string }>("SELECT file_name_enc FROM evidence");
    expect(row!.file_name_enc).toMatch(/^v1\./);
    expect(row!.file_name_enc).not.toContain("Siti");
    expect(cipher.decrypt(row!.file_name_enc)).toBe(FILE_NAME);
    const [item] = await createEvidenceStore(db.prisma, cipher).fingerprints(reportId);
    expect(item).toMatchObject({ kind: "DOCUMENT", fileName: FILE_NAME, mimeType: "image/jpeg" });
  });

  it("cannot be read with another key", async () => {
    const [reporter] = await db.rawQuery<{ telegram_id_enc: string }>(
      "SELECT telegram_id_enc FROM reporters",
    );
    const stranger = createDataCipher(Buffer.alloc(32, 1).toString("base64"));
    expect(() => stranger.decrypt(reporter!.telegram_id_enc)).toThrow();
  });
});
