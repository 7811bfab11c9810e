import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { OPEN_STATUSES } from "../ticket/workflow.ts";
import { type DuplicateHint, type IncidentFacts, MAX_DAYS_APART, scoreMatch } from "./incident-match.ts";

type Queryable = Pick<PrismaClient | Prisma.TransactionClient, "$queryRaw">;

/** Candidates read per new ticket: open tickets of one category within a few days are few even on a busy day. */
const CANDIDATE_LIMIT = 200;

interface CandidateRow extends IncidentFacts {
  id: string;
  code: string;
  similarity: number;
}

const isoDay = (date: Date, offsetDays: number) =>
  new Date(date.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * The most likely earlier open ticket about the same incident as `ticket`, or null. PostgreSQL preselects open
 * tickets of the category whose incident is within {@link MAX_DAYS_APART} days and computes the chronologies'
 * trigram similarity (`pg_trgm`); {@link scoreMatch} decides and explains. Ties go to the oldest ticket.
 */
export async function findPossibleDuplicate(
  db: Queryable,
  ticket: IncidentFacts & { id: string; chronology: string },
): Promise<DuplicateHint | null> {
  const statuses = [...OPEN_STATUSES] as string[];
  const rows = await db.$queryRaw<CandidateRow[]>`
    SELECT id::text AS id, code, category::text AS category, occurred_on AS "occurredOn",
           district_code AS "districtCode", latitude, longitude, details,
           similarity(chronology, ${ticket.chronology})::float8 AS similarity
    FROM reports
    WHERE id <> ${ticket.id}::uuid
      AND category::text = ${ticket.category}
      AND status::text = ANY(${statuses})
      AND occurred_on BETWEEN ${isoDay(ticket.occurredOn, -MAX_DAYS_APART)}::date
                          AND ${isoDay(ticket.occurredOn, MAX_DAYS_APART)}::date
    ORDER BY created_at ASC, id ASC
    LIMIT ${CANDIDATE_LIMIT}`;
  let best: DuplicateHint | null = null;
  for (const row of rows) {
    const match = scoreMatch(ticket, row, Number(row.similarity));
    if (match && (!best || match.score > best.score)) {
      best = {
        reportId: row.id,
        code: row.code,
        score: Math.round(match.score * 100) / 100,
        reasons: match.reasons,
      };
    }
  }
  return best;
}
