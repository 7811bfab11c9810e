// Generates the Prisma client (run by `npm install`).
// `prisma generate` needs no schema engine, but Prisma's CLI still tries to download one, which fails
// offline; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
execFileSync(process.execPath, [cli, "generate"], {
  stdio: "inherit",
  env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
