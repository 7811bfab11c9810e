import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { type Audience, audienceCondition } from "./audience.ts";
import { BROADCAST_OUTBOX } from "./outbox-kinds.ts";

/**
 * The per-recipient state of announcements in PostgreSQL (`broadcast_deliveries`), worked through by sender
 * lanes on any number of instances:
 *
 * - {@link DeliveryQueue.materialize} lists recipients in keyset batches (never all in memory) until the audience
 *   is complete; the unique (broadcast, subscription) pair makes a repeated or concurrent batch harmless.
 * - {@link DeliveryQueue.claim} takes due PENDING rows with `FOR UPDATE SKIP LOCKED` and a lease
 *   (`claimed_by`, `locked_until`): two lanes never hold the same row, and the rows of a lane that died are
 *   taken over once its lease runs out.
 * - Each outcome is written in ONE statement (for a blocked recipient with the unsubscription), and a row is
 *   only finished while it is still PENDING, so a late writer can never finish a recipient twice. The
 *   broadcast's counters are NOT updated per recipient: one hot row updated by every lane would serialise all
 *   of them on its lock and its commit (measured: ~250 messages/s whatever the rate). Lanes add their tallies
 *   once per batch ({@link DeliveryQueue.addCounts}); completion sets them exactly from the deliveries.
 *
 * Timestamps are written as UTC (`now() AT TIME ZONE 'UTC'`), as Prisma does, whatever the session time zone.
 */

const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** A claimed recipient. `chatIdEnc` is the encrypted chat id (decrypt it right before sending). */
export interface ClaimedDelivery {
  id: bigint;
  /** Attempts recorded before this claim. */
  attempts: number;
  chatIdEnc: string;
  locale: string;
  /** False when the subscriber left after being listed: skip, do not send. */
  active: boolean;
}

/** A broadcast being sent, as the sender needs it. */
export interface ActiveBroadcast {
  id: string;
  content: unknown;
  audience: unknown;
  audienceReady: boolean;
}

/** Final outcomes of one delivery. */
export type DeliveryOutcome =
  | { status: "SENT" }
  | { status: "BLOCKED"; reason: string }
  | { status: "FAILED"; reason: string }
  | { status: "SKIPPED"; reason: string };

/** Outcomes counted by a lane since its last flush. */
export interface OutcomeTally {
  sent: number;
  blocked: number;
  failed: number;
  skipped: number;
}

/** The exact counters of a broadcast, from its deliveries (a subquery on `broadcast_deliveries`). */
const exactCounts = (broadcastId: string) => Prisma.sql`
  SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent,
         count(*) FILTER (WHERE status = 'BLOCKED')::int AS blocked,
         count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
         count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped
  FROM broadcast_deliveries WHERE broadcast_id = ${broadcastId}::uuid`;

const clip = (text: string) => text.slice(0, 500);

