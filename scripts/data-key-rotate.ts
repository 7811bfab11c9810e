/**
 * `npm run data-key:rotate`: re-encrypts every encrypted column and re-derives every keyed hash under the first
 * key of `DATA_KEY` (domain/crypto/key-rotation.ts), so that the older keys can be dropped afterwards.
 *
 * With a real database (`DATABASE_URL`): put the new key in front (`DATA_KEY=new:<key>,old:<key>`), restart the
 * bot(s) with it, run this with the same `DATA_KEY` while they run, then remove the old key and restart again.
 * Embedded (no `DATABASE_URL`): stop the bot, run `npm run data-key:rotate -- --new-key` (puts a generated key in
 * front in the key file, then rotates), start the bot. Reads `.env` when present; prints no key.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { loadEmbeddedDataKey, prependEmbeddedKey } from "../bot/data-key-file.ts";
import { pgExecutor, pgliteExecutor } from "../bot/migrate.ts";
import { PGLITE_EXTENSIONS } from "../bot/pglite-extensions.ts";
import { createDataCipher, generateDataKey } from "../domain/crypto/data-cipher.ts";
import { type RotationSql, rotateDataKey } from "../domain/crypto/key-rotation.ts";

function loadDotEnv(): void {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

async function rotate(db: RotationSql, spec: string, batchSize: number): Promise<void> {
  const cipher = createDataCipher(spec);
  const [current, ...older] = cipher.keyIds;
  console.log(`rotating to key "${current}"${older.length > 0 ? ` (from ${older.join(", ")})` : ""}`);
  const report = await rotateDataKey(db, cipher, {
    batchSize,
    log: (_msg, data) => console.log(`  ${data.table}: ${data.rewritten} of ${data.scanned} rows rewritten`),
  });
  const rewritten = Object.values(report).reduce((sum, table) => sum + table.rewritten, 0);
  console.log(`done: ${rewritten} row(s) rewritten under key "${current}".`);
  if (older.length > 0) {
    console.log(
      `Every row now needs only key "${current}". Drafts started before the rotation still hold personal answers ` +
        `under the old key(s): drop ${older.map((id) => `"${id}"`).join(", ")} once they expire (DRAFT_TTL_HOURS).`,
    );
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const { values } = parseArgs({
    options: { "new-key": { type: "boolean" }, "batch-size": { type: "string" } },
    allowPositionals: true, // scripts/start.mjs passes its own "data-key-rotate" argument on
  });
  const batchSize = Number(values["batch-size"] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error("--batch-size must be a positive integer");
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    const spec = process.env.DATA_KEY?.trim();
    if (!spec)
      throw new Error("DATA_KEY is missing: put the new key first, e.g. DATA_KEY=new:<key>,old:<key>");
    if (values["new-key"]) {
      throw new Error(
        "--new-key is for the embedded database; with DATABASE_URL put the new key in front of DATA_KEY yourself",
      );
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await rotate(pgExecutor(client), spec, batchSize);
    } finally {
      await client.end();
    }
    return;
  }
  const dataDir = process.env.DATA_DIR?.trim() || "./data";
  let spec = process.env.DATA_KEY?.trim();
  if (!spec) {
    const embedded = loadEmbeddedDataKey(dataDir, process.env);
    for (const notice of embedded.notices) console.log(`${notice.msg} (${embedded.file})`);
    spec = values["new-key"] ? prependEmbeddedKey(embedded.file, generateDataKey()) : embedded.key;
    if (values["new-key"]) console.log(`put a new key in front in ${embedded.file}`);
  }
  const dir = join(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const db = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
  try {
    await rotate(pgliteExecutor(db), spec, batchSize);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`data-key:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
