/**
 * `npm run db:migrate`: applies pending migrations (prisma/migrations) to `DATABASE_URL`, or, when it is
 * unset, to the embedded PGlite database in `${DATA_DIR ?? "./data"}/pglite` that the bot uses then.
 * The same migrator the bot runs at start (bot/migrate.ts); reads `.env` when present.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { applyMigrations, pgExecutor, pgliteExecutor, type SqlExecutor } from "../bot/migrate.ts";
import { PGLITE_EXTENSIONS } from "../bot/pglite-extensions.ts";

const migrationsDir = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "prisma", "migrations");

function loadDotEnv(): void {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

async function migrate(db: SqlExecutor, target: string): Promise<void> {
  const { applied } = await applyMigrations(db, {
    migrationsDir,
    log: (msg, data) => {
      if (msg !== "applied migration") console.log(data ? `${msg} ${JSON.stringify(data)}` : msg);
    },
  });
  for (const name of applied) console.log(`applied ${name}`);
  console.log(
    applied.length > 0
      ? `${target}: applied ${applied.length} migration(s)`
      : `${target}: up to date, nothing to apply`,
  );
}

async function main(): Promise<void> {
  loadDotEnv();
  const url = process.env.DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { host, pathname } = new URL(url); // never print the password
      await migrate(pgExecutor(client), `postgresql://${host}${pathname}`);
    } finally {
      await client.end();
    }
    return;
  }
  const dir = join(process.env.DATA_DIR ?? "./data", "pglite");
  mkdirSync(dir, { recursive: true });
  const db = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
  try {
    await migrate(pgliteExecutor(db), `embedded database ${dir}`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
