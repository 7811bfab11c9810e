import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS } from "../../bot/node-flags.ts";
import { BENCH_TOKEN } from "./fast-bot-api.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** What `npm start` compares with dist/.built (scripts/start.mjs SOURCES). */
const SOURCES = [
  "bot",
  "handlers",
  "domain",
  "generated",
  "locales",
  "prisma/migrations",
  "tsconfig.build.json",
];
/**
 * The node flags Awasi runs with here: production's (bot/node-flags.ts), or BENCH_NODE_FLAGS when set
 * (space-separated; `BENCH_NODE_FLAGS=` runs without any, to measure what the flags cost or save).
 */
export const AWASI_FLAGS: readonly string[] =
  process.env.BENCH_NODE_FLAGS === undefined
    ? NODE_FLAGS
    : process.env.BENCH_NODE_FLAGS.split(" ").filter(Boolean);
export const STAFF_CHAT_ID = -1001234567890;
export const WEBHOOK_PATH = "/telegram";

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Builds dist/ (npm run build) when it is missing or older than the sources, as `npm start` does. */
export function ensureBuilt(log: (line: string) => void): void {
  const marker = join(ROOT, "dist", ".built");
  const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  if (SOURCES.every((source) => newest(join(ROOT, source)) <= builtAt)) return;
  log("dist/ is missing or stale: building it (npm run build)");
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "ignore" });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A bot under benchmark: its pid (for /proc), its webhook URL and secret, the "bot started" line. */
export interface BenchBot {
  name: string;
  pid: number;
  url: string;
  secret: string;
  started: Record<string, unknown>;
  /** Wall time from spawn to the "bot started" line. */
  startupMs: number;
  /** CPU ms per second with no updates (background workers polling the database), measured after start. */
  idleCpuMsPerSecond: number;
  /** Lines of output that were not JSON log lines at info level or below (errors, warnings). */
  problems: string[];
  stop(): Promise<void>;
}

export type BotKind = "awasi" | "awasi-tsx" | "bare";

export interface SpawnOptions {
  kind: BotKind;
  apiRoot: string;
  databaseUrl?: string;
  redisUrl: string;
  redisPrefix: string;
  /** More variables for Awasi (FLOOD_LIMIT, REPORTS_PER_DAY, LOG_LEVEL…). */
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof); Awasi always gets its production flags (bot/node-flags.ts) first. */
  nodeFlags?: string[];
}

/** Starts Awasi (compiled dist/, or from source through tsx) or the bare bot in webhook mode; resolves when ready. */
export async function spawnBot(options: SpawnOptions): Promise<BenchBot> {
  const port = await freePort();
  const secret = randomBytes(16).toString("hex");
  const url = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    BOT_TOKEN: BENCH_TOKEN,
    TELEGRAM_API_ROOT: options.apiRoot,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.redisPrefix,
    BOT_MODE: "webhook",
    WEBHOOK_URL: url,
    WEBHOOK_SECRET: secret,
    PORT: String(port),
    STAFF_CHAT_ID: String(STAFF_CHAT_ID),
    LOG_LEVEL: "info",
    DATA_KEY: randomBytes(32).toString("base64"),
    DATA_DIR: join(ROOT, "data", "bench"),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  const flags = options.nodeFlags ?? [];
  const args =
    options.kind === "bare"
      ? [...flags, join(ROOT, "bench", "bare-bot.mjs")]
      : options.kind === "awasi-tsx"
        ? [...AWASI_FLAGS, ...flags, "--import", "tsx", join(ROOT, "bot", "main.ts")]
        : [...AWASI_FLAGS, ...flags, join(ROOT, "dist", "bot", "main.js")];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const problems: string[] = [];
  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let pending = "";
    let stderr = "";
    let ready = false;
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          parsed = undefined;
        }
        if (!ready && parsed?.msg === "bot started") {
          ready = true;
          resolve(parsed);
        } else if (!parsed || Number(parsed.level ?? 30) >= 40) {
          if (problems.length < 20) problems.push(line.slice(0, 400));
        }
      }
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderr += chunk;
      if (problems.length < 20) problems.push(chunk.slice(0, 400));
    });
    child.once("exit", (code) => {
      if (!ready)
        reject(new Error(`${options.kind} exited (${code}) before it was ready: ${stderr.slice(-2000)}`));
    });
    setTimeout(() => {
      if (!ready) reject(new Error(`${options.kind} was not ready within 90 s: ${stderr.slice(-2000)}`));
    }, 90_000).unref();
  });
  const startupMs = performance.now() - spawnedAt;
  return {
    name: options.kind,
    pid: child.pid!,
    url,
    secret,
    started,
    startupMs,
    idleCpuMsPerSecond: 0,
    problems,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
