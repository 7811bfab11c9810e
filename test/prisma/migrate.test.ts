import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  checksumMatches,
  pgExecutor,
  pgliteExecutor,
  prismaChecksum,
  type SqlExecutor,
} from "../../bot/migrate.ts";
import { PGLITE_EXTENSIONS } from "../../bot/pglite-extensions.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { openMigrationEngine } from "../../scripts/migration-engine.ts";

const migrationsDir = join(import.meta.dirname, "..", "..", "prisma", "migrations");
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/** The migrations on disk with the checksum Prisma computes (sha256 hex of the file), in name order. */
async function migrationsOnDisk(dir = migrationsDir): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return Promise.all(
    names.sort().map(async (name) => {
      const bytes = await readFile(join(dir, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(bytes).digest("hex") };
    }),
  );
}

async function recordedMigrations(db: SqlExecutor) {
  const { rows } = await db.query<{
    id: string;
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    applied_steps_count: number;
  }>(
    `SELECT id, migration_name, checksum, finished_at, applied_steps_count
     FROM _prisma_migrations ORDER BY migration_name`,
  );
  return rows;
}

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of prisma/migrations to tamper with. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "awasi-migrations-"));
  tempDirs.push(dir);
  await cp(migrationsDir, dir, { recursive: true });
  return dir;
}

/** A copy of prisma/migrations whose first migration gained a trailing comment. */
async function editedCopy(): Promise<{ dir: string; name: string }> {
  const dir = await migrationsCopy();
  const [first] = await migrationsOnDisk(dir);
  if (!first) throw new Error("prisma/migrations has no migration");
  const file = join(dir, first.name, "migration.sql");
  await writeFile(file, `${await readFile(file, "utf8")}\n-- edited\n`);
  return { dir, name: first.name };
}

/** Checks that every migration on disk is recorded once, finished, with Prisma's checksum. */
async function expectAllRecorded(db: SqlExecutor): Promise<void> {
  const expected = await migrationsOnDisk();
  const rows = await recordedMigrations(db);
  expect(rows.map(({ migration_name, checksum }) => ({ name: migration_name, checksum }))).toEqual(expected);
  for (const row of rows) {
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.applied_steps_count).toBe(1);
  }
}

