/**
 * `npm run db:diff -- <name>`: writes `prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql` with the SQL
 * that brings the migrations folder to prisma/schema.prisma (what `prisma migrate dev --create-only` would
 * write), or prints "no changes".
 * `npm run db:diff -- --check`: exits 0 when the migrations folder matches prisma/schema.prisma, 2 (printing
 * the missing SQL) when it does not; CI's drift check.
 *
 * Uses Prisma's wasm schema engine (scripts/migration-engine.ts) because Prisma's CLI cannot run its own
 * engine offline and then silently does nothing.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { diffMigrationsToSchema, MIGRATION_LOCK_TOML, stripCreatePublicSchema } from "./migration-engine.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const migrationsDir = join(root, "prisma", "migrations");
const schemaPath = join(root, "prisma", "schema.prisma");
const USAGE = "usage: npm run db:diff -- <migration_name> | npm run db:diff -- --check";

type Command = { kind: "check" } | { kind: "create"; name: string };

/** Parses the arguments; returns an error message for anything but one name or `--check`. */
function parseArgs(args: string[]): Command | string {
  if (args.length !== 1)
    return args.length === 0 ? USAGE : `expected one argument, got ${args.length}. ${USAGE}`;
  const [arg = ""] = args;
  if (arg === "--check") return { kind: "check" };
  if (arg.startsWith("-")) return `unknown option ${arg}. ${USAGE}`;
  // Prisma's CLI slugifies names the same way: lowercase words joined by "_".
  const name = arg
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!name) return `the migration name "${arg}" has no letters or digits. ${USAGE}`;
  return { kind: "create", name };
}

/** UTC `YYYYMMDDHHMMSS`, Prisma's migration folder prefix. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

/** A timestamp after every existing migration's, so the new one sorts last even with a skewed clock. */
async function nextTimestamp(): Promise<string> {
  const existing = existsSync(migrationsDir) ? await readdir(migrationsDir) : [];
  const latest = existing
    .map((name) => /^(\d{14})_/.exec(name)?.[1])
    .filter((prefix): prefix is string => prefix !== undefined)
    .sort()
    .at(-1);
  let date = new Date();
  if (latest && timestamp(date) <= latest) {
    const at = latest.replace(/(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)/, "$1-$2-$3T$4:$5:$6Z");
    date = new Date(Date.parse(at) + 1000);
  }
  return timestamp(date);
}

async function main(): Promise<number> {
  const command = parseArgs(process.argv.slice(2));
  if (typeof command === "string") {
    console.error(command);
    return 1;
  }
  const { inSync, sql } = await diffMigrationsToSchema({ migrationsDir, schemaPath });
  const script = stripCreatePublicSchema(sql);

  if (command.kind === "check") {
    if (inSync) {
      console.log("prisma/migrations is in sync with prisma/schema.prisma");
      return 0;
    }
    console.error(
      "prisma/schema.prisma has changes that no migration contains; create one with `npm run db:diff -- <name>`.\n" +
        "Missing SQL:\n",
    );
    console.log(script);
    return 2;
  }

  if (inSync) {
    console.log("no changes");
    return 0;
  }
  const folder = join(migrationsDir, `${await nextTimestamp()}_${command.name}`);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, "migration.sql"), script, "utf8");
  const lockfile = join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lockfile)) await writeFile(lockfile, MIGRATION_LOCK_TOML, "utf8");
  console.log(`wrote ${relative(root, join(folder, "migration.sql"))}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`db:diff failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
