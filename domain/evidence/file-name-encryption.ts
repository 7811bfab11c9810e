import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";

/**
 * The shape of a {@link DataCipher} ciphertext: `v1.<keyId>.<iv>.<ciphertext+tag>` in base64url (a 12-byte iv is 16
 * characters; the body holds at least the 16-byte tag, 22 characters). PostgreSQL regular expression.
 */
const CIPHERTEXT_SHAPE = "^v1\\.[A-Za-z0-9_-]{1,16}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22,}$";

/** Whether `value` is a ciphertext this cipher opens; anything else is a plain file name. */
function isCiphertext(cipher: DataCipher, value: string): boolean {
  try {
    cipher.decrypt(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Before `evidence.file_name_enc`, an identified report's document names (`KTP_Ratnasari.jpg`) were stored as sent,
 * readable in a dump without `DATA_KEY`; the migration only renamed the column. This encrypts every value that is
 * not yet a ciphertext (a value the cipher cannot decrypt is plain). Values shaped like a ciphertext of one of the
 * configured keys are left to SQL without a decrypt, so a start-up with nothing to do reads no names. Runs at
 * start-up in batches in id order; instances starting together take different rows (SKIP LOCKED); a second run
 * finds nothing. Returns how many names it encrypted.
 */
export async function encryptPlainFileNames(
  db: PrismaClient,
  cipher: DataCipher,
  batch = 500,
): Promise<number> {
  const keyIds = [...cipher.keyIds];
  let encrypted = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const { count, last } = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; file_name_enc: string }[]>`
        SELECT id::text AS id, file_name_enc FROM evidence
        WHERE file_name_enc IS NOT NULL AND id > ${after}::uuid
          AND NOT (file_name_enc ~ ${CIPHERTEXT_SHAPE}
                   AND split_part(file_name_enc, '.', 2) = ANY(${keyIds}::text[]))
        ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED`;
      let count = 0;
      for (const row of rows) {
        if (isCiphertext(cipher, row.file_name_enc)) continue;
        await tx.evidence.update({
          where: { id: row.id },
          data: { fileNameEnc: cipher.encrypt(row.file_name_enc) },
        });
        count += 1;
      }
      return { count, last: rows.at(-1)?.id };
    });
    if (last === undefined) return encrypted;
    encrypted += count;
    after = last;
  }
}
