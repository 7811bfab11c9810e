import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import { applyMigrations, pgExecutor, pgliteExecutor } from "./migrate.ts";

export type Db = PrismaClient;

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: "postgresql" | "embedded";
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

/**
 * Opens the database named by `DATABASE_URL`, or the embedded PostgreSQL (PGlite) under `DATA_DIR` when it is
 * unset, and applies pending migrations first. The only place that constructs the Prisma client.
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir">,
  logger: Logger,
): Promise<Database> {
  const log = (msg: string, data?: object) => logger.info(data ?? {}, msg);
  if (config.databaseUrl) {
    const migrator = new pg.Client({ connectionString: config.databaseUrl });
    await migrator.connect();
    try {
      await applyMigrations(pgExecutor(migrator), { migrationsDir: MIGRATIONS_DIR, log });
    } finally {
      await migrator.end();
    }
    const adapter = new PrismaPg(
      { connectionString: config.databaseUrl },
      { statementNameGenerator: preparedStatementNames() },
    );
    return wrap(new PrismaClient({ adapter }), "postgresql", async () => {});
  }

  // The embedded database's code (PGlite, its adapter, pg_trgm) is loaded only here: a process on PostgreSQL
  // never needs it (about 9 MB of RSS at start).
  const [{ PGlite }, { PrismaPGlite }, { PGLITE_EXTENSIONS }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("pglite-prisma-adapter"),
    import("./pglite-extensions.ts"),
  ]);
  const dir = resolve(config.dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS });
  await applyMigrations(pgliteExecutor(pglite), { migrationsDir: MIGRATIONS_DIR, log });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return wrap(prisma, "embedded", () => pglite.close());
}

/**
 * Names for PostgreSQL prepared statements: each connection then parses and plans a statement once (and PostgreSQL
 * may keep its plan) instead of on every execution. Submit's statements are long; unnamed, planning them was about a
 * quarter of PostgreSQL's CPU per ticket (bench/RESULTS.md, Submit). The name is a hash of the SQL text, so one text
 * always has one name. A connection keeps what it prepared until it closes, so only the first `max` distinct texts
 * are named and the rest run unnamed (`""`) as before: Prisma's SQL comes in a bounded set of shapes, this is a ceiling.
 */
export function preparedStatementNames(max = 500): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < max) {
      name = `awasi_${createHash("sha256").update(sql).digest("hex").slice(0, 32)}`;
      names.set(sql, name);
    }
    return name ?? ""; // pg runs a statement without a name unprepared
  };
}

function wrap(prisma: PrismaClient, kind: Database["kind"], closeDriver: () => Promise<void>): Database {
  return {
    prisma,
    kind,
    async ping() {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
