/**
 * Profiles Awasi under the webhook load: starts the compiled bot with `node --cpu-prof`, drives it (the /start +
 * text + /help mix, with --report the whole report conversation, with --idle nothing: the background work) and
 * prints where its CPU went: the top functions by self time and the top modules (our files, each package).
 * With --pair, profiles the bare grammY bot under the same load too and prints both side by side as CPU ms per
 * update by module, over the measured window: where Awasi's extra cost per update goes.
 *
 *   npx tsx bench/profile.ts [--report | --idle] [--pair] [--seconds 15] [--top 25]
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { BenchBot } from "./support/bot-processes.ts";
import { chattyCitizen, reportingCitizen } from "./support/citizens.ts";
import { closedLoop, sleep } from "./support/load.ts";
import { openBench } from "./support/pair.ts";
import { msPerUpdateByModule, type Profile, summarize } from "./support/profile-summary.ts";

/**
 * Modules whose work the bare bot does not do at all: our features (domain/, handlers/ but not the composer in
 * handlers/common, which does the routing grammY does for the bare bot; not bot/, whose session, lock and server
 * code has its counterpart there), the database client, crypto, i18n, logging.
 */
const AWASI_ONLY =
  /^(ours: (domain\/|handlers\/(?!common))|@prisma\/|pg$|pg-|zod$|i18next$|pino|wasm:|node:internal\/crypto$)/;

const { values } = parseArgs({
  options: {
    report: { type: "boolean", default: false },
    idle: { type: "boolean", default: false },
    seconds: { type: "string", default: "15" },
    top: { type: "string", default: "25" },
    concurrency: { type: "string", default: "32" },
    pair: { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const load = (bot: BenchBot) =>
  values.idle
    ? sleep(seconds * 1000).then(() => ({ updates: 1 }))
    : closedLoop({
        bot,
        concurrency: Number(values.concurrency),
        citizensPerWorker: values.report ? 4 : 16,
        newCitizen: () => (values.report ? reportingCitizen(bench.api.submitButton) : chattyCitizen()),
        seconds,
        warmupSeconds: values.pair ? 3 : 0,
      });
const bench = await openBench({ measureIdle: false });
const profiled: Partial<Record<"bare" | "awasi", { profile: Profile; updates: number }>> = {};
try {
  for (const kind of values.pair ? (["bare", "awasi"] as const) : (["awasi"] as const)) {
    const dir = mkdtempSync(join(tmpdir(), `awasi-prof-${kind}-`));
    // Awasi runs with its production flags (bench/support/bot-processes.ts), the bare bot with none.
    const figures = await bench.withBot(kind, load, { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
    console.log(`${kind} load: ${JSON.stringify(figures)}`);
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (!file) throw new Error(`no profile written in ${dir}`);
    console.log(`${kind} profile: ${join(dir, file)}`);
    profiled[kind] = {
      profile: JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile,
      updates: figures.updates,
    };
  }
} finally {
  await bench.close();
}
const top = Number(values.top);
if (profiled.bare && profiled.awasi) {
  const bare = msPerUpdateByModule(profiled.bare.profile, seconds, profiled.bare.updates);
  const awasi = msPerUpdateByModule(profiled.awasi.profile, seconds, profiled.awasi.updates);
  const total = (byModule: Map<string, number>) => [...byModule.values()].reduce((a, b) => a + b, 0);
  console.log(`${"CPU ms per update, by module".padEnd(40)}${"bare".padStart(8)}${"awasi".padStart(8)}`);
  for (const module of [...new Set([...awasi.keys(), ...bare.keys()])]
    .sort((a, b) => (awasi.get(b) ?? 0) - (awasi.get(a) ?? 0))
    .slice(0, top)) {
    const cell = (byModule: Map<string, number>) => (byModule.get(module) ?? 0).toFixed(3).padStart(8);
    console.log(`${module.slice(0, 39).padEnd(40)}${cell(bare)}${cell(awasi)}`);
  }
  console.log(
    `${"all".padEnd(40)}${total(bare).toFixed(3).padStart(8)}${total(awasi).toFixed(3).padStart(8)}`,
  );
  // The CPU target (≤ 1.6× the bare bot's) leaves 0.6 × the bare bot's cost for everything Awasi does beyond
  // it. Work the bare bot does not do at all: when it alone exceeds that headroom, the target cannot be met
  // however cheap the shared machinery (HTTP, grammY, sockets, the collector) becomes.
  const ownWork = [...awasi]
    .filter(([module]) => AWASI_ONLY.test(module))
    .reduce((sum, [, ms]) => sum + ms, 0);
  console.log(
    `work the bare bot does not do (our features, database, crypto, i18n): ${ownWork.toFixed(3)} ms/update; ` +
      `headroom of the 1.6× target: ${(0.6 * total(bare)).toFixed(3)} ms/update`,
  );
} else {
  for (const line of summarize(profiled.awasi!.profile, top)) console.log(line);
}
