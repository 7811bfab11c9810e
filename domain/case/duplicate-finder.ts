import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { OPEN_STATUSES } from "../ticket/workflow.ts";
import {
  type DuplicateHint,
  type IncidentFacts,
  LINK_FIELDS,
  linksOf,
  MAX_DAYS_APART,
  nearbyBox,
  scoreMatch,
} from "./incident-match.ts";

type Queryable = Pick<PrismaClient | Prisma.TransactionClient, "$queryRaw">;

/**
 * Candidates read per new ticket at most, the oldest first. They are already in the ticket's place or share the
 * possibility of a post link, so this cap is reached only where one place reports an incident hundreds of times.
 */
const CANDIDATE_LIMIT = 200;

interface CandidateRow extends IncidentFacts {
  id: string;
  code: string;
  similarity: number;
}

const isoDay = (date: Date, offsetDays: number) =>
  new Date(date.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Which rows can be in the ticket's place ({@link scoreMatch} decides): the same district, or a pin in the box
 * around the ticket's pin. FALSE when the ticket has neither.
 */
function placeCondition(ticket: IncidentFacts): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (ticket.districtCode) conditions.push(Prisma.sql`district_code = ${ticket.districtCode}`);
  if (ticket.latitude !== null && ticket.longitude !== null) {
    const box = nearbyBox(ticket.latitude, ticket.longitude);
    conditions.push(Prisma.sql`(latitude BETWEEN ${box.minLatitude}::float8 AND ${box.maxLatitude}::float8
      AND longitude BETWEEN ${box.minLongitude}::float8 AND ${box.maxLongitude}::float8)`);
  }
  return conditions.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`(${Prisma.join(conditions, " OR ")})`;
}

/**
 * The most likely earlier open ticket about the same incident as `ticket`, or null. PostgreSQL preselects open
 * tickets of the category whose incident is within {@link MAX_DAYS_APART} days and that can match at all: in the
 * ticket's place (then it computes the chronologies' trigram similarity, `pg_trgm`), or, when the ticket names a
 * post link, with a link of their own. {@link scoreMatch} decides and explains. Ties go to the oldest ticket.
 */
export async function findPossibleDuplicate(
  db: Queryable,
  ticket: IncidentFacts & { id: string; chronology: string },
): Promise<DuplicateHint | null> {
  const statuses = [...OPEN_STATUSES] as string[];
  const place = placeCondition(ticket);
  const hasLinks = linksOf(ticket.details).size > 0;
  // The similarity is computed on the selected rows only, and only for those in the ticket's place: it is the
  // costly part (trigrams of two texts), and scoreMatch needs it only there.
  const rows = await db.$queryRaw<CandidateRow[]>`
    SELECT id::text AS id, code, category::text AS category, occurred_on AS "occurredOn",
           district_code AS "districtCode", latitude, longitude, details,
           CASE WHEN near THEN similarity(chronology, ${ticket.chronology})::float8 ELSE 0 END AS similarity
    FROM (
      SELECT id, code, category, occurred_on, district_code, latitude, longitude, details, chronology,
             created_at, COALESCE(${place}, FALSE) AS near
      FROM reports
      WHERE id <> ${ticket.id}::uuid
        AND category = ${ticket.category}::"Category"
        AND status = ANY(${statuses}::text[]::"ReportStatus"[])
        AND occurred_on BETWEEN ${isoDay(ticket.occurredOn, -MAX_DAYS_APART)}::date
                            AND ${isoDay(ticket.occurredOn, MAX_DAYS_APART)}::date
        AND (${place} OR (${hasLinks}::boolean AND details ?| ${[...LINK_FIELDS]}::text[]))
      ORDER BY created_at ASC, id ASC
      LIMIT ${CANDIDATE_LIMIT}
    ) AS candidate
    ORDER BY created_at ASC, candidate.id ASC`;
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
