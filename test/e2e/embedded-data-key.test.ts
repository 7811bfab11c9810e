import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../support/bot-process.ts";
import { type TempDir, tempDataDir } from "../support/databases.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake-bot-api.ts";

describe("embedded mode keeps its data key outside DATA_DIR", { timeout: 120_000 }, () => {
  let api: FakeBotApi;
  let temp: TempDir;
  beforeAll(async () => {
    api = await startFakeBotApi();
    temp = await tempDataDir();
  });
  afterAll(async () => {
    await api?.close();
    await temp?.remove();
  });

  it("moves a key left in DATA_DIR to the config directory, says so at start, and never logs the key", async () => {
    const dataDir = join(temp.path, "data");
    const configHome = join(temp.path, "config");
    mkdirSync(dataDir, { recursive: true });
    const key = Buffer.alloc(32, 5).toString("base64");
    writeFileSync(join(dataDir, "data-key"), `${key}\n`);

    const bot = await startBotProcess({ api, env: { DATA_DIR: dataDir, XDG_CONFIG_HOME: configHome } });
    const moved = bot.logs.find((line) => /moved the data key/.test(String(line.msg)));
    await bot.stop();

    expect(moved?.key_file).toEqual(expect.stringContaining(join(configHome, "awasi", "data-keys")));
    expect(existsSync(join(dataDir, "data-key"))).toBe(false);
    expect(readFileSync(String(moved!.key_file), "utf8").trim()).toBe(key);
    expect(readdirSync(dataDir).sort()).toEqual(["data-key-id", "pglite"]);
    expect(bot.output()).not.toContain(key);

    const again = await startBotProcess({ api, env: { DATA_DIR: dataDir, XDG_CONFIG_HOME: configHome } });
    await again.stop();
    expect(again.logs.find((line) => /read from the key file/.test(String(line.msg)))?.key_file).toBe(
      moved!.key_file,
    );
  });
});
