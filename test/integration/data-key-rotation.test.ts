import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../bot/db.ts";
import { applyMigrations, pgExecutor } from "../../bot/migrate.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import {
  ENCRYPTED_TABLES,
  rotateDataKey,
  UnknownEncryptedColumnError,
  unknownEncryptedColumns,
} from "../../domain/crypto/key-rotation.ts";
import { createReporterBlocks } from "../../domain/privacy/reporter-block.ts";
import { createReportStore } from "../../domain/report/report-store.ts";
import { createSubscriptionStore } from "../../domain/subscription/subscription-store.ts";
import { openWitnesses, sealWitnesses } from "../../domain/witness/witnesses.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { PROJECT_ROOT } from "../support/bot-process.ts";
import { createTestDatabase } from "../support/databases.ts";
import { type MigratedDatabase, migratedDatabase } from "../support/migrated-database.ts";

const KEY_A = `a:${Buffer.alloc(32, 1).toString("base64")}`;
const KEY_B = `b:${Buffer.alloc(32, 2).toString("base64")}`;
const sql = (db: MigratedDatabase) => ({
  query: async <T>(text: string, params?: unknown[]) => ({
    rows: (await db.prisma.$queryRawUnsafe(text, ...(params ?? []))) as T[],
  }),
});

const CITIZENS = [
  { id: 555_000_101, name: "Dewi Lestari", phone: "+6281111111101" },
  { id: 555_000_102, name: "Budi Santoso", phone: "+6281111111102" },
  { id: 555_000_103, name: "Agus Salim", phone: "+6281111111103" },
];

const WITNESS = { name: "Sulastri Handayani", contact: "warung depan TPS 12" };
/** The document a citizen sent with their report, named after them as phones and scanners do. */
const fileNameOf = (citizen: { name: string }) => `KTP_${citizen.name.replace(" ", "_")}.jpg`;
/** The citizen an administrator blocked (/blokir), from their report. */
const BLOCKED = CITIZENS[1]!;

async function seed(db: MigratedDatabase, spec: string): Promise<void> {
  const cipher = createDataCipher(spec);
  const reports = createReportStore(db.prisma, cipher);
  for (const [index, citizen] of CITIZENS.entries()) {
    const { reportId } = await reports.submit({
      telegramUserId: citizen.id,
      locale: "id",
      draftId: `rotation-draft-${index}`,
      submission: {
        category: "OTHER",
        details: { ot_title: "Kampanye di sekolah" },
        occurredOn: "2026-11-20",
        learnedOn: "2026-11-21",
        location: { type: "region", provinceCode: "31", regencyCode: "31.74", districtCode: "31.74.01" },
        placeNote: null,
        chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
        // An identified report's document keeps its original name (encrypted): the rotation must reach it.
        evidence: [{ kind: "DOCUMENT", fileId: `rotation-doc-${index}`, fileName: fileNameOf(citizen) }],
        anonymous: false,
        reporterNameEnc: cipher.encrypt(citizen.name),
        reporterPhoneEnc: cipher.encrypt(citizen.phone),
        witnessesEnc: sealWitnesses(cipher, [WITNESS]),
      },
    });
    await createSubscriptionStore(db.prisma, cipher).subscribe(citizen.id, "id");
    if (citizen === BLOCKED) {
      const [row] = await db.rawQuery<{ code: string; reporter_link_enc: string }>(
        `SELECT code, reporter_link_enc FROM reports WHERE id = '${reportId}'`,
      );
      await createReporterBlocks(db.prisma, cipher).block(
        { id: reportId, code: row!.code, reporterLinkEnc: row!.reporter_link_enc },
        { id: 9_001n, name: "Admin" },
      );
    }
  }
}

/** Every encrypted value of every table, with the key id it was made with. */
async function keyIdsInUse(db: MigratedDatabase): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const table of ENCRYPTED_TABLES) {
    const rows = await db.rawQuery<Record<string, string | null>>(
      `SELECT ${table.encrypted.join(", ")} FROM ${table.table}`,
    );
    for (const row of rows) {
      for (const value of Object.values(row)) if (value) ids.add(value.split(".")[1]!);
    }
  }
  return ids;
}

