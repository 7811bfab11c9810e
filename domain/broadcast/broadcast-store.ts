import type { Broadcast, BroadcastStatus, Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { type Audience, audienceCondition } from "./audience.ts";
import type { BroadcastContent } from "./content.ts";
import { BROADCAST_OUTBOX } from "./outbox-kinds.ts";

/** An officer acting on a broadcast (officers are not protected parties: their id and name are recorded). */
export interface Actor {
  id: number;
  name: string;
}

/** The result of a state change that may have been overtaken (a double tap, another admin, another instance). */
export type Transition = { ok: true; broadcast: Broadcast } | { ok: false; status: BroadcastStatus | null };

/** How many subscribers an audience reaches, in total and per language. */
export interface AudienceCount {
  total: number;
  byLocale: Record<string, number>;
}

/**
 * Broadcasts as admins handle them: drafts, approval, start, pause, resume, cancel, and the list for
 * `/siaran_status`. Every state change is a conditional update (`WHERE status = …`), so of two concurrent
 * presses exactly one wins and the other learns the state it found.
 *
 * DRAFT → (AWAITING_APPROVAL →) SENDING ⇄ PAUSED → DONE, and CANCELLED from any state before DONE.
 */
export function createBroadcastStore(db: PrismaClient) {
  async function transition(
    id: string,
    from: BroadcastStatus[],
    data: Prisma.BroadcastUpdateManyMutationInput,
    extraWhere: Prisma.BroadcastWhereInput = {},
  ): Promise<Transition> {
    const { count } = await db.broadcast.updateMany({
      where: { id, status: { in: from }, ...extraWhere },
      data,
    });
    const broadcast = await db.broadcast.findUnique({ where: { id } });
    if (count === 1 && broadcast) return { ok: true, broadcast };
    return { ok: false, status: broadcast?.status ?? null };
  }

  return {
    /** Subscribers the audience reaches right now, per announcement language. */
    async countAudience(audience: Audience): Promise<AudienceCount> {
      const rows = await db.$queryRaw<Array<{ locale: string; count: number }>>`
        SELECT s.locale, count(*)::int AS count FROM subscriptions s
        WHERE ${audienceCondition(audience)}
        GROUP BY s.locale ORDER BY s.locale`;
      const byLocale: Record<string, number> = {};
      let total = 0;
      for (const row of rows) {
        byLocale[row.locale] = Number(row.count);
        total += Number(row.count);
      }
      return { total, byLocale };
    },

    /** The codes among `codes` that name no ticket. */
    async unknownReportCodes(codes: readonly string[]): Promise<string[]> {
      if (codes.length === 0) return [];
      const found = await db.report.findMany({ where: { code: { in: [...codes] } }, select: { code: true } });
      const known = new Set(found.map((row) => row.code));
      return codes.filter((code) => !known.has(code));
    },

    async createDraft(input: {
      content: BroadcastContent;
      audience: Audience;
      linkedReportCodes: string[];
      createdBy: Actor;
    }): Promise<Broadcast> {
      return db.broadcast.create({
        data: {
          content: input.content as Prisma.InputJsonValue,
          audience: input.audience as Prisma.InputJsonValue,
          linkedReportCodes: input.linkedReportCodes,
          createdById: BigInt(input.createdBy.id),
          createdByName: input.createdBy.name,
        },
      });
    },

    get(id: string): Promise<Broadcast | null> {
      return db.broadcast.findUnique({ where: { id } });
    },

    /** Two-person rule: the author asks another administrator to approve. */
    requestApproval(id: string): Promise<Transition> {
      return transition(id, ["DRAFT"], { status: "AWAITING_APPROVAL" });
    },

    /**
     * Starts sending (from DRAFT, or from AWAITING_APPROVAL by an approver who is not the author), and queues in
     * the same transaction the public channel post and the personal follow-ups of the linked tickets' reporters.
     * The approver of a two-person broadcast may not be its author: checked here, whatever the caller did.
     */
    async start(
      id: string,
      approver: Actor,
      options: { requireApproval: boolean; channelId: string | undefined },
    ): Promise<Transition & { followUps?: number }> {
      return db.$transaction(async (tx) => {
        const where: Prisma.BroadcastWhereInput = options.requireApproval
          ? { id, status: "AWAITING_APPROVAL", createdById: { not: BigInt(approver.id) } }
          : { id, status: { in: ["DRAFT", "AWAITING_APPROVAL"] } };
        const { count } = await tx.broadcast.updateMany({
          where,
          data: {
            status: "SENDING",
            approvedById: BigInt(approver.id),
            approvedByName: approver.name,
            startedAt: new Date(),
          },
        });
        const broadcast = await tx.broadcast.findUnique({ where: { id } });
        if (count !== 1 || !broadcast) return { ok: false as const, status: broadcast?.status ?? null };
        const outbox: Prisma.OutboxMessageCreateManyInput[] = [];
        if (options.channelId) {
          outbox.push({
            kind: BROADCAST_OUTBOX.channelPost,
            dedupeKey: `${BROADCAST_OUTBOX.channelPost}:${id}`,
            payload: { broadcastId: id, channelId: options.channelId },
          });
        }
        const reports = broadcast.linkedReportCodes.length
          ? await tx.report.findMany({
              where: {
                code: { in: broadcast.linkedReportCodes },
                reporterLinkEnc: { not: null },
                personalDataPurgedAt: null,
              },
              select: { id: true },
            })
          : [];
        for (const report of reports) {
          outbox.push({
            kind: BROADCAST_OUTBOX.followUp,
            dedupeKey: `${BROADCAST_OUTBOX.followUp}:${id}:${report.id}`,
            payload: { broadcastId: id, reportId: report.id },
          });
        }
        if (outbox.length) await tx.outboxMessage.createMany({ data: outbox, skipDuplicates: true });
        return { ok: true as const, broadcast, followUps: reports.length };
      });
    },

    pause(id: string): Promise<Transition> {
      return transition(id, ["SENDING"], { status: "PAUSED" });
    },

    resume(id: string): Promise<Transition> {
      return transition(id, ["PAUSED"], { status: "SENDING" });
    },

    /**
     * Cancels. A draft or a request simply ends; a broadcast that was sending keeps what was sent, leaves the
     * rest unsent, and gets its final summary (queued in the same transaction).
     */
    async cancel(id: string): Promise<Transition & { wasSending?: boolean }> {
      return db.$transaction(async (tx) => {
        const before = await tx.broadcast.findUnique({ where: { id }, select: { status: true } });
        const wasSending = before?.status === "SENDING" || before?.status === "PAUSED";
        const { count } = await tx.broadcast.updateMany({
          where: { id, status: { in: ["DRAFT", "AWAITING_APPROVAL", "SENDING", "PAUSED"] } },
          data: { status: "CANCELLED", finishedAt: new Date() },
        });
        const broadcast = await tx.broadcast.findUnique({ where: { id } });
        if (count !== 1 || !broadcast) return { ok: false as const, status: broadcast?.status ?? null };
        if (wasSending) {
          await tx.outboxMessage.createMany({
            data: [
              {
                kind: BROADCAST_OUTBOX.summary,
                dedupeKey: `${BROADCAST_OUTBOX.summary}:${id}`,
                payload: { broadcastId: id },
              },
            ],
            skipDuplicates: true,
          });
        }
        return { ok: true as const, broadcast, wasSending };
      });
    },

    /** Remembers the staff-group message that shows the broadcast's progress. */
    async setProgressMessage(id: string, chatId: number, messageId: number): Promise<void> {
      await db.broadcast.update({
        where: { id },
        data: {
          progressChatId: BigInt(chatId),
          progressMessageId: BigInt(messageId),
          progressEditedAt: new Date(),
        },
      });
    },

    /**
     * Takes the turn to edit a progress message: returns the broadcast when its last edit is at least
     * `minIntervalMs` old (and records this edit), null otherwise. Instances share the turn through the row.
     */
    async takeProgressTurn(id: string, minIntervalMs: number): Promise<Broadcast | null> {
      const cutoff = new Date(Date.now() - minIntervalMs);
      const { count } = await db.broadcast.updateMany({
        where: {
          id,
          progressMessageId: { not: null },
          OR: [{ progressEditedAt: null }, { progressEditedAt: { lte: cutoff } }],
        },
        data: { progressEditedAt: new Date() },
      });
      return count === 1 ? db.broadcast.findUnique({ where: { id } }) : null;
    },

    /** Broadcasts whose progress message may need an edit: sending or paused. */
    inProgress(): Promise<Array<Pick<Broadcast, "id">>> {
      return db.broadcast.findMany({
        where: { status: { in: ["SENDING", "PAUSED"] }, progressMessageId: { not: null } },
        select: { id: true },
        orderBy: { createdAt: "asc" },
        take: 20,
      });
    },

    /**
     * The newest broadcasts that were sent (or started, or await approval), for `/siaran_status`; previews that
     * were edited or dropped are left out.
     */
    recent(limit = 10): Promise<Broadcast[]> {
      return db.broadcast.findMany({
        where: { OR: [{ startedAt: { not: null } }, { status: "AWAITING_APPROVAL" }] },
        orderBy: { createdAt: "desc" },
        take: limit,
      });
    },
  };
}

export type BroadcastStore = ReturnType<typeof createBroadcastStore>;
