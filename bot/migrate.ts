/**
 * Applies `prisma/migrations` at every start, the way `prisma migrate deploy` does, without Prisma's schema
 * engine (which is slow to start and cannot be downloaded everywhere).
 *
 * Compatible with Prisma both ways: it writes Prisma's `_prisma_migrations` table with Prisma's checksums
 * and takes Prisma's advisory lock, so `prisma migrate status/deploy` and this migrator can take turns on
 * one database, and two bot instances starting together migrate once.
 *
 * Unlike Prisma, each migration runs inside one transaction together with its `_prisma_migrations` row:
 * a migration that fails leaves no trace (no half-applied schema, no "failed" row to resolve by hand), so
 * fixing it and restarting is enough. A migration therefore cannot use statements PostgreSQL refuses in a
 * transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`), and must not use a new enum value in the migration
 * that adds it.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { ClientBase } from "pg";

/**
 * The two calls the migrator needs from a database session. All calls must go to the same session (one
 * `pg` client, not a pool): the advisory lock and the transactions belong to it.
 */
export type SqlExecutor = {
  /** Runs one statement, with `$1`-style parameters. */
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of any number of statements, without parameters. */
  exec(sql: string): Promise<void>;
};

/** Adapts a connected `pg` client (a `Client`, or a `PoolClient` checked out for the whole run). */
export function pgExecutor(client: ClientBase): SqlExecutor {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[] };
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts many statements.
      await client.query(sql);
    },
  };
}

/** Adapts a PGlite instance (the embedded database used when no DATABASE_URL is set). */
export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await db.query<T>(sql, params);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}

/** Options of {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  /** Prisma's migrations folder: `<timestamp>_<name>/migration.sql` and `migration_lock.toml`. */
  migrationsDir: string;
  /** Receives one line per applied migration and notable waits, e.g. a pino logger's `info` bound. */
  log?: (msg: string, data?: object) => void;
}

/** A migration folder read from disk. */
export interface MigrationFile {
  /** The folder name, e.g. `20261124110241_init`; also `_prisma_migrations.migration_name`. */
  name: string;
  /** The content of its `migration.sql`. */
  script: string;
}

/** Why the migrator refused to run or stopped; the message says how to fix it. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Prisma Migrate's advisory lock key (prisma-engines, sql-schema-connector `flavour/postgres.rs`). */
export const PRISMA_ADVISORY_LOCK_ID = 72707369;

/** Prisma's DDL for its bookkeeping table (prisma-engines, `create_migrations_table` for PostgreSQL). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/**
 * Prisma's checksum of a migration script: SHA-256 of the script's UTF-8 bytes as 64 lowercase hex
 * digits (prisma-engines, `schema-connector/src/checksum.rs`, `render_checksum`).
 */
export function prismaChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/**
 * Whether a script matches a recorded checksum, with Prisma's tolerance (`script_matches_checksum` in the
 * same file): the script as is, with CRLF turned into LF, or LF into CRLF (git may rewrite line endings);
 * and checksums of other than 64 characters are compared with the old format that did not zero-pad each
 * byte (prisma-engines issue #1887).
 */
export function checksumMatches(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  const oldFormat = checksum.length > 0 && checksum.length !== 64;
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant, "utf8").digest();
    const rendered = oldFormat
      ? Array.from(digest, (byte) => byte.toString(16)).join("")
      : digest.toString("hex");
    return rendered === checksum;
  });
}

/**
 * Reads a migrations folder: every subfolder is a migration, in name order (Prisma's timestamps make
 * that the creation order). Throws a {@link MigrationError} for a missing folder, a subfolder without
 * `migration.sql`, or a lockfile for another database than PostgreSQL.
 */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      throw new MigrationError(
        `the migrations folder ${migrationsDir} does not exist: ship prisma/migrations with the bot`,
      );
    },
  );
  const lock = await readFile(join(migrationsDir, "migration_lock.toml"), "utf8").catch(() => undefined);
  const provider = lock && /^\s*provider\s*=\s*"([^"]*)"/m.exec(lock)?.[1];
  if (provider && provider !== "postgresql") {
    throw new MigrationError(
      `${migrationsDir}/migration_lock.toml says these migrations are for "${provider}", not PostgreSQL`,
    );
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const path = join(migrationsDir, name, "migration.sql");
      const script = await readFile(path, "utf8").catch(() => {
        throw new MigrationError(
          `${path} is missing: every folder in ${migrationsDir} must hold a migration.sql`,
        );
      });
      return { name, script };
    }),
  );
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | string | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | string | null;
  started_at: Date | string;
}

