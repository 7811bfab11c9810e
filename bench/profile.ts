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

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per module of a .cpuprofile, in percent of all samples. */
export function summarize(profile: Profile, top: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const module = moduleOf(url, functionName);
    const name = `${functionName || "(anonymous)"} ${module}${url ? `:${lineNumber + 1}` : ""}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
    modules.set(module, (modules.get(module) ?? 0) + time);
  }
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  return ["top functions (self time):", ...rows(functions), "", "top modules (self time):", ...rows(modules)];
}

/** "grammy", "@prisma/client", "ours: bot/create-bot.js", "(garbage collector)", "node:internal…". */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const packages = url.lastIndexOf("node_modules/");
  if (packages >= 0) {
    const rest = url.slice(packages + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.indexOf("/dist/");
  if (dist >= 0) return `ours: ${url.slice(dist + "/dist/".length)}`;
  return url.startsWith("node:") ? url.split("/").slice(0, 2).join("/") : url;
}

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
