import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { DEFAULT_STAFF_CHAT_ID } from "./bot-identity.ts";
import { tempDataDir } from "./databases.ts";
import type { FakeBotApi } from "./fake-bot-api.ts";

/** The project root (where package.json and bot/main.ts are), resolved from this file's location. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A stdout line of the bot parsed as JSON (pino: `level`, `time`, `msg`, and the bindings). */
export type LogLine = Record<string, unknown> & { msg?: unknown; level?: unknown };

/** How a process ended. */
export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link startBotProcess}. */
export interface BotProcessOptions {
  /** The fake Bot API: gives `BOT_TOKEN` and `TELEGRAM_API_ROOT` (unless `env` overrides them). */
  api?: Pick<FakeBotApi, "apiRoot" | "token">;
  /** `STAFF_CHAT_ID` (default {@link DEFAULT_STAFF_CHAT_ID}). */
  staffChatId?: number;
  /**
   * More variables (DATABASE_URL, REDIS_URL, BOT_MODE, DATA_DIR…); `undefined` removes a variable.
   * Without DATA_DIR the process gets a fresh temporary one, deleted when it exits: pass your own (see
   * `tempDataDir()`) to keep the embedded database across a restart.
   */
  env?: Record<string, string | undefined>;
  /**
   * Script to run, relative to the project root (default "bot/main.ts"): a `.ts` entry runs through tsx, a `.js`
   * entry (the built output, e.g. "dist/bot/main.js") with plain `node`, as in production.
   */
  entry?: string;
  /** How long to wait for the ready log line (default 60 s: an embedded database's first start is slow). */
  readyTimeoutMs?: number;
  /** `msg` of the log line that means "ready to receive updates" (default "bot started"). */
  readyMessage?: string;
}

/** Options of {@link BotProcess.waitForLog}. */
export interface LogWaitOptions {
  /** Default 20 s. */
  timeoutMs?: number;
  /** Index into `logs`: only lines at this index or later count (e.g. `bot.logs.length` before an action). */
  after?: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test must not leave bots polling the next test's fake API.
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

/**
 * Values that keep a test's bot isolated even if a developer's `.env` (which the bot loads without overriding
 * what is set) names a real database or a fixed port: empty means "unset" to the bot's configuration, and
 * PORT=0 lets parallel bots each listen on a free port.
 */
const ISOLATION_DEFAULTS: Record<string, string> = {
  DATABASE_URL: "",
  REDIS_URL: "",
  DATA_KEY: "",
  WEBHOOK_URL: "",
  WEBHOOK_SECRET: "",
  PORT: "0",
  // No daily digest unless a test asks for one: it would post into the staff group of unrelated tests.
  DIGEST_TIME: "off",
};

/** The variables every bot process gets: a minimal environment, never the test runner's own. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "test",
    LOG_LEVEL: "debug",
  };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}

function mergeEnv(...parts: Array<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
  }
  return out;
}

function spawnBot(entry: string, env: Record<string, string>): ChildProcess {
  installExitHook();
  const args = entry.endsWith(".ts") ? ["--import", "tsx", entry] : [entry];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  child.once("close", () => live.delete(child));
  return child;
}

function tail(text: string, max = 6000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/** A running bot process; see {@link startBotProcess}. */
export class BotProcess {
  /** stdout lines that parsed as JSON, in order. */
  readonly logs: LogLine[] = [];
  /** The "bot started" line (with whatever the bot logs there, e.g. `port`), once seen. */
  readyLine: LogLine | undefined;
  /** Resolves when the process has exited and its output is complete. */
  readonly exited: Promise<ExitResult>;
  private readonly child: ChildProcess;
  private chunks: string[] = [];
  private stdoutText = "";
  private stderrText = "";
  private exit: ExitResult | undefined;
  private readonly listeners = new Set<() => void>();

