import type { PrismaClient } from "../../generated/prisma/client.ts";
import { storableText } from "../report/storable-text.ts";
import { OPEN_STATUSES } from "../ticket/workflow.ts";
import { TICKET_INCLUDE, type Ticket } from "./ticket-store.ts";

/** The officers' queue: open tickets, unclaimed first, then by remaining legal time. */
export interface Queue {
  tickets: Ticket[];
  /** Open tickets in total and unclaimed ones (the list may be cut at `limit`). */
  open: number;
  unclaimed: number;
  /** Open cases (linked incidents) and the open tickets in them: the queue counts both. */
  cases: number;
  ticketsInCases: number;
}

/**
 * Open tickets (NEW, IN_REVIEW, NEEDS_INFO, VERIFIED): unclaimed (NEW) first, then the claimed ones; within each,
 * oldest first. Every ticket of a deployment has the same follow-up period, so the oldest is the one with the
 * least legal time left.
 */
export async function openQueue(db: PrismaClient, limit: number): Promise<Queue> {
  const claimedStatuses = OPEN_STATUSES.filter((status) => status !== "NEW");
  const [unclaimedTickets, unclaimed, open, caseGroups] = await Promise.all([
    db.report.findMany({
      where: { status: "NEW" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
      include: TICKET_INCLUDE,
    }),
    db.report.count({ where: { status: "NEW" } }),
    db.report.count({ where: { status: { in: [...OPEN_STATUSES] } } }),
    db.report.groupBy({
      by: ["caseId"],
      where: { status: { in: [...OPEN_STATUSES] }, caseId: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const cases = caseGroups.length;
  const ticketsInCases = caseGroups.reduce((sum, group) => sum + group._count._all, 0);
  const room = limit - unclaimedTickets.length;
  const claimed =
    room > 0
      ? await db.report.findMany({
          where: { status: { in: claimedStatuses } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take: room,
          include: TICKET_INCLUDE,
        })
      : [];
  return { tickets: [...unclaimedTickets, ...claimed], open, unclaimed, cases, ticketsInCases };
}

/** `%`, `_` and `\` are LIKE's own characters: a search for "50%" means the text "50%". */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Tickets whose code, chronology, place note or category answers contain `text` (ignoring case), or whose region
 * is one of `regionCodes` (province, regency or district); newest first.
 */
export async function searchTickets(
  db: PrismaClient,
  text: string,
  regionCodes: string[],
  limit: number,
): Promise<Ticket[]> {
  // Typed by an officer: PostgreSQL refuses NUL and lone surrogates in a parameter.
  const pattern = likePattern(storableText(text));
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM reports
    WHERE code ILIKE ${pattern}
       OR chronology ILIKE ${pattern}
       OR place_note ILIKE ${pattern}
       OR details::text ILIKE ${pattern}
       OR province_code = ANY(${regionCodes})
       OR regency_code = ANY(${regionCodes})
       OR district_code = ANY(${regionCodes})
    ORDER BY created_at DESC
    LIMIT ${limit}`;
  if (rows.length === 0) return [];
  const found = await db.report.findMany({
    where: { id: { in: rows.map((row) => row.id) } },
    include: TICKET_INCLUDE,
  });
  const order = new Map(rows.map((row, index) => [row.id, index]));
  return found.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

/** Where a ticket without a card stands: its card is still queued, or it failed (or was never queued). */
export type MissingCard = "waiting" | "missing";

/**
 * For the tickets of `reportIds` that have no card in the staff group: whether their card still waits in the
 * outbox (`waiting`) or will not come by itself (`missing`: the delivery failed for good). Tickets with a card
 * are not in the map.
 */
export async function missingCards(
  db: PrismaClient,
  reportIds: string[],
  cardKind: string,
): Promise<Map<string, MissingCard>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ id: string; waiting: boolean }>>`
    SELECT r.id::text AS id,
           EXISTS (SELECT 1 FROM outbox o
                   WHERE o.kind = ${cardKind} AND o.status = 'PENDING' AND o.payload->>'reportId' = r.id::text)
             AS waiting
    FROM reports r
    WHERE r.id::text = ANY(${reportIds}) AND r.staff_message_id IS NULL`;
  return new Map(rows.map((row) => [row.id, row.waiting ? "waiting" : "missing"]));
}
