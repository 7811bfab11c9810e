import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configDir, loadEmbeddedDataKey, prependEmbeddedKey } from "../../bot/data-key-file.ts";
import { createDataCipher } from "../../domain/crypto/data-cipher.ts";
import { type TempDir, tempDataDir } from "../support/databases.ts";

describe("the embedded data key lives apart from the data folder", () => {
  let temp: TempDir;
  let dataDir: string;
  let env: { XDG_CONFIG_HOME: string; HOME: string };
  beforeEach(async () => {
    temp = await tempDataDir();
    dataDir = join(temp.path, "data");
    env = { XDG_CONFIG_HOME: join(temp.path, "config"), HOME: join(temp.path, "home") };
  });
  afterEach(() => temp.remove());

  it("generates the key into the user's config directory, owner-readable only, and says where", () => {
    const first = loadEmbeddedDataKey(dataDir, env);
    expect(first.file.startsWith(join(env.XDG_CONFIG_HOME, "awasi", "data-keys"))).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(() => createDataCipher(first.key)).not.toThrow();
    expect(first.notices.map((notice) => notice.data.key_file)).toEqual([first.file]);
    // Nothing in the data folder holds the key.
    expect(readFileSync(join(dataDir, "data-key-id"), "utf8")).not.toContain(first.key);
    expect(existsSync(join(dataDir, "data-key"))).toBe(false);
    // The next start finds the same key.
    const again = loadEmbeddedDataKey(dataDir, env);
    expect(again.key).toBe(first.key);
    expect(again.notices[0]!.msg).toMatch(/read from the key file/);
  });

  it("keeps one key per data folder", () => {
    const one = loadEmbeddedDataKey(join(temp.path, "one"), env);
    const two = loadEmbeddedDataKey(join(temp.path, "two"), env);
    expect(one.file).not.toBe(two.file);
    expect(one.key).not.toBe(two.key);
  });

  it("falls back to ~/.config/awasi without XDG_CONFIG_HOME", () => {
    expect(configDir({ HOME: env.HOME })).toBe(join(env.HOME, ".config", "awasi"));
    expect(loadEmbeddedDataKey(dataDir, { HOME: env.HOME }).file.startsWith(join(env.HOME, ".config"))).toBe(
      true,
    );
  });

  it("moves a key found in the data folder (earlier versions kept it there) and logs the move", () => {
    mkdirSync(dataDir, { recursive: true });
    const old = Buffer.alloc(32, 9).toString("base64");
    writeFileSync(join(dataDir, "data-key"), `${old}\n`);
    const moved = loadEmbeddedDataKey(dataDir, env);
    expect(moved.key).toBe(old);
    expect(existsSync(join(dataDir, "data-key"))).toBe(false);
    expect(readFileSync(moved.file, "utf8").trim()).toBe(old);
    expect(moved.notices).toEqual([
      expect.objectContaining({ level: "warn", msg: expect.stringMatching(/moved the data key/) }),
    ]);
  });

  it("uses DATA_KEY_FILE when set", () => {
    const file = join(temp.path, "elsewhere", "awasi.key");
    const loaded = loadEmbeddedDataKey(dataDir, { ...env, DATA_KEY_FILE: file });
    expect(loaded.file).toBe(file);
    expect(readFileSync(file, "utf8").trim()).toBe(loaded.key);
  });

  it("puts a new key in front for a rotation, keeping the old one", () => {
    const loaded = loadEmbeddedDataKey(dataDir, env);
    const fresh = Buffer.alloc(32, 3).toString("base64");
    const spec = prependEmbeddedKey(loaded.file, fresh);
    expect(spec).toBe(`${fresh},${loaded.key}`);
    expect(loadEmbeddedDataKey(dataDir, env).key).toBe(spec);
    expect(createDataCipher(spec).keyIds).toHaveLength(2);
  });
});