/** What `prisma migrate status` says, through Prisma's own engine on the same database. */
async function expectPrismaStatusClean(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<void> {
  const engine = await openMigrationEngine({ adapter });
  try {
    const status = await engine.migrationStatus(migrationsDir);
    expect(status.failedMigrationNames).toEqual([]);
    expect(status.editedMigrationNames).toEqual([]);
    expect(status.history).toBeNull();
  } finally {
    await engine.close();
  }
}

/** Writes and reads one report through the generated client. */
async function expectClientRoundTrip(prisma: PrismaClient): Promise<void> {
  await prisma.report.create({
    data: {
      code: "PU-7K3Q9M",
      category: "MONEY_POLITICS",
      reporterLinkEnc: "ciphertext-1",
      draftId: "draft-1",
      occurredOn: new Date("2026-11-20"),
      learnedOn: new Date("2026-11-21"),
      chronology: "Amplop dibagikan setelah pengajian.",
      details: { amount: 50_000, giver: "tim sukses" },
      staffChatId: -1001234567890n,
    },
  });
  const report = await prisma.report.findUniqueOrThrow({
    where: { code: "PU-7K3Q9M" },
  });
  expect(report).toMatchObject({
    status: "NEW",
    anonymous: true,
    occurredOn: new Date("2026-11-20"),
    details: { amount: 50_000, giver: "tim sukses" },
    staffChatId: -1001234567890n,
    reporterLinkEnc: "ciphertext-1",
  });
}

describe("Prisma's checksum rule", () => {
  it("is the SHA-256 of the script in 64 hex digits", () => {
    expect(prismaChecksum("hello")).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  });

  it("tolerates changed line endings and the old unpadded format, nothing else", () => {
    const script = "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n";
    const crlf = script.replaceAll("\n", "\r\n");
    expect(checksumMatches(crlf, prismaChecksum(script))).toBe(true);
    expect(checksumMatches(script, prismaChecksum(crlf))).toBe(true);
    const unpadded = Array.from(createHash("sha256").update(script).digest(), (byte) =>
      byte.toString(16),
    ).join("");
    expect(unpadded.length).toBeLessThan(64);
    expect(checksumMatches(script, unpadded)).toBe(true);
    expect(checksumMatches(`${script}-- edited\n`, prismaChecksum(script))).toBe(false);
    expect(checksumMatches("abc\n", prismaChecksum("abc"))).toBe(false);
  });
});

describe("applyMigrations on the embedded PGlite database", () => {
  let pglite: PGlite;
  let db: SqlExecutor;
  const logged: string[] = [];

  beforeAll(async () => {
    pglite = new PGlite({ extensions: PGLITE_EXTENSIONS });
    await pglite.waitReady; // a few seconds: keep it out of the first test's time
    db = pgliteExecutor(pglite);
  });
  afterAll(async () => {
    await pglite?.close();
  });

  it("applies every migration and records it with Prisma's checksum", async () => {
    const { applied } = await applyMigrations(db, {
      migrationsDir,
      log: (msg, data) => logged.push(`${msg} ${JSON.stringify(data)}`),
    });
    const onDisk = await migrationsOnDisk();
    expect(applied).toEqual(onDisk.map((migration) => migration.name));
    expect(logged).toEqual(onDisk.map(({ name }) => expect.stringContaining(`"migration":"${name}"`)));
    await expectAllRecorded(db);
  });

  it("applies nothing the second time", async () => {
    expect(await applyMigrations(db, { migrationsDir })).toEqual({ applied: [] });
    await expectAllRecorded(db);
  });

  it("leaves a history that Prisma's migrate status finds applied and unedited", async () => {
    await expectPrismaStatusClean(new PrismaPGlite(pglite));
  });

  it("creates the tables the generated Prisma client expects", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    try {
      await expectClientRoundTrip(prisma);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("accepts an applied migration whose line endings git turned into CRLF", async () => {
    const dir = await migrationsCopy();
    for (const { name } of await migrationsOnDisk(dir)) {
      const file = join(dir, name, "migration.sql");
      await writeFile(file, (await readFile(file, "utf8")).replaceAll("\n", "\r\n"));
    }
    expect(await applyMigrations(db, { migrationsDir: dir })).toEqual({ applied: [] });
  });

  it("refuses a migration that was edited after it was applied", async () => {
    const { dir, name } = await editedCopy();
    await expect(applyMigrations(db, { migrationsDir: dir })).rejects.toThrow(
      `migration ${name} was edited after it was applied`,
    );
  });

  it("refuses to run while a migration is recorded as failed, and says how to resolve it", async () => {
    await db.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, $2, $3, 'syntax error')`,
      ["00000000-0000-4000-8000-000000000001", prismaChecksum("x"), "20000101000000_half_done"],
    );
    try {
      await expect(applyMigrations(db, { migrationsDir })).rejects.toThrow(
        /migration 20000101000000_half_done failed .*prisma migrate resolve --rolled-back 20000101000000_half_done/,
      );
    } finally {
      await db.query("DELETE FROM _prisma_migrations WHERE migration_name = $1", [
        "20000101000000_half_done",
      ]);
    }
  });

  it("rolls a failing migration back completely and records nothing", async () => {
    const dir = await migrationsCopy();
    await mkdir(join(dir, "99991231235959_broken"));
    await writeFile(
      join(dir, "99991231235959_broken", "migration.sql"),
      'CREATE TABLE "half_done" (id INT);\nSELECT 1 / 0;\n',
    );
    await expect(applyMigrations(db, { migrationsDir: dir })).rejects.toThrow(
      /migration 99991231235959_broken failed and was rolled back.*division by zero/,
    );
    const { rows } = await db.query<{ present: boolean }>(
      "SELECT to_regclass('half_done') IS NOT NULL AS present",
    );
    expect(rows).toEqual([{ present: false }]);
    await expectAllRecorded(db);
  });
});

describe.skipIf(!testDatabaseUrl)("applyMigrations on PostgreSQL (TEST_DATABASE_URL)", () => {
  let admin: pg.Client;
  const databases: string[] = [];
  const clients: pg.Client[] = [];

  /** A new empty database of this run; dropped after the tests. */
  async function createDatabase(): Promise<string> {
    const name = `awasi_t_${randomBytes(6).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(testDatabaseUrl ?? "");
    url.pathname = `/${name}`;
    return url.toString();
  }

  async function connect(connectionString: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  describe("one database, migrated step by step", () => {
    let url: string;
    let db: SqlExecutor;

    beforeAll(async () => {
      url = await createDatabase();
      db = pgExecutor(await connect(url));
    });

    it("applies every migration and records it with Prisma's checksum", async () => {
      const { applied } = await applyMigrations(db, { migrationsDir });
      expect(applied).toEqual((await migrationsOnDisk()).map((migration) => migration.name));
      await expectAllRecorded(db);
    });

    it("applies nothing the second time", async () => {
      expect(await applyMigrations(db, { migrationsDir })).toEqual({ applied: [] });
      await expectAllRecorded(db);
    });

    it("leaves a history that Prisma's migrate status finds applied and unedited", async () => {
      await expectPrismaStatusClean(new PrismaPg({ connectionString: url }));
    });

    it("refuses a migration that was edited after it was applied", async () => {
      const { dir, name } = await editedCopy();
      await expect(applyMigrations(db, { migrationsDir: dir })).rejects.toThrow(
        `migration ${name} was edited after it was applied`,
      );
    });

    it("creates the tables the generated Prisma client expects", async () => {
      const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
      try {
        await expectClientRoundTrip(prisma);
      } finally {
        await prisma.$disconnect();
      }
    });
  });

  it("two instances starting together apply each migration once", async () => {
    const url = await createDatabase();
    const holder = await connect(url);
    const [first, second] = [pgExecutor(await connect(url)), pgExecutor(await connect(url))];

    // Hold the lock so that both instances are surely waiting for it before either can start.
    await holder.query("SELECT pg_advisory_lock(72707369)");
    let waiting = 0;
    let bothWaiting: () => void = () => {};
    const whenBothWaiting = new Promise<void>((resolve) => {
      bothWaiting = resolve;
    });
    const log = (msg: string) => {
      if (msg.startsWith("waiting for the migration lock") && ++waiting === 2) bothWaiting();
    };
    const runs = Promise.all([
      applyMigrations(first, { migrationsDir, log }),
      applyMigrations(second, { migrationsDir, log }),
    ]);
    await whenBothWaiting;
    await holder.query("SELECT pg_advisory_unlock(72707369)");
    const results = await runs;

    const names = (await migrationsOnDisk()).map((migration) => migration.name);
    expect(results.map((result) => result.applied).sort((a, b) => b.length - a.length)).toEqual([names, []]);
    await expectAllRecorded(first);
  });

  it("takes turns with Prisma's migrate deploy: what Prisma applied is not applied again", async () => {
    const url = await createDatabase();
    const engine = await openMigrationEngine({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      const { appliedMigrationNames } = await engine.deploy(migrationsDir);
      expect(appliedMigrationNames).toEqual((await migrationsOnDisk()).map((migration) => migration.name));
    } finally {
      await engine.close();
    }
    const db = pgExecutor(await connect(url));
    expect(await applyMigrations(db, { migrationsDir })).toEqual({ applied: [] });
    await expectAllRecorded(db);
  });
});
