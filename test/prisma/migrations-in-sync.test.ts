import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MIGRATION_LOCK_TOML,
  type MigrationEngine,
  openMigrationEngine,
} from "../../scripts/migration-engine.ts";

const root = join(import.meta.dirname, "..", "..");
const migrationsDir = join(root, "prisma", "migrations");
const schemaPath = join(root, "prisma", "schema.prisma");

describe("prisma/migrations", () => {
  let engine: MigrationEngine;
  const tempDirs: string[] = [];

  beforeAll(async () => {
    engine = await openMigrationEngine();
  });
  afterAll(async () => {
    await engine?.close();
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("builds exactly the database prisma/schema.prisma describes (else: npm run db:diff -- <name>)", async () => {
    const { inSync, sql } = await engine.diffMigrationsToSchema({ migrationsDir, schemaPath });
    expect(sql, "SQL that schema.prisma needs and no migration contains").toBe("");
    expect(inSync).toBe(true);
  });

  it("the drift check notices a database change that schema.prisma does not have", async () => {
    const copy = await mkdtemp(join(tmpdir(), "awasi-migrations-"));
    tempDirs.push(copy);
    await cp(migrationsDir, copy, { recursive: true });
    await mkdir(join(copy, "99991231235959_drift_probe"));
    await writeFile(
      join(copy, "99991231235959_drift_probe", "migration.sql"),
      'CREATE TABLE "drift_probe" (id INT);\n',
    );

    const { inSync, sql } = await engine.diffMigrationsToSchema({ migrationsDir: copy, schemaPath });
    expect(inSync).toBe(false);
    expect(sql).toContain('DROP TABLE "drift_probe"');
  });

  it("has the lockfile Prisma writes", async () => {
    expect(await readFile(join(migrationsDir, "migration_lock.toml"), "utf8")).toBe(MIGRATION_LOCK_TOML);
  });
});

describe("npm run db:diff", () => {
  it("answers a wrong call with a one-line usage error, before starting the engine", async () => {
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const run = promisify(execFile)(tsx, [join(root, "scripts", "db-diff.ts"), "--force"], { cwd: root });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe(
      "unknown option --force. usage: npm run db:diff -- <migration_name> | npm run db:diff -- --check",
    );
  });
});
