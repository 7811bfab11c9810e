import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../support/bot-process.ts";
import { UserChat } from "../support/conversation.ts";
import { TestBot } from "../support/test-bot.ts";
import { makeUser } from "../support/updates.ts";

// The build into a directory of this test's own (inside the project, so the compiled code finds node_modules),
// so that a developer's dist/ is neither used nor overwritten.
const outDir = join(".test-results", `build-${randomBytes(4).toString("hex")}`);

describe("the built output (npm run build, then plain node without tsx, as in production)", () => {
  let t: TestBot;
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ["scripts/build.mjs", "--out-dir", outDir], {
      cwd: PROJECT_ROOT,
    });
    t = await TestBot.start({}, { entry: join(outDir, "bot", "main.js") });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await rm(join(PROJECT_ROOT, outDir), { recursive: true, force: true });
  });

  it("starts, having applied the migrations copied next to it, and greets a citizen from its copied locales", async () => {
    expect(t.bot.readyLine?.database).toBe(t.usesServers ? "postgresql" : "embedded");
    const chat = new UserChat(t.api, makeUser(7101, { firstName: "Siti", languageCode: "id" }));
    const [greeting] = await chat.send("/start");
    expect(greeting?.text).toContain("Halo, Siti!");
  });

  it("walks into a report: the category question and the first question of the chosen category", async () => {
    const chat = new UserChat(t.api, makeUser(7102, { languageCode: "en" }));
    const asked = await chat.send("/report");
    expect(asked.flatMap((reply) => reply.keyboard?.labels ?? [])).toContain("💸 Money politics");
    const first = await chat.press("💸 Money politics");
    expect(first.map((reply) => reply.text).join("\n")).toContain("What was handed out?");
  });
});