async function expectReadableWith(db: MigratedDatabase, spec: string): Promise<void> {
  const cipher = createDataCipher(spec);
  const reports = createReportStore(db.prisma, cipher);
  const subscriptions = createSubscriptionStore(db.prisma, cipher);
  for (const citizen of CITIZENS) {
    // Lookups by keyed hash: the reporter's own tickets and the subscription.
    const { total } = await reports.listForReporter(citizen.id, 1, 10);
    expect(total, `tickets of citizen ${citizen.id} found by the keyed hash`).toBe(1);
    expect(await subscriptions.isSubscribed(citizen.id)).toBe(true);
  }
  const rows = await db.rawQuery<{ link: string; name: string; phone: string }>(
    `SELECT reporter_link_enc AS link, reporter_name_enc AS name, reporter_phone_enc AS phone FROM reports`,
  );
  const decrypted = rows.map((row) => ({
    id: Number(cipher.decrypt(row.link)),
    name: cipher.decrypt(row.name),
    phone: cipher.decrypt(row.phone),
  }));
  expect(decrypted.sort((a, b) => a.id - b.id)).toEqual(CITIZENS);
  const files = await db.rawQuery<{ file_name_enc: string }>("SELECT file_name_enc FROM evidence");
  expect(files.map((row) => cipher.decrypt(row.file_name_enc)).sort()).toEqual(
    CITIZENS.map(fileNameOf).sort(),
  );
  const witnesses = await db.rawQuery<{ witnesses_enc: string }>("SELECT witnesses_enc FROM reports");
  for (const row of witnesses) expect(openWitnesses(cipher, row.witnesses_enc)).toEqual([WITNESS]);
  // The block is found by the new key's hash, and only for the blocked citizen.
  const blocks = createReporterBlocks(db.prisma, cipher);
  for (const citizen of CITIZENS) expect(await blocks.isBlocked(citizen.id)).toBe(citizen === BLOCKED);
  const chats = await db.rawQuery<{ chat_id_enc: string }>("SELECT chat_id_enc FROM subscriptions");
  expect(chats.map((row) => Number(cipher.decrypt(row.chat_id_enc))).sort()).toEqual(
    CITIZENS.map((citizen) => citizen.id),
  );
}

