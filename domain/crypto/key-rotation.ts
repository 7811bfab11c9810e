import type { DataCipher } from "./data-cipher.ts";
import type { HashPurpose } from "./hash-purposes.ts";

/** What the rotation needs of a database: one statement at a time, `$1`-style parameters (pg and PGlite alike). */
export interface RotationSql {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** A keyed-hash column and the encrypted column that holds the value it hashes. */
interface HashedColumn {
  column: string;
  purpose: HashPurpose;
  /** The encrypted column whose plaintext is hashed. */
  of: string;
}

/** A table with encrypted columns (`*_enc`) and keyed hashes (`*_hash`) derived from them. */
export interface EncryptedTable {
  table: string;
  encrypted: readonly string[];
  hashes: readonly HashedColumn[];
}

/**
 * Every column that holds ciphertext or a keyed hash. A new `*_enc` or `*_hash` column must be added here, or
 * {@link rotateDataKey} refuses to run (the old key could not be dropped afterwards).
 */
export const ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  {
    table: "reporters",
    encrypted: ["telegram_id_enc", "report_ids_enc"],
    hashes: [{ column: "telegram_id_hash", purpose: "reporter", of: "telegram_id_enc" }],
  },
  {
    table: "reports",
    encrypted: ["reporter_link_enc", "reporter_name_enc", "reporter_phone_enc", "witnesses_enc"],
    hashes: [],
  },
  {
    table: "blocked_reporters",
    encrypted: ["telegram_id_enc"],
    hashes: [{ column: "telegram_id_hash", purpose: "blockedReporter", of: "telegram_id_enc" }],
  },
  {
    table: "evidence",
    encrypted: ["file_name_enc"],
    hashes: [],
  },
  {
    table: "subscriptions",
    encrypted: ["chat_id_enc"],
    hashes: [{ column: "chat_id_hash", purpose: "subscriptionChat", of: "chat_id_enc" }],
  },
];

/** Options of {@link rotateDataKey}. */
export interface RotationOptions {
  /** Rows read per query (default 500): short statements, so the running bot never waits long. */
  batchSize?: number;
  log?: (msg: string, data: Record<string, unknown>) => void;
}

/** Rows read and rows rewritten, per table. */
export type RotationReport = Record<string, { scanned: number; rewritten: number }>;

/** Thrown when the database holds encrypted or hashed columns the rotation does not know. */
export class UnknownEncryptedColumnError extends Error {}

type Row = Record<string, string | null> & { id: string };

/** Columns named like ciphertext or keyed hashes that {@link ENCRYPTED_TABLES} does not list. */
export async function unknownEncryptedColumns(
  db: RotationSql,
  tables: readonly EncryptedTable[] = ENCRYPTED_TABLES,
): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND (column_name LIKE '%\\_enc' OR column_name LIKE '%\\_hash')
      ORDER BY table_name, column_name`,
  );
  const known = new Set(
    tables.flatMap((table) => [
      ...table.encrypted.map((column) => `${table.table}.${column}`),
      ...table.hashes.map((hash) => `${table.table}.${hash.column}`),
    ]),
  );
  return rows.map((row) => `${row.table_name}.${row.column_name}`).filter((name) => !known.has(name));
}

/**
 * Re-encrypts every encrypted column under the cipher's current (first) key and re-derives every keyed hash with
 * it, table by table in batches of rows in id order. Safe while the bot runs (with the same `DATA_KEY`, new key
 * first): each row is rewritten by one UPDATE that only applies if the row still holds the values read (a row the
 * bot changed meanwhile is read again), and the bot decrypts and finds rows under every configured key.
 * Idempotent: a second run rewrites nothing. Afterwards no row needs an older key, so it can be dropped.
 */
export async function rotateDataKey(
  db: RotationSql,
  cipher: DataCipher,
  options: RotationOptions = {},
): Promise<RotationReport> {
  const unknown = await unknownEncryptedColumns(db);
  if (unknown.length > 0) {
    throw new UnknownEncryptedColumnError(
      `the rotation does not know these columns: ${unknown.join(", ")} (add them to ENCRYPTED_TABLES in domain/crypto/key-rotation.ts)`,
    );
  }
  const batchSize = options.batchSize ?? 500;
  const report: RotationReport = {};
  for (const table of ENCRYPTED_TABLES) {
    report[table.table] = await rotateTable(db, cipher, table, batchSize);
    options.log?.("rotated table", { table: table.table, ...report[table.table] });
  }
  return report;
}

async function rotateTable(
  db: RotationSql,
  cipher: DataCipher,
  table: EncryptedTable,
  batchSize: number,
): Promise<{ scanned: number; rewritten: number }> {
  const columns = [...table.encrypted, ...table.hashes.map((hash) => hash.column)];
  const select = `SELECT id::text AS id, ${columns.join(", ")} FROM ${table.table}`;
  let scanned = 0;
  let rewritten = 0;
  let after: string | undefined;
  for (;;) {
    const { rows } = await db.query<Row>(
      after === undefined
        ? `${select} ORDER BY id LIMIT $1`
        : `${select} WHERE id > $2::uuid ORDER BY id LIMIT $1`,
      after === undefined ? [batchSize] : [batchSize, after],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      scanned += 1;
      if (await rewriteRow(db, cipher, table, row, select)) rewritten += 1;
    }
    after = rows.at(-1)!.id;
  }
  return { scanned, rewritten };
}

/** Rewrites one row under the current key; true when something changed. Retries a row the bot changed meanwhile. */
async function rewriteRow(
  db: RotationSql,
  cipher: DataCipher,
  table: EncryptedTable,
  first: Row,
  select: string,
): Promise<boolean> {
  let row: Row | undefined = first;
  for (let attempt = 0; attempt < 5 && row; attempt += 1) {
    const changes = changesFor(cipher, table, row);
    const names = Object.keys(changes);
    if (names.length === 0) return false;
    const sets = names.map((name, index) => `${name} = $${index + 2}`);
    const guards = names.map((name, index) => `${name} IS NOT DISTINCT FROM $${names.length + index + 2}`);
    const result = await db.query<{ id: string }>(
      `UPDATE ${table.table} SET ${sets.join(", ")} WHERE id = $1::uuid AND ${guards.join(" AND ")} RETURNING id::text AS id`,
      [row.id, ...names.map((name) => changes[name]), ...names.map((name) => row![name] ?? null)],
    );
    if (result.rows.length > 0) return true;
    row = (await db.query<Row>(`${select} WHERE id = $1::uuid`, [row.id])).rows[0];
  }
  if (row) throw new Error(`${table.table} row ${row.id} kept changing during the rotation; run it again`);
  return false; // deleted meanwhile
}

function changesFor(cipher: DataCipher, table: EncryptedTable, row: Row): Record<string, string> {
  const current = cipher.keyIds[0];
  const changes: Record<string, string> = {};
  const plain = new Map<string, string>();
  for (const column of table.encrypted) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const text = cipher.decrypt(value);
    plain.set(column, text);
    if (!value.startsWith(`v1.${current}.`)) changes[column] = cipher.encrypt(text);
  }
  for (const hash of table.hashes) {
    const text = plain.get(hash.of);
    if (text === undefined) continue;
    const derived = cipher.hash(hash.purpose, text);
    if (row[hash.column] !== derived) changes[hash.column] = derived;
  }
  return changes;
}
