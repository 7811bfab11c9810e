// `npm start`: runs the compiled bot (dist/bot/main.js), building it first when dist/ is missing or older than any
// source file (bot/, handlers/, domain/, generated/, locales/, prisma/migrations/), so that `npm install && npm start`
// on a fresh clone works with one command, with the V8 flags of bot/node-flags.ts. Production (the Docker image) runs
// `node <those flags> dist/bot/main.js` directly.
// `node scripts/start.mjs migrate` (`npm run db:migrate`) runs the compiled migrate script the same way, and
// `node scripts/start.mjs data-key-rotate` (`npm run data-key:rotate`) the key rotation.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "dist", ".built");
const SOURCES = [
  "bot",
  "handlers",
  "domain",
  "generated",
  "locales",
  "assets",
  "prisma/migrations",
  "scripts/db-migrate.ts",
  "scripts/data-key-rotate.ts",
  "tsconfig.build.json",
];

/** The newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const stale = SOURCES.some((source) => newest(join(root, source)) > builtAt);
if (stale) {
  if (!existsSync(join(root, "node_modules", "typescript"))) {
    process.stderr.write(
      "Awasi cannot start: dist/ is missing or older than the sources, and TypeScript (a development dependency) " +
        "is not installed to build it: run `npm install` (not --omit=dev), or `npm run build` where it is.\n",
    );
    process.exit(1);
  }
  process.stderr.write("dist/ is missing or stale: building it first (npm run build)\n");
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
}
const SCRIPTS = {
  migrate: ["scripts", "db-migrate.js"],
  "data-key-rotate": ["scripts", "data-key-rotate.js"],
};
const script = SCRIPTS[process.argv[2]];
if (script) {
  await import(pathToFileURL(join(root, "dist", ...script)).href);
} else {
  // The bot runs with its V8 flags (bot/node-flags.ts, as in the Docker image and the benchmarks): heap sizes are
  // fixed when a process starts, so the bot is a child process with them, and this one hands it the signals.
  const { NODE_FLAGS } = await import(pathToFileURL(join(root, "dist", "bot", "node-flags.js")).href);
  const child = spawn(process.execPath, [...NODE_FLAGS, join(root, "dist", "bot", "main.js")], {
    stdio: "inherit",
  });
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  // Ctrl-C reaches the whole process group, the bot included; a second SIGINT would cut its shutdown short.
  process.on("SIGINT", () => undefined);
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