describe("npm run data-key:rotate", () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase();
    await seed(db, KEY_A);
    // One subscription still carries the hash from before domain separation (purpose-less HMAC).
    const legacy = createDataCipher(KEY_A).legacyHashes(String(CITIZENS[2]!.id))[0]!;
    await db.rawQuery(
      `UPDATE subscriptions SET chat_id_hash = '${legacy}' WHERE chat_id_hash = '${createDataCipher(KEY_A).hash("subscriptionChat", String(CITIZENS[2]!.id))}'`,
    );
  });
  afterAll(() => db?.close());

  it("knows every encrypted and hashed column of the schema", async () => {
    expect(await unknownEncryptedColumns(sql(db))).toEqual([]);
  });

  it("is tested on a value in every column it knows (a new column must be seeded here too)", async () => {
    const empty: string[] = [];
    for (const table of ENCRYPTED_TABLES) {
      for (const column of [...table.encrypted, ...table.hashes.map((hash) => hash.column)]) {
        const [row] = await db.rawQuery<{ filled: number }>(
          `SELECT count(${column})::int AS filled FROM ${table.table}`,
        );
        if (!row || row.filled === 0) empty.push(`${table.table}.${column}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it("moves every row to the newest key; after dropping the old key everything decrypts and is found", async () => {
    expect(await keyIdsInUse(db)).toEqual(new Set(["a"]));
    const report = await rotateDataKey(sql(db), createDataCipher(`${KEY_B},${KEY_A}`), { batchSize: 2 });
    expect(report).toEqual({
      reporters: { scanned: 3, rewritten: 3 },
      reports: { scanned: 3, rewritten: 3 },
      blocked_reporters: { scanned: 1, rewritten: 1 },
      evidence: { scanned: 3, rewritten: 3 },
      subscriptions: { scanned: 3, rewritten: 3 },
    });
    expect(await keyIdsInUse(db)).toEqual(new Set(["b"]));
    await expectReadableWith(db, KEY_B);
    // The old key's hashes are gone from the tables, including the legacy one.
    const dump = JSON.stringify([
      await db.rawQuery("SELECT * FROM reporters"),
      await db.rawQuery("SELECT * FROM subscriptions"),
      await db.rawQuery("SELECT * FROM blocked_reporters"),
    ]);
    const oldCipher = createDataCipher(KEY_A);
    for (const citizen of CITIZENS) {
      for (const hash of oldCipher.hashes("reporter", String(citizen.id))) expect(dump).not.toContain(hash);
      for (const hash of oldCipher.hashes("subscriptionChat", String(citizen.id)))
        expect(dump).not.toContain(hash);
      for (const hash of oldCipher.hashes("blockedReporter", String(citizen.id)))
        expect(dump).not.toContain(hash);
    }
  });

  it("rewrites nothing when run again", async () => {
    const report = await rotateDataKey(sql(db), createDataCipher(`${KEY_B},${KEY_A}`));
    expect(Object.values(report).map((table) => table.rewritten)).toEqual([0, 0, 0, 0, 0]);
  });

  it("reads a row again when the bot changed it between the rotation's read and its write", async () => {
    await rotateDataKey(sql(db), createDataCipher(`${KEY_A},${KEY_B}`)); // everything back under key A
    // The bot (still writing under key A) gives one subscription a new chat just before the rotation's UPDATE lands.
    const MOVED = 555_000_999;
    const botCipher = createDataCipher(KEY_A);
    const inner = sql(db);
    let raced: string | undefined;
    const racing = {
      query: async <T>(text: string, params?: unknown[]) => {
        if (raced === undefined && text.startsWith("UPDATE subscriptions")) {
          raced = String(params![0]);
          await db.rawQuery(
            `UPDATE subscriptions SET chat_id_enc = '${botCipher.encrypt(String(MOVED))}',
               chat_id_hash = '${botCipher.hash("subscriptionChat", String(MOVED))}' WHERE id = '${raced}'`,
          );
        }
        return inner.query<T>(text, params);
      },
    };
    const report = await rotateDataKey(racing, createDataCipher(`${KEY_B},${KEY_A}`));
    expect(raced).toBeDefined();
    expect(report.subscriptions).toEqual({ scanned: 3, rewritten: 3 });
    expect(await keyIdsInUse(db)).toEqual(new Set(["b"]));
    // The raced row keeps the bot's new value, now under key B, and is found by it: no stale read was written back.
    const keyB = createDataCipher(KEY_B);
    const [row] = await db.rawQuery<{ chat_id_enc: string; chat_id_hash: string }>(
      `SELECT chat_id_enc, chat_id_hash FROM subscriptions WHERE id = '${raced}'`,
    );
    expect(Number(keyB.decrypt(row!.chat_id_enc))).toBe(MOVED);
    expect(row!.chat_id_hash).toBe(keyB.hash("subscriptionChat", String(MOVED)));
  });

  it("refuses to run while the database has an encrypted column it does not know", async () => {
    await db.rawQuery("ALTER TABLE cases ADD COLUMN secret_note_enc text");
    await expect(rotateDataKey(sql(db), createDataCipher(KEY_B))).rejects.toThrow(
      UnknownEncryptedColumnError,
    );
    await db.rawQuery("ALTER TABLE cases DROP COLUMN secret_note_enc");
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("the data-key:rotate script on PostgreSQL", () => {
  it("rotates a database with DATA_KEY=new,old and names no key in its output", async () => {
    const server = await createTestDatabase();
    const db = await migratedDatabaseAt(server.url!);
    try {
      await seed(db, KEY_A);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "scripts/data-key-rotate.ts", "--batch-size", "2"],
        {
          cwd: PROJECT_ROOT,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: "test",
            DATABASE_URL: server.url,
            DATA_KEY: `${KEY_B},${KEY_A}`,
          },
        },
      );
      expect(stdout).toContain('rotating to key "b" (from a)');
      expect(stdout).toContain("reporters: 3 of 3 rows rewritten");
      expect(stdout).not.toContain(KEY_A.slice(2));
      expect(stdout).not.toContain(KEY_B.slice(2));
      await expectReadableWith(db, KEY_B);
    } finally {
      await db.close();
      await server.drop();
    }
  });
});

async function migratedDatabaseAt(url: string): Promise<MigratedDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await applyMigrations(pgExecutor(client), { migrationsDir: MIGRATIONS_DIR });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    rawQuery: async <T>(text: string) => (await client.query(text)).rows as T[],
    close: async () => {
      await prisma.$disconnect();
      await client.end();
    },
  };
}
