import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import {
  type Accepted,
  type ReportStatus,
  statusNoticeKey,
  type TicketEventType,
} from "../ticket/workflow.ts";
import { type NoticePayload, TRIAGE_OUTBOX } from "./outbox-kinds.ts";

/** What every triage read of a ticket includes: the evidence count and the tickets of its case. */
export const TICKET_INCLUDE = {
  _count: { select: { evidence: true } },
  case: {
    select: {
      id: true,
      reporterCount: true,
      reports: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, code: true, status: true },
      },
    },
  },
} satisfies Prisma.ReportInclude;

/** A ticket (a `Report` row) as the triage feature reads it. */
export type Ticket = Prisma.ReportGetPayload<{ include: typeof TICKET_INCLUDE }>;

/** An officer as the audit trail records them (officers are not protected parties: id and display name). */
export interface StaffIdentity {
  id: bigint;
  name: string;
}

/** An outbox row to write in the same transaction as a decision. */
export interface OutboxRow {
  kind: string;
  dedupeKey: string;
  payload: Prisma.InputJsonValue;
}

export type ApplyResult =
  | { ok: true; ticket: Ticket; eventId: bigint }
  /** The ticket changed since it was read (another officer was first): `current` is the fresh row. */
  | { ok: false; current: Ticket | null };

/** Events that are not an action on the ticket, left out of "last action" on the card. */
const BOOKKEEPING_EVENTS: TicketEventType[] | string[] = ["CREATED", "CARD_POSTED", "REMINDER_SENT"];

/**
 * A status change on one ticket of a case is the case's: the other tickets take the same status, officer,
 * destination or reason, each with its own STATUS_CHANGED event ("case <code>") and, with `notify`, its own
 * notice, so every reporter of the case hears of it with their own code. Returns those notices' outbox rows.
 */
async function mirrorToCase(
  tx: Prisma.TransactionClient,
  ticket: Ticket,
  data: Prisma.ReportUpdateManyMutationInput,
  decision: Accepted,
  who: StaffIdentity | null,
  notify: boolean,
): Promise<OutboxRow[]> {
  const others = await tx.report.findMany({
    where: { caseId: ticket.caseId, id: { not: ticket.id } },
    select: { id: true, status: true },
  });
  if (others.length === 0) return [];
  const { patch } = decision;
  await tx.report.updateMany({
    where: { id: { in: others.map((other) => other.id) } },
    data: {
      ...data,
      assigneeName: data.assigneeName ?? (decision.assigneeId === null ? null : ticket.assigneeName),
    },
  });
  const rows: OutboxRow[] = [];
  for (const other of others) {
    const event = await tx.reportEvent.create({
      data: {
        reportId: other.id,
        type: "STATUS_CHANGED",
        actorId: who?.id ?? null,
        actorName: who?.name ?? null,
        fromStatus: other.status,
        toStatus: decision.toStatus,
        note: `case ${ticket.code}`,
      },
    });
    if (notify && other.status !== decision.toStatus && statusNoticeKey(decision.toStatus) !== null) {
      const payload: NoticePayload = {
        reportId: other.id,
        status: decision.toStatus,
        fromStatus: other.status,
        forwardedTo: patch.forwardedTo ?? null,
        rejectReason: patch.rejectReason ?? null,
        duplicateOfCode: patch.duplicateOfCode ?? null,
      };
      rows.push({ kind: TRIAGE_OUTBOX.notice, dedupeKey: `${TRIAGE_OUTBOX.notice}:${event.id}`, payload });
    }
  }
  return rows;
}

/**
 * Tickets for the officers: read, apply a workflow decision with the conditional update that makes concurrent
 * presses safe (see `expectedState` in domain/ticket/workflow.ts), append audit events, record the posted card.
 */
