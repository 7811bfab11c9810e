import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../bot/node-flags.ts";
import { PROJECT_ROOT } from "../support/bot-process.ts";

// The bot's V8 flags live in bot/node-flags.ts; the Docker image, `npm start` and the benchmarks read them there.
describe("the bot's node flags (bot/node-flags.ts)", () => {
  it("are accepted by this node", () => {
    expect(() => execFileSync(process.execPath, [...NODE_FLAGS, "-e", "0"], { stdio: "pipe" })).not.toThrow();
  });

  it("are printed by the module run as a script (the Docker image's CMD reads them so)", () => {
    const printed = execFileSync(process.execPath, ["--import", "tsx", "bot/node-flags.ts"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect(printed.trim()).toBe(NODE_FLAGS.join(" "));
  });

  it("are the ones the Docker image, npm start and the benchmarks start the bot with", () => {
    const dockerfile = readFileSync(join(PROJECT_ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(
      /^CMD \[.*exec node \$\(node dist\/bot\/node-flags\.js\) dist\/bot\/main\.js"\]$/m,
    );
    const start = readFileSync(join(PROJECT_ROOT, "scripts", "start.mjs"), "utf8");
    expect(start).toContain('[...NODE_FLAGS, join(root, "dist", "bot", "main.js")]');
    const bench = readFileSync(join(PROJECT_ROOT, "bench", "support", "bot-processes.ts"), "utf8");
    expect(bench).toContain('[...AWASI_FLAGS, ...flags, join(ROOT, "dist", "bot", "main.js")]');
  });
});
