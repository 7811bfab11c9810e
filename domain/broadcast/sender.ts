import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { backoffMs, classifyTelegramError } from "../pacing/backoff.ts";
import type { SendPacer, SendPermit } from "../pacing/send-pacer.ts";
import { type Audience, parseAudience } from "./audience.ts";
import { type BroadcastContent, parseBroadcastContent } from "./content.ts";
import type {
  ActiveBroadcast,
  ClaimedDelivery,
  DeliveryOutcome,
  DeliveryQueue,
  OutcomeTally,
} from "./delivery-queue.ts";

/** Where one copy goes. */
export interface SendTarget {
  chatId: number;
  /** The subscriber's announcement language (for the unsubscribe button's label). */
  locale: string;
}

/**
 * Sends one copy; resolves when Telegram accepted it, throws what the Bot API client threw otherwise (a grammY
 * `GrammyError` or `HttpError`: classified with {@link classifyTelegramError}). Must not retry by itself.
 */
export type SendCopy = (target: SendTarget, content: BroadcastContent) => Promise<void>;

/** The few logger methods the sender uses (pino fits). Never given chat ids or message text. */
export interface SenderLogger {
  info(data: object, msg: string): void;
  warn(data: object, msg: string): void;
  error(data: object, msg: string): void;
  debug(data: object, msg: string): void;
}

