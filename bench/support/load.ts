import { Agent, request } from "node:http";
import type { BenchBot } from "./bot-processes.ts";
import { cpuMs, memoryMb, resetPeakRss } from "./proc-stats.ts";
import type { Update } from "./updates.ts";

/** One simulated citizen: the next update it sends, or undefined when it has nothing more to say. */
export interface Citizen {
  next(): Update | undefined;
}

/** Posts one update to a bot's webhook as Telegram does (JSON, the secret header); resolves with the status. */
export function postUpdate(bot: BenchBot, agent: Agent, update: Update): Promise<number> {
  const body = JSON.stringify(update);
  const url = new URL(bot.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-telegram-bot-api-secret-token": bot.secret,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** What a load run measured on the bot process. */
export interface LoadFigures {
  updates: number;
  seconds: number;
  updatesPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMsPerUpdate: number;
  /** CPU per update less what the process spends idle in the same time (its background polling). */
  netCpuMsPerUpdate: number;
  idleCpuMsPerSecond: number;
  peakRssMb: number;
  rssMb: number;
  failures: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

class Recorder {
  private latencies = new Float64Array(1 << 16);
  count = 0;
  failures = 0;
  add(ms: number): void {
    if (this.count === this.latencies.length) {
      const bigger = new Float64Array(this.latencies.length * 2);
      bigger.set(this.latencies);
      this.latencies = bigger;
    }
    this.latencies[this.count++] = ms;
  }
  sorted(): Float64Array {
    return this.latencies.slice(0, this.count).sort();
  }
}

function figures(bot: BenchBot, recorder: Recorder, seconds: number, cpuBefore: number): LoadFigures {
  const sorted = recorder.sorted();
  const memory = memoryMb(bot.pid);
  const round = (value: number, digits = 1) => Number(value.toFixed(digits));
  return {
    updates: recorder.count,
    seconds: round(seconds),
    updatesPerSecond: Math.round(recorder.count / seconds),
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    cpuMsPerUpdate: round((cpuMs(bot.pid) - cpuBefore) / Math.max(1, recorder.count), 3),
    netCpuMsPerUpdate: round(
      Math.max(0, cpuMs(bot.pid) - cpuBefore - bot.idleCpuMsPerSecond * seconds) /
        Math.max(1, recorder.count),
      3,
    ),
    idleCpuMsPerSecond: Math.round(bot.idleCpuMsPerSecond),
    peakRssMb: Math.round(memory.peak),
    rssMb: Math.round(memory.rss),
    failures: recorder.failures,
  };
}

/**
 * Closed loop: `concurrency` workers, each with its own citizens, send one update, wait for the webhook's answer,
 * send the next (round-robin over the worker's citizens, so one citizen never has two updates in flight). Runs
 * for `seconds` (after `warmupSeconds` not counted) or until `maxUpdates`; a citizen that has finished is
 * replaced by `newCitizen()`.
 */
export async function closedLoop(options: {
  bot: BenchBot;
  concurrency: number;
  citizensPerWorker: number;
  newCitizen: () => Citizen;
  seconds: number;
  warmupSeconds?: number;
  maxUpdates?: number;
  /** Called after every `every` measured updates (the memory benchmark samples RSS). */
  onProgress?: { every: number; call: (updates: number) => void };
}): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const recorder = new Recorder();
  let measuring = false;
  let stop = false;
  let cpuBefore = 0;
  let startedAt = 0;
  const worker = async () => {
    const citizens = Array.from({ length: options.citizensPerWorker }, () => options.newCitizen());
    let turn = 0;
    while (!stop) {
      const slot = turn++ % citizens.length;
      let update = citizens[slot]!.next();
      if (update === undefined) {
        citizens[slot] = options.newCitizen();
        update = citizens[slot]!.next()!;
      }
      const sent = performance.now();
      let status = 0;
      try {
        status = await postUpdate(options.bot, agent, update);
      } catch {
        status = 0;
      }
      if (!measuring) continue;
      if (status !== 200) recorder.failures += 1;
      recorder.add(performance.now() - sent);
      if (options.onProgress && recorder.count % options.onProgress.every === 0)
        options.onProgress.call(recorder.count);
      if (options.maxUpdates !== undefined && recorder.count >= options.maxUpdates) stop = true;
    }
  };
  const workers = Array.from({ length: options.concurrency }, worker);
  await sleep((options.warmupSeconds ?? 2) * 1000);
  resetPeakRss(options.bot.pid);
  cpuBefore = cpuMs(options.bot.pid);
  startedAt = performance.now();
  measuring = true;
  const timer = setTimeout(() => {
    stop = true;
  }, options.seconds * 1000);
  if (options.maxUpdates !== undefined) timer.unref();
  await Promise.all(workers);
  clearTimeout(timer);
  const seconds = (performance.now() - startedAt) / 1000;
  const result = figures(options.bot, recorder, seconds, cpuBefore);
  agent.destroy();
  return result;
}

/**
 * Open loop: updates are due at a fixed offered rate whatever the bot's speed; each goes to the next idle citizen
 * (a citizen waits for the answer before its next step, as a person does). Latency counts from when an update was
 * due, so a bot that falls behind shows it in the percentiles (no coordinated omission).
 */
export async function openLoop(options: {
  bot: BenchBot;
  ratePerSecond: number;
  seconds: number;
  newCitizen: () => Citizen;
  warmupSeconds?: number;
}): Promise<LoadFigures & { offered: number; backlog: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const recorder = new Recorder();
  const idle: Citizen[] = [];
  const due: number[] = [];
  let measuring = false;
  let inFlight = 0;
  let population = 0;
  const maxCitizens = Math.max(64, options.ratePerSecond * 2);
  const begin = performance.now();
  const warmupMs = (options.warmupSeconds ?? 2) * 1000;
  const endMs = warmupMs + options.seconds * 1000;
  let scheduled = 0;
  let cpuBefore = 0;
  let measuredFrom = 0;

  const send = (citizen: Citizen, dueAt: number) => {
    let update = citizen.next();
    if (update === undefined) {
      citizen = options.newCitizen();
      update = citizen.next()!;
    }
    const counted = measuring;
    inFlight += 1;
    void postUpdate(options.bot, agent, update)
      .catch(() => 0)
      .then((status) => {
        inFlight -= 1;
        if (counted) {
          if (status !== 200) recorder.failures += 1;
          recorder.add(performance.now() - dueAt);
          if (!ended) completedInWindow += 1;
        }
        idle.push(citizen);
        dispatch();
      });
  };
  let ended = false;
  let completedInWindow = 0;
  const dispatch = () => {
    while (due.length > 0 && !ended) {
      // A fixed population (two seconds' worth of updates): when all of them wait for an answer, the due update
      // waits too, and its latency shows it.
      let citizen = idle.pop();
      if (!citizen && population < maxCitizens) {
        population += 1;
        citizen = options.newCitizen();
      }
      if (!citizen) return;
      send(citizen, due.shift()!);
    }
  };
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - begin;
      if (!measuring && elapsed >= warmupMs) {
        measuring = true;
        resetPeakRss(options.bot.pid);
        cpuBefore = cpuMs(options.bot.pid);
        measuredFrom = performance.now();
      }
      const target = Math.floor((Math.min(elapsed, endMs) / 1000) * options.ratePerSecond);
      while (scheduled < target) {
        scheduled += 1;
        due.push(begin + (scheduled / options.ratePerSecond) * 1000);
      }
      dispatch();
      if (elapsed >= endMs) {
        ended = true;
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const backlog = due.length;
  const seconds = (performance.now() - measuredFrom) / 1000;
  while (inFlight > 0) await sleep(20);
  const result = figures(options.bot, recorder, seconds, cpuBefore);
  agent.destroy();
  // Achieved: answers within the window (those in flight at its end are waited for, for their latency only).
  return {
    ...result,
    updatesPerSecond: Math.round(completedInWindow / seconds),
    offered: options.ratePerSecond,
    backlog,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
