// `npm run build`: compiles the bot (bot/, handlers/, domain/, the generated Prisma client, the migrate script)
// to JavaScript in dist/ with tsc (tsconfig.build.json rewrites the `.ts` import specifiers to `.js`), and copies
// what the compiled code reads at run time (locales, SQL migrations, assets such as map boundaries) next to it, so that dist/ runs on its own
// with production dependencies only: `node dist/bot/main.js`.
// `--out-dir <dir>` builds elsewhere (the end-to-end test of the built output); it must lie inside the project so
// that the compiled code finds node_modules.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { "out-dir": { type: "string" } } });
const dist = resolve(root, values["out-dir"] ?? "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", dist], {
  stdio: "inherit",
});
cpSync(join(root, "locales"), join(dist, "locales"), { recursive: true });
cpSync(join(root, "assets"), join(dist, "assets"), { recursive: true });
cpSync(join(root, "prisma", "migrations"), join(dist, "prisma", "migrations"), { recursive: true });
// The marker scripts/start.mjs compares with the sources to tell whether dist/ is stale.
writeFileSync(join(dist, ".built"), `${new Date().toISOString()}\n`);
console.log(`built ${dist} (run with: node ${join(dist, "bot", "main.js")})`);