export function createDeliveryQueue(db: PrismaClient) {
  return {
    /** Broadcasts in SENDING, in the order they started. */
    async activeBroadcasts(): Promise<ActiveBroadcast[]> {
      const rows = await db.broadcast.findMany({
        where: { status: "SENDING" },
        orderBy: [{ startedAt: "asc" }, { id: "asc" }],
        select: { id: true, content: true, audience: true, audienceReadyAt: true },
        take: 20,
      });
      return rows.map((row) => ({
        id: row.id,
        content: row.content,
        audience: row.audience,
        audienceReady: row.audienceReadyAt !== null,
      }));
    },

    /**
     * Lists the next `batchSize` recipients after the last one listed (subscriptions in id order) and adds them
     * to `total`; marks the audience complete when fewer than `batchSize` were left. One statement: a crash
     * leaves either the whole batch with its count or nothing.
     */
    async materialize(
      broadcastId: string,
      audience: Audience,
      batchSize: number,
    ): Promise<{ inserted: number; complete: boolean }> {
      const [row] = await db.$queryRaw<Array<{ picked: number; inserted: number }>>`
        WITH last AS (
          SELECT subscription_id AS id FROM broadcast_deliveries
          WHERE broadcast_id = ${broadcastId}::uuid
          ORDER BY subscription_id DESC LIMIT 1
        ), picked AS (
          SELECT s.id FROM subscriptions s
          WHERE ${audienceCondition(audience)}
            AND s.id > coalesce((SELECT id FROM last), '00000000-0000-0000-0000-000000000000'::uuid)
          ORDER BY s.id
          LIMIT ${batchSize}
        ), ins AS (
          INSERT INTO broadcast_deliveries (broadcast_id, subscription_id, status, attempts, available_at, updated_at)
          SELECT ${broadcastId}::uuid, id, 'PENDING', 0, ${NOW}, ${NOW} FROM picked
          ON CONFLICT (broadcast_id, subscription_id) DO NOTHING
          RETURNING 1
        ), counted AS (
          SELECT (SELECT count(*) FROM picked)::int AS picked, (SELECT count(*) FROM ins)::int AS inserted
        ), updated AS (
          UPDATE broadcasts SET
            total = total + counted.inserted,
            audience_ready_at = CASE WHEN counted.picked < ${batchSize} THEN ${NOW} ELSE NULL END,
            updated_at = ${NOW}
          FROM counted
          WHERE broadcasts.id = ${broadcastId}::uuid AND broadcasts.audience_ready_at IS NULL
          RETURNING 1
        )
        SELECT picked, inserted FROM counted`;
      const picked = Number(row?.picked ?? 0);
      return { inserted: Number(row?.inserted ?? 0), complete: picked < batchSize };
    },

    /**
     * Claims up to `limit` due PENDING deliveries of a broadcast for `lane` until `leaseMs` from now, with the
     * subscription's encrypted chat id and language. `afterId` starts the scan after a lane's last claim: the
     * index entries of rows already finished are skipped instead of walked through at every claim (a lane
     * scans from the start again when nothing is left after it, for released and retried rows).
     */
    async claim(
      broadcastId: string,
      lane: string,
      limit: number,
      leaseMs: number,
      afterId: bigint = 0n,
    ): Promise<ClaimedDelivery[]> {
      const rows = await db.$queryRaw<
        Array<{ id: bigint; attempts: number; chat_id_enc: string; locale: string; active: boolean }>
      >`
        UPDATE broadcast_deliveries d
        SET claimed_by = ${lane}, locked_until = ${NOW} + make_interval(secs => ${leaseMs / 1000})
        FROM subscriptions s
        WHERE s.id = d.subscription_id AND d.id IN (
          SELECT id FROM broadcast_deliveries
          WHERE broadcast_id = ${broadcastId}::uuid AND status = 'PENDING' AND id > ${afterId}
            AND available_at <= ${NOW} AND (locked_until IS NULL OR locked_until < ${NOW})
          ORDER BY id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.attempts, s.chat_id_enc, s.locale, s.active`;
      return rows
        .map((row) => ({
          id: BigInt(row.id),
          attempts: Number(row.attempts),
          chatIdEnc: row.chat_id_enc,
          locale: row.locale,
          active: row.active,
        }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    /**
     * Records the final outcome of a delivery; a BLOCKED recipient is unsubscribed in the same statement.
     * Returns false when the row was no longer PENDING (someone else finished it): do not count it then.
     */
    async finish(id: bigint, outcome: DeliveryOutcome): Promise<boolean> {
      const reason = outcome.status === "SENT" ? null : clip(outcome.reason);
      const sentAt = outcome.status === "SENT" ? NOW : Prisma.sql`NULL`;
      const unsubscribe =
        outcome.status === "BLOCKED"
          ? Prisma.sql`, unsubscribed AS (
              UPDATE subscriptions SET active = false, unsubscribed_at = ${NOW}, updated_at = ${NOW}
              FROM done WHERE subscriptions.id = done.subscription_id AND subscriptions.active
              RETURNING 1)`
          : Prisma.empty;
      const rows = await db.$queryRaw<Array<{ finished: number }>>`
        WITH done AS (
          UPDATE broadcast_deliveries SET
            status = ${outcome.status}::"DeliveryStatus", attempts = attempts + ${outcome.status === "SKIPPED" ? 0 : 1},
            sent_at = ${sentAt}, last_error = ${reason}, claimed_by = NULL, locked_until = NULL, updated_at = ${NOW}
          WHERE id = ${id} AND status = 'PENDING'
          RETURNING broadcast_id, subscription_id
        )${unsubscribe}
        SELECT count(*)::int AS finished FROM done`;
      return Number(rows[0]?.finished ?? 0) > 0;
    },

    /**
     * Adds a lane's tally to the broadcast's counters while it runs (after DONE or CANCELLED the counters are
     * exact already and stay as they are).
     */
    async addCounts(broadcastId: string, tally: OutcomeTally): Promise<void> {
      if (tally.sent + tally.blocked + tally.failed + tally.skipped === 0) return;
      await db.$executeRaw`
        UPDATE broadcasts SET sent = sent + ${tally.sent}, blocked = blocked + ${tally.blocked},
          failed = failed + ${tally.failed}, skipped = skipped + ${tally.skipped}
        WHERE id = ${broadcastId}::uuid AND status IN ('SENDING', 'PAUSED')`;
    },

    /** Sets the broadcast's counters exactly from its deliveries (for its summary). */
    async reconcileCounts(broadcastId: string): Promise<void> {
      await db.$executeRaw`
        UPDATE broadcasts SET sent = c.sent, blocked = c.blocked, failed = c.failed, skipped = c.skipped
        FROM (${exactCounts(broadcastId)}) c
        WHERE broadcasts.id = ${broadcastId}::uuid`;
    },

    /** A failed attempt to retry after `delayMs` (5xx, network): counted as an attempt, released. */
    async retryLater(id: bigint, delayMs: number, reason: string): Promise<void> {
      await db.$executeRaw`
        UPDATE broadcast_deliveries SET
          attempts = attempts + 1, last_error = ${clip(reason)},
          available_at = ${NOW} + make_interval(secs => ${delayMs / 1000}),
          claimed_by = NULL, locked_until = NULL, updated_at = ${NOW}
        WHERE id = ${id} AND status = 'PENDING'`;
    },

    /** Gives claimed rows back untouched (a lane stopping, pausing, or near the end of its lease). */
    async release(ids: readonly bigint[], lane: string): Promise<void> {
      if (ids.length === 0) return;
      await db.$executeRaw`
        UPDATE broadcast_deliveries SET claimed_by = NULL, locked_until = NULL
        WHERE id IN (${Prisma.join(ids)}) AND claimed_by = ${lane} AND status = 'PENDING'`;
    },

    /**
     * Marks a broadcast DONE when its audience is complete and no delivery is pending, with exact counters, and
     * queues its final summary in the same statement. True for the one caller that completed it.
     */
    async tryComplete(broadcastId: string): Promise<boolean> {
      const rows = await db.$queryRaw<Array<{ id: bigint }>>`
        WITH counts AS (${exactCounts(broadcastId)}), done AS (
          UPDATE broadcasts SET status = 'DONE', finished_at = ${NOW}, updated_at = ${NOW},
            sent = counts.sent, blocked = counts.blocked, failed = counts.failed, skipped = counts.skipped
          FROM counts
          WHERE id = ${broadcastId}::uuid AND status = 'SENDING' AND audience_ready_at IS NOT NULL
            AND NOT EXISTS (
              SELECT 1 FROM broadcast_deliveries WHERE broadcast_id = ${broadcastId}::uuid AND status = 'PENDING')
          RETURNING id
        )
        INSERT INTO outbox (kind, dedupe_key, payload, updated_at)
        SELECT ${BROADCAST_OUTBOX.summary}, ${`${BROADCAST_OUTBOX.summary}:`} || id::text,
          jsonb_build_object('broadcastId', id::text), ${NOW}
        FROM done
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id`;
      return rows.length > 0;
    },

    /** Pending deliveries that are neither claimed nor waiting for a retry (for tests and diagnostics). */
    async pendingCount(broadcastId: string): Promise<number> {
      return db.broadcastDelivery.count({ where: { broadcastId, status: "PENDING" } });
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