export function createTicketStore(db: PrismaClient) {
  const byId = (id: string) => db.report.findUnique({ where: { id }, include: TICKET_INCLUDE });

  return {
    byId,
    byCode: (code: string) => db.report.findUnique({ where: { code }, include: TICKET_INCLUDE }),

    /** The newest event that was an action (claim, status change, question, answer…), for the card's footer. */
    lastAction: (reportId: string) =>
      db.reportEvent.findFirst({
        where: { reportId, type: { notIn: BOOKKEEPING_EVENTS as never[] } },
        orderBy: { id: "desc" },
      }),

    /** The newest `limit` events, oldest first. */
    async history(reportId: string, limit: number) {
      const events = await db.reportEvent.findMany({
        where: { reportId },
        orderBy: { id: "desc" },
        take: limit,
      });
      return events.reverse();
    },

    /** Events of a ticket in total (to say "n earlier events not shown"). */
    countEvents: (reportId: string) => db.reportEvent.count({ where: { reportId } }),

    evidence: (reportId: string) =>
      db.evidence.findMany({ where: { reportId }, orderBy: { position: "asc" } }),

    /**
     * Applies an accepted decision: ONE conditional update that must still find the state the decision was made
     * on, then, in the same transaction, the audit event, the reporter's status notice (when the status changed
     * and `notify` is set) and any further outbox rows. Exactly one of two concurrent claims matches; the other
     * gets `{ ok: false, current }` to decide again.
     */
    async apply(
      ticket: Ticket,
      decision: Accepted,
      who: StaffIdentity | null,
      options: { note?: string | null; notify?: boolean; outbox?: (eventId: bigint) => OutboxRow[] } = {},
    ): Promise<ApplyResult> {
      const { expected, patch } = decision;
      const data: Prisma.ReportUpdateManyMutationInput = {
        status: decision.toStatus,
        assigneeId: decision.assigneeId,
      };
      if (decision.assigneeId === null) data.assigneeName = null;
      else if (decision.assigneeId !== ticket.assigneeId && who && decision.assigneeId === who.id) {
        data.assigneeName = who.name;
      }
      if ("forwardedTo" in patch) data.forwardedTo = patch.forwardedTo;
      if ("rejectReason" in patch) data.rejectReason = patch.rejectReason;
      if ("duplicateOfCode" in patch) data.duplicateOfCode = patch.duplicateOfCode;
      if ("closedAt" in patch) data.closedAt = patch.closedAt === "now" ? new Date() : null;
      // The first question to the reporter starts the legal extension (domain/legal-clock/deadlines.ts).
      if (decision.event.type === "QUESTION_ASKED" && !ticket.infoRequestedAt)
        data.infoRequestedAt = new Date();

      const eventId = await db.$transaction(async (tx) => {
        const { count } = await tx.report.updateMany({
          where: { id: ticket.id, status: expected.status, assigneeId: expected.assigneeId },
          data,
        });
        if (count !== 1) return null;
        const event = await tx.reportEvent.create({
          data: {
            reportId: ticket.id,
            type: decision.event.type,
            actorId: who?.id ?? null,
            actorName: who?.name ?? null,
            fromStatus: decision.event.fromStatus,
            toStatus: decision.event.toStatus,
            note: options.note ?? null,
          },
        });
        const rows = options.outbox?.(event.id) ?? [];
        const { fromStatus, toStatus } = decision.event;
        const siblings =
          fromStatus !== toStatus && ticket.caseId
            ? await mirrorToCase(tx, ticket, data, decision, who, options.notify === true)
            : [];
        rows.push(...siblings);
        if (options.notify && fromStatus !== toStatus && statusNoticeKey(toStatus) !== null) {
          const payload: NoticePayload = {
            reportId: ticket.id,
            status: toStatus,
            fromStatus,
            forwardedTo: patch.forwardedTo ?? null,
            rejectReason: patch.rejectReason ?? null,
            duplicateOfCode: patch.duplicateOfCode ?? null,
          };
          rows.push({
            kind: TRIAGE_OUTBOX.notice,
            dedupeKey: `${TRIAGE_OUTBOX.notice}:${event.id}`,
            payload,
          });
        }
        if (rows.length > 0) await tx.outboxMessage.createMany({ data: rows, skipDuplicates: true });
        return event.id;
      });
      const fresh = await byId(ticket.id);
      if (eventId === null || !fresh) return { ok: false, current: fresh };
      return { ok: true, ticket: fresh, eventId };
    },

    /**
     * Appends an event that changes nothing else (contact revealed, answer relayed). With outbox rows, the rows
     * are written first and the event only when at least one of them is new: a redelivered update (same dedupe
     * keys) records nothing twice. Returns the event id, or null when nothing was new.
     */
    async recordEvent(
      reportId: string,
      event: {
        type: TicketEventType | "ANSWER_RELAYED" | "FORM_ISSUED";
        status?: ReportStatus;
        note?: string | null;
      },
      who: StaffIdentity | null,
      outbox: OutboxRow[] = [],
    ): Promise<bigint | null> {
      return db.$transaction(async (tx) => {
        if (outbox.length > 0) {
          const { count } = await tx.outboxMessage.createMany({ data: outbox, skipDuplicates: true });
          if (count === 0) return null;
        }
        const row = await tx.reportEvent.create({
          data: {
            reportId,
            type: event.type,
            actorId: who?.id ?? null,
            actorName: who?.name ?? null,
            fromStatus: event.status ?? null,
            toStatus: event.status ?? null,
            note: event.note ?? null,
          },
        });
        return row.id;
      });
    },

    /**
     * Turns an anonymous ticket into a formal (identified) report: the reporter's encrypted name, phone and
     * witnesses, `anonymous = false`, and an IDENTIFIED event, in one transaction. Only while still anonymous:
     * false when it was not (a second tap, or another instance was first).
     */
    async identify(
      reportId: string,
      identity: { nameEnc: string; phoneEnc: string; witnessesEnc: string | null; note: string },
    ): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.report.updateMany({
          where: { id: reportId, anonymous: true },
          data: {
            anonymous: false,
            reporterNameEnc: identity.nameEnc,
            reporterPhoneEnc: identity.phoneEnc,
            witnessesEnc: identity.witnessesEnc,
          },
        });
        if (count !== 1) return false;
        await tx.reportEvent.create({ data: { reportId, type: "IDENTIFIED", note: identity.note } });
        return true;
      });
    },

    /** Writes outbox rows (idempotent: a dedupe key already present is skipped). Returns how many were new. */
    async enqueue(rows: OutboxRow[]): Promise<number> {
      const { count } = await db.outboxMessage.createMany({ data: rows, skipDuplicates: true });
      return count;
    },

    /**
     * Records a posted card together with its outbox row: the message id, the CARD_POSTED event and the row's
     * DONE, in one transaction. Returns false when another delivery recorded a card first (the caller deletes
     * its own copy), so a ticket keeps exactly one card.
     */
    async recordCardPosted(input: {
      reportId: string;
      outboxId: bigint;
      chatId: number;
      messageId: number;
      threadId: number | undefined;
    }): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.report.updateMany({
          where: { id: input.reportId, staffMessageId: null },
          data: {
            staffChatId: BigInt(input.chatId),
            staffMessageId: BigInt(input.messageId),
            staffThreadId: input.threadId === undefined ? null : BigInt(input.threadId),
          },
        });
        if (count !== 1) return false;
        await tx.reportEvent.create({ data: { reportId: input.reportId, type: "CARD_POSTED" } });
        await tx.outboxMessage.update({
          where: { id: input.outboxId },
          data: { status: "DONE", deliveredAt: new Date(), lockedUntil: null, lastError: null },
        });
        return true;
      });
    },

    /** Staff alerts of this key that wait for the bot to be able to post in the group again. */
    pendingAlerts: (key: string) =>
      db.outboxMessage.count({
        where: { kind: "staff.alert", status: "PENDING", payload: { path: ["key"], equals: key } },
      }),

    /** Makes waiting staff alerts due now (the bot can post in the group again). */
    async wakeAlerts(): Promise<void> {
      await db.outboxMessage.updateMany({
        where: { kind: "staff.alert", status: "PENDING" },
        data: { availableAt: new Date() },
      });
    },

    /** Outbox rows of a kind that still wait (including those being delivered right now). */
    pending: (kind: string) => db.outboxMessage.count({ where: { kind, status: "PENDING" } }),

    /** Records a relayed message (officer's question to the reporter, or the reporter's answer to the staff). */
    relay: (data: Prisma.RelayMessageUncheckedCreateInput) => db.relayMessage.create({ data }),

    /** Removes the text kept in an outbox payload once delivered (reporters' answers are not kept at rest). */
    async forgetPayloadText(outboxId: bigint, payload: Record<string, unknown>): Promise<void> {
      const { text: _text, ...rest } = payload;
      await db.outboxMessage.update({
        where: { id: outboxId },
        data: { payload: rest as Prisma.InputJsonValue },
      });
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