export interface BroadcastSenderOptions {
  queue: DeliveryQueue;
  /** The global pacer shared by every lane (and, through Redis, every instance). */
  pacer: SendPacer;
  send: SendCopy;
  decryptChatId: (ciphertext: string) => number;
  logger: SenderLogger;
  /** Messages per second the deployment may send: sizes the lanes and batches (the pacer enforces it). */
  ratePerSecond: number;
  /** Parallel sender lanes; default {@link lanesFor}(ratePerSecond). */
  lanes?: number;
  /** How long a claim is held before another lane may take it over. Default 15 s. */
  leaseMs?: number;
  /** The longest a send may take (the Bot API client's timeout). Default 5 s. */
  requestTimeoutMs?: number;
  /** Idle poll for new or resumed broadcasts, and how fast a pause or cancel reaches the lanes. Default 500 ms. */
  pollMs?: number;
  /** Recipients listed per materialisation statement. Default 2,000. */
  materializeBatch?: number;
  /** Attempts before a 5xx/network failure is recorded as FAILED. Default 5. */
  maxAttempts?: number;
  /** Called when this instance completed a broadcast (its summary is in the outbox). */
  onCompleted?: (broadcastId: string) => void;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

export interface BroadcastSender {
  start(): void;
  /** Lets the message in flight finish and be recorded, gives the other claimed rows back, then resolves. */
  stop(): Promise<void>;
  /** Looks for work now (after a broadcast was started, resumed, paused or cancelled in this process). */
  wake(): void;
  /** Sender lanes running in this process. */
  readonly lanes: number;
}

/**
 * Lanes for a rate: each lane has one message in flight at a time, so a lane manages about 1 / (Telegram's
 * latency + one database write) messages per second: ~6/s is a safe guess for a server far from Telegram's.
 * At most 16 lanes: beyond that the database, not Telegram, is the bottleneck.
 */
export function lanesFor(ratePerSecond: number): number {
  return Math.min(16, Math.max(1, Math.ceil(ratePerSecond / 6)));
}

const MAX_BATCH = 200;
const TALLY_KEY = { SENT: "sent", BLOCKED: "blocked", FAILED: "failed", SKIPPED: "skipped" } as const;
const MAX_RETRY_AFTER_PER_ROW = 5;

class Stopped extends Error {}

/**
 * The durable announcement sender of one process: several lanes, each claiming a small batch of deliveries
 * (`FOR UPDATE SKIP LOCKED`, with a lease) and sending them one at a time through the global pacer; one
 * housekeeper listing recipients in batches and completing broadcasts with nothing pending; a poll of which
 * broadcasts are SENDING (a pause or cancel reaches the lanes within `pollMs`, at once in this process).
 *
 * Exactly once, as far as it can be had:
 * - a row is sent only by the lane holding its lease, and only while at least `requestTimeoutMs` + 2 s of the
 *   lease remain (measured from before the claim was made, on this process' clock): a lane that stalls gives its
 *   rows back instead of racing the lane that takes them over;
 * - each result is written right after its send, in one statement, so a crash can lose at most the record of the
 *   one message each lane had in flight: that recipient gets the announcement a second time after the lease
 *   (the one unavoidable window of any sender that cannot make Telegram and PostgreSQL commit together);
 * - a request that times out may still have been delivered by Telegram; it is retried (same window).
 *
 * Errors: 429 pauses the pacer (every lane, every instance) for `retry_after` and retries the row; 5xx and
 * network errors retry the row later with exponential backoff and full jitter; 403 (and 400 "chat not found")
 * marks it BLOCKED and unsubscribes; other 4xx mark it FAILED without retry.
 */
export function createBroadcastSender(options: BroadcastSenderOptions): BroadcastSender {
  const { queue, pacer, send, logger } = options;
  const now = options.now ?? (() => performance.now());
  const lanes = options.lanes ?? lanesFor(options.ratePerSecond);
  const leaseMs = options.leaseMs ?? 15_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  const sendBudgetMs = Math.max(1_000, leaseMs - requestTimeoutMs - 2_000);
  const pollMs = options.pollMs ?? 500;
  const materializeBatch = options.materializeBatch ?? 2_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const instance = randomUUID().slice(0, 8);

  let running = false;
  let abort = new AbortController();
  let loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  /** SENDING broadcasts, refreshed every `pollMs`; a broadcast missing here is not sent (paused, cancelled). */
  let active: ActiveBroadcast[] = [];
  const parsed = new Map<string, { content: BroadcastContent; audience: Audience } | null>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (!running) return resolve();
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  const wakeAll = () => {
    for (const wake of [...wakers]) wake();
  };
  const isSending = (id: string) => active.some((broadcast) => broadcast.id === id);

  function detailsOf(broadcast: ActiveBroadcast) {
    if (!parsed.has(broadcast.id)) {
      try {
        parsed.set(broadcast.id, {
          content: parseBroadcastContent(broadcast.content),
          audience: parseAudience(broadcast.audience),
        });
      } catch (error) {
        logger.error(
          { broadcast_id: broadcast.id, err: error },
          "a broadcast's stored content is unreadable",
        );
        parsed.set(broadcast.id, null);
      }
    }
    return parsed.get(broadcast.id) ?? null;
  }

  /** Refreshes may overlap (the poll and a wake): only a newer answer replaces an older one. */
  let refreshes = 0;
  let applied = 0;
  async function refresh(): Promise<void> {
    const sequence = ++refreshes;
    const fresh = await queue.activeBroadcasts();
    if (sequence < applied) return;
    applied = sequence;
    const before = new Set(active.map((broadcast) => broadcast.id));
    active = fresh;
    const ids = new Set(active.map((broadcast) => broadcast.id));
    for (const id of parsed.keys()) if (!ids.has(id)) parsed.delete(id);
    if (active.some((broadcast) => !before.has(broadcast.id))) wakeAll();
  }

  async function watchLoop(): Promise<void> {
    while (running) {
      try {
        await refresh();
      } catch (error) {
        logger.error({ err: error }, "broadcast poll failed");
      }
      await sleep(pollMs);
    }
  }

  /** Lists recipients of broadcasts whose audience is incomplete; completes broadcasts with nothing pending. */
  async function housekeepingLoop(): Promise<void> {
    while (running) {
      const pending = active.find((broadcast) => !broadcast.audienceReady && detailsOf(broadcast));
      if (!pending) {
        for (const broadcast of [...active])
          if (broadcast.audienceReady && running) await complete(broadcast.id);
        await sleep(pollMs);
        continue;
      }
      try {
        const { audience } = detailsOf(pending)!;
        const { inserted, complete } = await queue.materialize(pending.id, audience, materializeBatch);
        if (inserted > 0) wakeAll();
        if (complete) {
          pending.audienceReady = true;
          logger.info({ broadcast_id: pending.id }, "broadcast recipients listed");
          wakeAll();
        }
      } catch (error) {
        logger.error({ broadcast_id: pending.id, err: error }, "listing broadcast recipients failed");
        await sleep(pollMs * 2);
      }
    }
  }

  async function laneLoop(index: number): Promise<void> {
    const lane = `${instance}:${index}`;
    let batchSize = Math.min(MAX_BATCH, Math.max(1, Math.ceil(options.ratePerSecond / lanes)));
    // A lane never sends faster than its share of the configured rate for long: the first sends of a broadcast
    // go out at once (the pacer's window is empty) and would otherwise make one instance claim everything,
    // leaving nothing to the others and holding it all under lease if it dies.
    const longestBatch = Math.min(MAX_BATCH, Math.max(1, Math.ceil((options.ratePerSecond / lanes) * 2)));
    /** Where this lane's last claim ended, per broadcast. */
    const cursors = new Map<string, bigint>();
    while (running) {
      let worked = false;
      for (const broadcast of [...active]) {
        const details = detailsOf(broadcast);
        if (!details || !running) continue;
        const claimedAt = now();
        let rows: ClaimedDelivery[];
        try {
          const after = cursors.get(broadcast.id) ?? 0n;
          rows = await queue.claim(broadcast.id, lane, batchSize, leaseMs, after);
          if (rows.length === 0 && after > 0n)
            rows = await queue.claim(broadcast.id, lane, batchSize, leaseMs);
          const last = rows.at(-1);
          if (last) cursors.set(broadcast.id, last.id);
        } catch (error) {
          logger.error({ broadcast_id: broadcast.id, err: error }, "claiming broadcast deliveries failed");
          await sleep(pollMs * 2);
          break;
        }
        if (rows.length === 0) continue;
        worked = true;
        const { done, cut } = await sendBatch(lane, broadcast.id, details.content, rows, claimedAt);
        const elapsed = Math.max(1, now() - claimedAt);
        logger.debug(
          { broadcast_id: broadcast.id, lane, claimed: rows.length, finished: done, ms: Math.round(elapsed) },
          "broadcast batch handled",
        );
        // Aim at batches of about two seconds of this lane's pace; halve after running out of lease.
        batchSize = cut
          ? Math.max(1, Math.floor(done / 2))
          : Math.min(longestBatch, Math.max(1, Math.ceil((done / elapsed) * 2_000)));
        break;
      }
      // Nothing due: rows wait for a retry or belong to other lanes. New rows wake the lanes.
      if (!worked) await sleep(pollMs);
    }
  }

  async function complete(broadcastId: string): Promise<void> {
    try {
      if (await queue.tryComplete(broadcastId)) {
        logger.info({ broadcast_id: broadcastId }, "broadcast completed");
        active = active.filter((broadcast) => broadcast.id !== broadcastId);
        options.onCompleted?.(broadcastId);
      }
    } catch (error) {
      logger.error({ broadcast_id: broadcastId, err: error }, "completing a broadcast failed");
    }
  }

  /** Writes a result, retrying a few times: a lost write means a second copy after the lease. */
  async function record(write: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  async function sendBatch(
    lane: string,
    broadcastId: string,
    content: BroadcastContent,
    rows: ClaimedDelivery[],
    claimedAt: number,
  ): Promise<{ done: number; cut: boolean }> {
    const todo = [...rows];
    const retryAfterCount = new Map<bigint, number>();
    const tally: OutcomeTally = { sent: 0, blocked: 0, failed: 0, skipped: 0 };
    const finish = async (row: ClaimedDelivery, outcome: DeliveryOutcome) => {
      let finished = false;
      await record(async () => {
        finished = await queue.finish(row.id, outcome);
      });
      if (finished) tally[TALLY_KEY[outcome.status]]++;
    };
    let done = 0;
    let cut = false;
    try {
      while (todo.length > 0) {
        if (!running || !isSending(broadcastId)) break;
        const row = todo[0]!;
        if (!row.active) {
          todo.shift();
          await finish(row, { status: "SKIPPED", reason: "unsubscribed before delivery" });
          done++;
          continue;
        }
        let permit: SendPermit;
        try {
          permit = await pacer.acquire({ signal: abort.signal });
        } catch {
          throw new Stopped();
        }
        if (now() - claimedAt > sendBudgetMs) {
          permit.done();
          cut = true;
          break;
        }
        if (!isSending(broadcastId)) {
          permit.done();
          break;
        }
        todo.shift();
        let chatId: number;
        try {
          chatId = options.decryptChatId(row.chatIdEnc);
        } catch {
          permit.done();
          await finish(row, { status: "FAILED", reason: "chat id cannot be decrypted" });
          done++;
          continue;
        }
        let outcome: DeliveryOutcome | { status: "RETRY"; delayMs: number; reason: string } | undefined;
        try {
          try {
            await send({ chatId, locale: row.locale }, content);
          } finally {
            permit.done();
          }
          outcome = { status: "SENT" };
        } catch (error) {
          const kind = classifyTelegramError(error);
          const reason = describe(error);
          switch (kind.kind) {
            case "retryAfter": {
              await pacer.pauseFor(kind.seconds * 1000);
              logger.warn(
                { broadcast_id: broadcastId, retry_after: kind.seconds },
                "Telegram asked to slow down: sending paused",
              );
              const seen = (retryAfterCount.get(row.id) ?? 0) + 1;
              retryAfterCount.set(row.id, seen);
              if (seen < MAX_RETRY_AFTER_PER_ROW) todo.unshift(row);
              else outcome = { status: "RETRY", delayMs: kind.seconds * 1000, reason };
              break;
            }
            case "blocked":
              outcome = { status: "BLOCKED", reason };
              break;
            case "badRequest":
              outcome = { status: "FAILED", reason };
              break;
            default: {
              const attempts = row.attempts + 1;
              outcome =
                attempts >= maxAttempts
                  ? { status: "FAILED", reason: `gave up after ${attempts} attempts: ${reason}` }
                  : {
                      status: "RETRY",
                      delayMs: backoffMs(attempts - 1, { baseMs: 1_000, maxMs: 60_000 }),
                      reason,
                    };
            }
          }
        }
        if (!outcome) continue;
        const final = outcome;
        if (final.status === "RETRY") {
          await record(() => queue.retryLater(row.id, final.delayMs, final.reason));
        } else {
          await finish(row, final);
        }
        done++;
      }
    } catch (error) {
      if (!(error instanceof Stopped)) {
        logger.error({ broadcast_id: broadcastId, err: error }, "a broadcast batch failed");
      }
    } finally {
      await queue.addCounts(broadcastId, tally).catch((error: unknown) => {
        // Only the running counters lag; completion sets them exactly from the deliveries.
        logger.warn({ broadcast_id: broadcastId, err: error }, "could not add to a broadcast's counters");
      });
      if (todo.length > 0) {
        await queue
          .release(
            todo.map((row) => row.id),
            lane,
          )
          .catch((error: unknown) => {
            logger.warn({ broadcast_id: broadcastId, err: error }, "could not give claimed deliveries back");
          });
      }
    }
    return { done, cut };
  }

  return {
    lanes,
    start() {
      if (running) return;
      running = true;
      abort = new AbortController();
      // Every lane waits on the pacer with this signal: more listeners than Node's default warning threshold.
      setMaxListeners(lanes + 8, abort.signal);
      loops = [watchLoop(), housekeepingLoop(), ...Array.from({ length: lanes }, (_, i) => laneLoop(i))];
      logger.info({ lanes, lease_ms: leaseMs }, "broadcast sender started");
    },
    async stop() {
      if (!running) return;
      running = false;
      abort.abort(new Stopped());
      wakeAll();
      await Promise.allSettled(loops);
      loops = [];
    },
    wake() {
      void refresh()
        .catch(() => undefined)
        .finally(wakeAll);
    },
  };
}

/** A short description of a failed call for `last_error`: Telegram's own words, never the payload. */
function describe(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { error_code: code, description } = error as { error_code?: unknown; description?: unknown };
    if (typeof code === "number")
      return `${code} ${typeof description === "string" ? description : ""}`.trim();
    if (error instanceof Error) return error.message.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
