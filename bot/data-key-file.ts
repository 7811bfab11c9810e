import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { generateDataKey } from "../domain/crypto/data-cipher.ts";

/** The variables that decide where the embedded key lives (from the process environment). */
export interface KeyFileEnv {
  /** An exact file for the key (overrides the config directory). */
  DATA_KEY_FILE?: string;
  XDG_CONFIG_HOME?: string;
  HOME?: string;
}

/** Something the key file logic did that the operator should read in the log. */
export interface KeyFileNotice {
  level: "info" | "warn";
  msg: string;
  data: Record<string, unknown>;
}

/** The embedded key and where it came from. */
export interface EmbeddedKey {
  /** A `DATA_KEY` value (one key, or several comma-separated after a rotation). */
  key: string;
  file: string;
  notices: KeyFileNotice[];
}

/** The file in `DATA_DIR` that names its key in the config directory (not a secret). */
const KEY_ID_FILE = "data-key-id";
/** Where the key was kept before it moved out of `DATA_DIR`. */
const LEGACY_KEY_FILE = "data-key";

/** `$XDG_CONFIG_HOME/awasi`, or `~/.config/awasi`: the user's config directory, apart from the data. */
export function configDir(env: KeyFileEnv): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".config");
  return join(base, "awasi");
}

/**
 * Where the embedded database's key is kept: `DATA_KEY_FILE` when set, otherwise
 * `<config dir>/data-keys/<id>`, where `<id>` is a random name kept in `DATA_DIR/data-key-id` (so that several
 * data folders on one machine each keep their own key, and a moved data folder still finds its key).
 * Returns undefined while the data folder has no id yet.
 */
export function keyFileFor(dataDir: string, env: KeyFileEnv): string | undefined {
  if (env.DATA_KEY_FILE?.trim()) return resolve(env.DATA_KEY_FILE.trim());
  const idFile = join(dataDir, KEY_ID_FILE);
  if (!existsSync(idFile)) return undefined;
  const id = readFileSync(idFile, "utf8").trim();
  if (!/^[0-9a-f]{16,64}$/.test(id)) throw new Error(`${idFile} is damaged: expected a hex key id`);
  return join(configDir(env), "data-keys", id);
}

function newKeyFile(dataDir: string, env: KeyFileEnv): string {
  const existing = keyFileFor(dataDir, env);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const id = randomBytes(8).toString("hex");
  writeFileSync(join(dataDir, KEY_ID_FILE), `${id}\n`);
  return join(configDir(env), "data-keys", id);
}

function writeSecret(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${content}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The embedded mode's data key (when `DATA_KEY` is unset): read from, or generated once into, a file outside
 * `DATA_DIR` (see {@link keyFileFor}), so that a copy of the data folder (a backup, a shared or synced folder)
 * names nobody without the key. A key found where earlier versions kept it (`DATA_DIR/data-key`) is moved there.
 * Losing the key file makes the stored personal data unreadable.
 */
export function loadEmbeddedDataKey(dataDir: string, env: KeyFileEnv): EmbeddedKey {
  const notices: KeyFileNotice[] = [];
  const legacy = join(dataDir, LEGACY_KEY_FILE);
  const existing = keyFileFor(dataDir, env);
  if (existing && existsSync(existing)) {
    if (existsSync(legacy)) {
      notices.push({
        level: "warn",
        msg: "a second data key lies in the data folder; it was not used (the key file wins): delete it once you have checked",
        data: { file: legacy, key_file: existing },
      });
    }
    notices.push({
      level: "info",
      msg: "data key for the embedded database read from the key file, kept apart from the data folder",
      data: { key_file: existing },
    });
    return { key: readFileSync(existing, "utf8").trim(), file: existing, notices };
  }
  const file = newKeyFile(dataDir, env);
  if (existsSync(legacy)) {
    const key = readFileSync(legacy, "utf8").trim();
    writeSecret(file, key);
    rmSync(legacy);
    notices.push({
      level: "warn",
      msg: "moved the data key out of the data folder into the key file; back the key file up separately",
      data: { from: legacy, key_file: file },
    });
    return { key, file, notices };
  }
  const key = generateDataKey();
  writeSecret(file, key);
  notices.push({
    level: "warn",
    msg: "DATA_KEY is not set: generated a data key for the embedded database into the key file, apart from the data folder; back it up, and set DATA_KEY in production",
    data: { key_file: file },
  });
  return { key, file, notices };
}

/** Puts `newKey` in front of the key file's keys (embedded rotation: `npm run data-key:rotate -- --new-key`). */
export function prependEmbeddedKey(file: string, newKey: string): string {
  const current = readFileSync(file, "utf8").trim();
  const spec = `${newKey},${current}`;
  const temp = `${file}.tmp`;
  writeSecret(temp, spec);
  renameSync(temp, file);
  return spec;
}