  /** @internal use {@link startBotProcess}; `cleanup` runs after exit, before `exited` resolves. */
  constructor(child: ChildProcess, cleanup?: () => Promise<void>) {
    this.child = child;
    let pending = "";
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      this.chunks.push(chunk);
      this.stdoutText += chunk;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) this.addLine(line);
      this.notify();
    });
    child.stderr?.on("data", (chunk: string) => {
      this.chunks.push(chunk);
      this.stderrText += chunk;
      this.notify();
    });
    this.exited = new Promise<ExitResult>((resolve) => {
      child.once("close", (code, signal) => {
        if (pending !== "") this.addLine(pending);
        const exit = { code, signal };
        void (cleanup ?? (async () => {}))()
          .catch(() => undefined)
          .then(() => {
            this.exit = exit;
            resolve(exit);
            this.notify();
          });
      });
    });
  }

  /** Process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, or undefined while it runs. */
  get exitResult(): ExitResult | undefined {
    return this.exit;
  }

  /** All stdout and stderr text so far, interleaved in arrival order. */
  output(): string {
    return this.chunks.join("");
  }

  /** stdout so far. */
  stdout(): string {
    return this.stdoutText;
  }

  /** stderr so far. */
  stderr(): string {
    return this.stderrText;
  }

  /**
   * Resolves with the first log line matching `match` (a predicate, or the exact `msg`, or a RegExp on `msg`);
   * rejects with the output's tail on timeout or if the process exits first.
   */
  waitForLog(
    match: ((line: LogLine) => boolean) | string | RegExp,
    options: LogWaitOptions = {},
  ): Promise<LogLine> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const test =
      typeof match === "function"
        ? match
        : (line: LogLine): boolean =>
            typeof match === "string"
              ? line.msg === match
              : typeof line.msg === "string" && match.test(line.msg);
    const find = (): LogLine | undefined => this.logs.slice(options.after ?? 0).find(test);
    const what =
      typeof match === "function"
        ? "a log line matching the predicate"
        : `a log line with msg ${String(match)}`;
    return new Promise<LogLine>((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found) {
          done();
          resolve(found);
        } else if (this.exit) {
          done();
          reject(
            new Error(
              `Bot process exited (code ${this.exit.code}, signal ${this.exit.signal}) before ${what}.\nOutput:\n${tail(this.output())}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.\nOutput:\n${tail(this.output())}`),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /**
   * Sends `signal` and resolves with how the process exited; if it has not exited after `timeoutMs`
   * (default 15 s) it is killed and the promise rejects: a bot must shut down promptly on SIGTERM.
   */
  async stop(signal: NodeJS.Signals = "SIGTERM", options: { timeoutMs?: number } = {}): Promise<ExitResult> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? 15_000);
    });
    const result = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (result !== "timeout") return result;
    await this.kill();
    throw new Error(
      `Bot process did not exit within ${options.timeoutMs ?? 15_000} ms after ${signal}; killed it.\nOutput:\n${tail(this.output())}`,
    );
  }

  /** SIGKILL (a crash, as far as the bot can tell); resolves when the process is gone. */
  kill(): Promise<ExitResult> {
    if (!this.exit) this.child.kill("SIGKILL");
    return this.exited;
  }

  private addLine(line: string): void {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) return;
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        this.logs.push(parsed as LogLine);
    } catch {
      // Not a log line (e.g. a stray console.log); it stays in output().
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * Starts the real bot (`node --import tsx bot/main.ts` in the project root) with a minimal environment:
 * PATH, HOME, NODE_ENV=test, LOG_LEVEL=debug, empty DATABASE_URL/REDIS_URL/DATA_KEY/WEBHOOK_URL/WEBHOOK_SECRET,
 * PORT=0, a temporary DATA_DIR, BOT_TOKEN, STAFF_CHAT_ID, TELEGRAM_API_ROOT, then `options.env`.
 * Resolves once the bot logs `{"msg":"bot started"}`; rejects with the output's tail if it exits or times out
 * first (and kills it).
 */
export async function startBotProcess(options: BotProcessOptions = {}): Promise<BotProcess> {
  const bot = await launchBotProcess(options);
  try {
    bot.readyLine = await bot.waitForLog(options.readyMessage ?? "bot started", {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
    });
  } catch (error) {
    await bot.kill();
    throw error;
  }
  return bot;
}

/** Spawns the bot as {@link startBotProcess} does, without waiting for it to be ready. */
export async function launchBotProcess(options: BotProcessOptions = {}): Promise<BotProcess> {
  const env = mergeEnv(
    baseEnv(),
    ISOLATION_DEFAULTS,
    {
      BOT_TOKEN: options.api?.token,
      STAFF_CHAT_ID: String(options.staffChatId ?? DEFAULT_STAFF_CHAT_ID),
      TELEGRAM_API_ROOT: options.api?.apiRoot,
    },
    options.env ?? {},
  );
  return spawnWithDataDir(options.entry ?? "bot/main.ts", env, options.env ?? {});
}

/** Spawns the bot; without a DATA_DIR of the test's own, gives it a temporary one removed after exit. */
async function spawnWithDataDir(
  entry: string,
  env: Record<string, string>,
  given: Record<string, string | undefined>,
): Promise<BotProcess> {
  if ("DATA_DIR" in given) return new BotProcess(spawnBot(entry, withConfigHome(env)));
  const dir = await tempDataDir();
  return new BotProcess(spawnBot(entry, withConfigHome({ ...env, DATA_DIR: dir.path })), () => dir.remove());
}

/**
 * The embedded key goes to the user's config directory: a test's bot gets one inside its DATA_DIR (unless the
 * test gives XDG_CONFIG_HOME or DATA_KEY_FILE), so that no test writes into the real home directory.
 */
function withConfigHome(env: Record<string, string>): Record<string, string> {
  if (env.XDG_CONFIG_HOME !== undefined || env.DATA_KEY_FILE !== undefined || !env.DATA_DIR) return env;
  return { ...env, XDG_CONFIG_HOME: `${env.DATA_DIR}/.config-home` };
}

/** A TCP port free right now on 127.0.0.1, e.g. for a webhook-mode bot whose WEBHOOK_URL must name its PORT. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The environment of a webhook-mode bot on a free port (for several instances side by side). */
export async function webhookEnv(secret = "s".repeat(32)): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    BOT_MODE: "webhook",
    WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
    WEBHOOK_SECRET: secret,
    PORT: String(port),
  };
}

/** What {@link runBotOnce} observed. */
export interface RunResult extends ExitResult {
  stdout: string;
  stderr: string;
  /** stdout lines that parsed as JSON. */
  logs: LogLine[];
}

/**
 * Runs the bot until it exits by itself (e.g. with a bad configuration) with the minimal environment plus
 * `env` only (no BOT_TOKEN or STAFF_CHAT_ID unless given; the isolation defaults and a temporary DATA_DIR
 * as in {@link startBotProcess}). Rejects, after killing it, if it is still running
 * after `timeoutMs` (default 30 s).
 */
export async function runBotOnce(
  env: Record<string, string | undefined>,
  options: { entry?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const entry = options.entry ?? "bot/main.ts";
  const bot = await spawnWithDataDir(entry, mergeEnv(baseEnv(), ISOLATION_DEFAULTS, env), env);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const result = await Promise.race([bot.exited, timedOut]);
  clearTimeout(timer);
  if (result === "timeout") {
    await bot.kill();
    throw new Error(
      `The bot was expected to exit but still ran after ${timeoutMs} ms.\nOutput:\n${tail(bot.output())}`,
    );
  }
  return { ...result, stdout: bot.stdout(), stderr: bot.stderr(), logs: bot.logs };
}
