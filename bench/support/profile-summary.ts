/**
 * Self time per function and per module of a V8 .cpuprofile (`node --cpu-prof`).
 *
 *   npx tsx bench/support/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
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

/**
 * CPU ms per update by module over the last `seconds` of a profile (the measured window; start-up and warm-up
 * left out), idle time excluded: for setting two bots' profiles side by side.
 */
export function msPerUpdateByModule(profile: Profile, seconds: number, updates: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const byModule = new Map<string, number>();
  let elapsed = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsed += delta;
    if (elapsed < total - seconds * 1e6) continue;
    const { functionName, url } = byId.get(profile.samples[i]!)!.callFrame;
    if (functionName === "(idle)") continue;
    const module = moduleOf(url, functionName).replace(/^(ours: [^/]+\/[^/]+)\/.*$/, "$1");
    byModule.set(module, (byModule.get(module) ?? 0) + delta / 1000 / updates);
  }
  return byModule;
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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Profile;
  for (const line of summarize(profile, Number(process.argv[3] ?? 20))) console.log(line);
}
