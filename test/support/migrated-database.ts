import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { MIGRATIONS_DIR } from "../../bot/db.ts";
import { applyMigrations, pgExecutor, pgliteExecutor } from "../../bot/migrate.ts";
import { PGLITE_EXTENSIONS } from "../../bot/pglite-extensions.ts";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { createTestDatabase } from "./databases.ts";

/** A migrated database for an integration test: `rawQuery` reads tables as SQL sees them. */
export interface MigratedDatabase {
  prisma: PrismaClient;
  rawQuery<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A fresh database with every migration applied: on `TEST_DATABASE_URL` when set, otherwise an in-memory PGlite
 * (the embedded default). One per test file.
 */
export async function migratedDatabase(): Promise<MigratedDatabase> {
  const server = await createTestDatabase();
  if (server.url) {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await applyMigrations(pgExecutor(client), { migrationsDir: MIGRATIONS_DIR });
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: server.url }) });
    return {
      prisma,
      rawQuery: async <T>(sql: string) => (await client.query(sql)).rows as T[],
      close: async () => {
        await prisma.$disconnect();
        await client.end();
        await server.drop();
      },
    };
  }
  const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  await applyMigrations(pgliteExecutor(pglite), { migrationsDir: MIGRATIONS_DIR });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    rawQuery: async <T>(sql: string) => (await pglite.query<T>(sql)).rows,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