/**
 * Applies every migration of `migrationsDir` not yet recorded as finished in `_prisma_migrations`, in
 * name order, each in its own transaction, and records it as Prisma does (uuid id, Prisma's checksum,
 * `finished_at`, `applied_steps_count = 1`). Holds Prisma's session advisory lock meanwhile, so concurrent
 * runs (another instance, `prisma migrate deploy`) wait and then find nothing left to do.
 *
 * Refuses, before changing anything, when a recorded migration failed (Prisma left it unfinished) or when
 * an applied migration's file was edited since.
 *
 * @example
 * const client = new pg.Client({ connectionString });
 * await client.connect();
 * const { applied } = await applyMigrations(pgExecutor(client), { migrationsDir: "prisma/migrations" });
 */
export async function applyMigrations(
  db: SqlExecutor,
  options: ApplyMigrationsOptions,
): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.migrationsDir);

  const [{ locked } = { locked: false }] = (
    await db.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PRISMA_ADVISORY_LOCK_ID,
    ])
  ).rows;
  if (!locked) {
    log("waiting for the migration lock: another process is migrating this database", {
      lockId: PRISMA_ADVISORY_LOCK_ID,
    });
    await db.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_ID]);
  }
  try {
    return await applyLocked(db, migrations, options.migrationsDir, log);
  } finally {
    // A lost connection has released the lock already; the original error matters more.
    await db.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_ID]).catch(() => {});
  }
}

async function applyLocked(
  db: SqlExecutor,
  migrations: MigrationFile[],
  migrationsDir: string,
  log: (msg: string, data?: object) => void,
): Promise<{ applied: string[] }> {
  const [{ present } = { present: false }] = (
    await db.query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present")
  ).rows;
  if (!present) await db.exec(CREATE_MIGRATIONS_TABLE);

  const rows = (
    await db.query<MigrationRow>(
      `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at
       FROM _prisma_migrations ORDER BY started_at`,
    )
  ).rows.filter((row) => row.rolled_back_at === null);

  const failed = rows.filter((row) => row.finished_at === null);
  if (failed.length > 0) throw failedMigrationsError(failed);

  const onDisk = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of rows) {
    const file = onDisk.get(row.migration_name);
    if (file && !checksumMatches(file.script, row.checksum)) {
      throw new MigrationError(
        `migration ${row.migration_name} was edited after it was applied: ` +
          `${migrationsDir}/${row.migration_name}/migration.sql no longer matches the checksum recorded in ` +
          `_prisma_migrations (${row.checksum.slice(0, 12)}…, file ${prismaChecksum(file.script).slice(0, 12)}…). ` +
          "Restore the file as it was applied (e.g. `git checkout` it) and put the change in a new migration " +
          "(`npm run db:diff -- <name>`).",
      );
    }
  }
  const unknown = rows.map((row) => row.migration_name).filter((name) => !onDisk.has(name));
  if (unknown.length > 0) {
    log("the database has migrations this version does not know (applied by a newer version?)", {
      migrations: unknown,
    });
  }

  const recorded = new Set(rows.map((row) => row.migration_name));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.name)) continue;
    const started = performance.now();
    await db.exec("BEGIN");
    try {
      await db.exec(migration.script);
      await db.query(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count)
         VALUES ($1, $2, clock_timestamp(), $3, 1)`,
        [randomUUID(), prismaChecksum(migration.script), migration.name],
      );
      await db.exec("COMMIT");
    } catch (error) {
      await db.exec("ROLLBACK").catch(() => {});
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        `migration ${migration.name} failed and was rolled back, nothing of it was applied or recorded: ${reason}. ` +
          `Fix ${migrationsDir}/${migration.name}/migration.sql (or the data it trips on) and start again.`,
        { cause: error },
      );
    }
    applied.push(migration.name);
    log("applied migration", { migration: migration.name, ms: Math.round(performance.now() - started) });
  }
  return { applied };
}

function failedMigrationsError(failed: MigrationRow[]): MigrationError {
  const details = failed
    .map((row) => {
      const logs = row.logs?.trim() ? `: ${row.logs.trim()}` : "";
      return `${row.migration_name} (started ${new Date(row.started_at).toISOString()})${logs}`;
    })
    .join("; ");
  const names = failed.map((row) => row.migration_name);
  return new MigrationError(
    `migration ${names.join(", ")} failed in an earlier run and may be partly applied: ${details}. ` +
      "Check the database and undo or finish its changes by hand, then mark it: " +
      `\`npx prisma migrate resolve --rolled-back ${names[0]}\` to retry it, or ` +
      `\`npx prisma migrate resolve --applied ${names[0]}\` if you completed it by hand ` +
      "(without Prisma's engine: UPDATE _prisma_migrations SET rolled_back_at = now() " +
      "WHERE finished_at IS NULL AND rolled_back_at IS NULL).",
  );
}
