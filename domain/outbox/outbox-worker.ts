import type { Logger } from "pino";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { backoffMs } from "../pacing/backoff.ts";
import { createPollingLoop } from "../scheduling/polling-loop.ts";

/** One outbox row handed to its handler. */
export interface OutboxMessage {
  id: bigint;
  kind: string;
  payload: Prisma.JsonValue;
  /** Including this one. */
  attempts: number;
}

/**
 * Delivers one message. Resolve (optionally with a JSON result to record) when delivered; throw
 * {@link RetryLaterError} to try again after a given time (a 429's retry_after), {@link PermanentOutboxError}
 * when retrying cannot help (it is marked FAILED), anything else to retry with backoff.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that records no result simply returns nothing
export type OutboxHandler = (message: OutboxMessage) => Promise<Prisma.InputJsonValue | undefined | void>;

export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    message = "retry later",
  ) {
    super(message);
  }
}

export class PermanentOutboxError extends Error {}

export interface OutboxWorkerOptions {
  db: PrismaClient;
  /** Handlers by kind; the worker claims only these kinds. */
  handlers: Record<string, OutboxHandler>;
  logger: Logger;
  /** How often to look for due messages when idle. */
  pollMs?: number;
  /** Rows claimed at a time; they are handled one after another, in id order (but see `orderKeyField`). */
  batchSize?: number;
  /** A claimed row that is not finished by then (a crashed process) is claimed again. */
  lockMs?: number;
  /**
   * A payload field (e.g. `reportId`) whose value orders the messages that share it: those are handled one after
   * another in id order, the rest of the batch concurrently. A message of a value waiting for a retry, or claimed
   * by another instance, holds back the later messages of that value until it is done or has failed for good.
   * A payload field, not a function of the message: the claim has to see it to hold rows back.
   */
  orderKeyField?: string;
}

export interface OutboxWorker {
  start(): void;
  /** Finishes the messages in hand, then resolves. */
  stop(): Promise<void>;
  /** Looks for due messages now (after a transaction that wrote one). */
  wake(): void;
  /** Claims and handles one batch; returns how many were handled. For tests and benchmarks. */
  runOnce(): Promise<number>;
}

/**
 * Works through the durable outbox: messages written in the same transaction as the change they announce are
 * delivered here, retried until delivered once. Rows are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so
 * several instances share the work and a crashed instance's rows are picked up again.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, handlers, logger } = options;
  const kinds = Object.keys(handlers);
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 10;
  const lockMs = options.lockMs ?? 5 * 60_000;
  const field = options.orderKeyField;

  function claimQuery(): Prisma.Sql {
    const heldBack =
      field === undefined
        ? Prisma.empty
        : Prisma.sql`AND NOT EXISTS (
            SELECT 1 FROM outbox earlier
            WHERE earlier.status = 'PENDING' AND earlier.kind = ANY(${kinds}) AND earlier.id < due.id
              AND earlier.payload->>${field} = due.payload->>${field}
              AND (earlier.available_at > now() OR earlier.locked_until >= now()))`;
    return Prisma.sql`
      UPDATE outbox SET locked_until = now() + make_interval(secs => ${lockMs / 1000}), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox due
        WHERE status = 'PENDING' AND available_at <= now() AND kind = ANY(${kinds})
          AND (locked_until IS NULL OR locked_until < now())
          ${heldBack}
        ORDER BY id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, payload, attempts`;
  }

  async function claim(): Promise<OutboxMessage[]> {
    if (field === undefined) return db.$queryRaw<OutboxMessage[]>(claimQuery());
    // Claims take turns: a claim running beside another would not yet see the rows the other is claiming, and
    // could take the next row of a value whose earlier row the other holds. The lock ends with the transaction.
    const [, claimed] = await db.$transaction([
      db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${kinds.join(",")}`}))`,
      db.$queryRaw<OutboxMessage[]>(claimQuery()),
    ]);
    return claimed;
  }

  /** Delivers one message; false when it is to be tried again later. */
  async function handle(message: OutboxMessage): Promise<boolean> {
    const handler = handlers[message.kind]!;
    try {
      const result = await handler(message);
      await db.outboxMessage.update({
        where: { id: message.id },
        data: {
          status: "DONE",
          payload: withoutWords(message.payload),
          deliveredAt: new Date(),
          lockedUntil: null,
          lastError: null,
          result: result ?? undefined,
        },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 500) : String(error);
      if (error instanceof PermanentOutboxError) {
        logger.error({ outbox_id: message.id, kind: message.kind, reason }, "outbox message failed for good");
        await db.outboxMessage.update({
          where: { id: message.id },
          data: {
            status: "FAILED",
            payload: withoutWords(message.payload),
            lockedUntil: null,
            lastError: reason,
          },
        });
        return true;
      }
      const delay = error instanceof RetryLaterError ? error.delayMs : backoffMs(message.attempts - 1);
      logger.warn(
        { outbox_id: message.id, kind: message.kind, attempts: message.attempts, delay_ms: delay, reason },
        "outbox delivery will be retried",
      );
      await db.outboxMessage.update({
        where: { id: message.id },
        data: { availableAt: new Date(Date.now() + delay), lockedUntil: null, lastError: reason },
      });
      return false;
    }
    return true;
  }

  /** Handles one value's messages in id order; after one that waits for a retry, hands the rest back untried. */
  async function handleInOrder(messages: OutboxMessage[]): Promise<void> {
    for (const [index, message] of messages.entries()) {
      if (await handle(message)) continue;
      const rest = messages.slice(index + 1).map((later) => later.id);
      if (rest.length > 0)
        await db.outboxMessage.updateMany({
          where: { id: { in: rest } },
          data: { lockedUntil: null, attempts: { decrement: 1 } },
        });
      return;
    }
  }

  async function runOnce(): Promise<number> {
    // UPDATE … RETURNING does not keep the subquery's order: restore it, so notices arrive in the order written.
    const batch = (await claim()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (field === undefined) {
      for (const message of batch) await handle(message);
      return batch.length;
    }
    const settled = await Promise.allSettled([...groupBy(batch, field).values()].map(handleInOrder));
    const failure = settled.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
    return batch.length;
  }

  const loop = createPollingLoop(async () => (await runOnce()) > 0, {
    idleMs: pollMs,
    onError: (error) => logger.error({ err: error }, "outbox poll failed"),
  });
  return { ...loop, runOnce };
}

/** Messages by the value of their payload's `field`; a message without one is a group of its own. */
function groupBy(messages: OutboxMessage[], field: string): Map<unknown, OutboxMessage[]> {
  const groups = new Map<unknown, OutboxMessage[]>();
  for (const message of messages) {
    const value = orderValue(message.payload, field) ?? message.id;
    const group = groups.get(value);
    if (group) group.push(message);
    else groups.set(value, [message]);
  }
  return groups;
}

function orderValue(payload: Prisma.JsonValue, field: string): string | undefined {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  const value = payload[field];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Payload fields that hold people's words (a reporter's answer, an officer's question, a caption): needed only
 * until the message is delivered or has failed for good, then cleared (the retention purge clears older rows).
 */
export const OUTBOX_WORD_FIELDS = ["text", "caption"] as const;

/** The payload without {@link OUTBOX_WORD_FIELDS}. */
export function withoutWords(payload: Prisma.JsonValue): Prisma.InputJsonValue {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return payload ?? {};
  const kept = Object.entries(payload).filter(
    ([key]) => !(OUTBOX_WORD_FIELDS as readonly string[]).includes(key),
  );
  return Object.fromEntries(kept) as Prisma.InputJsonValue;
}
