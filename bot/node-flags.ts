/**
 * The V8 flags the bot runs with, in one place: the Docker image's CMD (`node $(node dist/bot/node-flags.js)
 * dist/bot/main.js`), `npm start` (scripts/start.mjs starts the bot with them) and the benchmarks' spawn of the
 * bot (bench/support/bot-processes.ts) all read this list. Measured in bench/RESULTS.md ("Memory, branch
 * i10-mem"):
 *
 * - `--no-wasm-tier-up --no-wasm-dynamic-tiering`: Prisma's query compiler (WebAssembly) stays on V8's baseline
 *   compiler (Liftoff). Otherwise V8 recompiles its hot functions with TurboFan on four background threads right
 *   after start; those compilations' scratch memory stays in the threads' malloc arenas: about 90 MB of idle RSS
 *   (257 → 170 MB), and the CPU that compiling took. No measurable CPU per update lost (bench/RESULTS.md).
 * - `--max-semi-space-size=16`: the young generation may grow to 2 × 16 MB under load. Smaller saves RSS (8 MB:
 *   about 20 MB less) but scavenges more often: with 32 updates in flight every scavenge copies their live
 *   promises and contexts, and at 8 MB the garbage collector took 0.18 ms per update against 0.12 ms at 16 MB
 *   (bench/RESULTS.md, "The idle machine, after"); CPU per update is the scarcer budget.
 * - `--max-old-space-size=512`: a ceiling far above the bot's live heap (~50 MB, flat with the number of citizens;
 *   exports are streamed), and, being below 2 GB, it caps the factor by which V8 lets the old generation grow
 *   between two major collections at about 1.4 instead of 4 (V8's heap controller scales it with the limit).
 */
import { pathToFileURL } from "node:url";

export const NODE_FLAGS: readonly string[] = [
  "--no-wasm-tier-up",
  "--no-wasm-dynamic-tiering",
  "--max-semi-space-size=16",
  "--max-old-space-size=512",
];

// `node dist/bot/node-flags.js` prints them, space-separated, for the Docker image's CMD.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${NODE_FLAGS.join(" ")}\n`);
}
