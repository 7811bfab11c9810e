/**
 * Profiles Awasi under the webhook load: starts the compiled bot with `node --cpu-prof`, drives it (the /start +
 * text + /help mix, with --report the whole report conversation, with --idle nothing: the background work) and prints where its CPU went: the top
 * functions by self time and the top modules (our files, each package).
 *
 *   npx tsx bench/profile.ts [--report | --idle] [--seconds 15] [--top 25]
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chattyCitizen, reportingCitizen } from "./support/citizens.ts";
import { closedLoop, sleep } from "./support/load.ts";
import { openBench } from "./support/pair.ts";
import { type Profile, summarize } from "./support/profile-summary.ts";

const { values } = parseArgs({
  options: {
    report: { type: "boolean", default: false },
    idle: { type: "boolean", default: false },
    seconds: { type: "string", default: "15" },
    top: { type: "string", default: "25" },
    concurrency: { type: "string", default: "32" },
  },
});
const dir = mkdtempSync(join(tmpdir(), "awasi-prof-"));
const bench = await openBench();
try {
  const figures = await bench.withBot(
    "awasi",
    (bot) =>
      values.idle
        ? sleep(Number(values.seconds) * 1000)
        : closedLoop({
            bot,
            concurrency: Number(values.concurrency),
            citizensPerWorker: values.report ? 4 : 16,
            newCitizen: () => (values.report ? reportingCitizen(bench.api.submitButton) : chattyCitizen()),
            seconds: Number(values.seconds),
          }),
    { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`] },
  );
  console.log(`load: ${JSON.stringify(figures)}`);
} finally {
  await bench.close();
}
const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile written in ${dir}`);
console.log(`profile: ${join(dir, file)}`);
for (const line of summarize(
  JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile,
  Number(values.top),
))
  console.log(line);
