import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import { encryptPlainFileNames } from "../../../domain/evidence/file-name-encryption.ts";
import { createReportStore } from "../../../domain/report/report-store.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { sampleSubmission } from "../../support/submissions.ts";

const OLD_KEY = `a:${Buffer.alloc(32, 1).toString("base64")}`;
const NEW_KEY = `b:${Buffer.alloc(32, 2).toString("base64")}`;
/** The bot runs with a new key in front of an old one (a rotation in progress). */
const cipher = createDataCipher(`${NEW_KEY},${OLD_KEY}`);

/** Names as the column held them before it was encrypted (the migration only renamed it). */
const PLAIN = [
  "KTP_Ratnasari.jpg",
  "Laporan Budi Santoso (final).pdf",
  "v1.notakey.rekaman.mp4", // begins like a ciphertext, but none opens it
  "v1.b.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBB.pdf",
];

describe("encrypting the evidence file names stored in plain text", { timeout: 120_000 }, () => {
  let db: MigratedDatabase;
  let reportId: string;
  const sealed = { current: cipher.encrypt("sudah_terenkripsi.jpg"), old: "" };

  async function names(): Promise<Map<number, string | null>> {
    const rows = await db.rawQuery<{ position: number; file_name_enc: string | null }>(
      "SELECT position, file_name_enc FROM evidence ORDER BY position",
    );
    return new Map(rows.map((row) => [row.position, row.file_name_enc]));
  }

  beforeAll(async () => {
    db = await migratedDatabase();
    ({ reportId } = await createReportStore(db.prisma, cipher).submit({
      telegramUserId: 5_550_301,
      locale: "id",
      draftId: "file-names-1",
      submission: sampleSubmission({
        location: { type: "region", provinceCode: "31", regencyCode: "31.74" },
        anonymous: false,
        reporterNameEnc: cipher.encrypt("Ratnasari"),
        reporterPhoneEnc: cipher.encrypt("+6281111111101"),
      }),
    }));
    sealed.old = createDataCipher(OLD_KEY).encrypt("kunci_lama.jpg");
    const values = [...PLAIN, sealed.current, sealed.old, null];
    await db.prisma.evidence.createMany({
      data: values.map((value, position) => ({
        reportId,
        kind: "DOCUMENT" as const,
        fileId: `legacy-${position}`,
        fileNameEnc: value,
        position,
      })),
    });
  }, 180_000); // an embedded PGlite starts slowly on a busy machine
  afterAll(() => db?.close());

  it("encrypts every plain name under the current key, in batches, and leaves ciphertexts and NULLs alone", async () => {
    expect(await encryptPlainFileNames(db.prisma, cipher, 2)).toBe(PLAIN.length);
    const stored = await names();
    for (const [position, plain] of PLAIN.entries()) {
      const value = stored.get(position)!;
      expect(value.startsWith("v1.b."), plain).toBe(true);
      expect(cipher.decrypt(value)).toBe(plain);
    }
    expect(stored.get(PLAIN.length)).toBe(sealed.current);
    expect(stored.get(PLAIN.length + 1)).toBe(sealed.old); // the rotation's job, not this one
    expect(stored.get(PLAIN.length + 2)).toBeNull();
    const dump = JSON.stringify(await db.rawQuery("SELECT * FROM evidence"));
    expect(dump).not.toContain("Ratnasari");
    expect(dump).not.toContain("Budi");
  });

  it("finds nothing to do a second time (idempotent)", async () => {
    const before = await names();
    expect(await encryptPlainFileNames(db.prisma, cipher)).toBe(0);
    expect(await names()).toEqual(before);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "encrypts each name once when instances start together (SKIP LOCKED)",
    async () => {
      await db.prisma.evidence.createMany({
        data: Array.from({ length: 40 }, (_, index) => ({
          reportId,
          kind: "DOCUMENT" as const,
          fileNameEnc: `IMG_${index}.jpg`,
          position: 100 + index,
        })),
      });
      const counts = await Promise.all([
        encryptPlainFileNames(db.prisma, cipher, 3),
        encryptPlainFileNames(db.prisma, cipher, 3),
        encryptPlainFileNames(db.prisma, cipher, 3),
      ]);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(40);
      const rows = await db.rawQuery<{ position: number; file_name_enc: string }>(
        "SELECT position, file_name_enc FROM evidence WHERE position >= 100",
      );
      for (const row of rows) expect(cipher.decrypt(row.file_name_enc)).toBe(`IMG_${row.position - 100}.jpg`);
    },
  );
});
