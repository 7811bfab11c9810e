import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { OPEN_STATUSES } from "../ticket/workflow.ts";
import {
  type DuplicateHint,
  type IncidentFacts,
  LINK_FIELDS,
  linksOf,
  MAX_DAYS_APART,
  NEARBY_METERS,
  nearbyBox,
  scoreMatch,
  TEXT_SIMILARITY,
} from "./incident-match.ts";

type Queryable = Pick<PrismaClient | Prisma.TransactionClient, "$queryRaw">;

/** Tickets with post links read at most per new ticket, closest in days first, then oldest. */
const LINK_CANDIDATE_LIMIT = 200;
/** The first read takes this many of them: a post reported many times matches within the first few. */
const LINK_FIRST_READ = 20;
/**
 * Tickets in the place scored at most per new ticket, the oldest first: the trigram similarity is the costly part
 * (about 8 µs a row), and only a place that reports one incident hundreds of times within days reaches the cap.
 */
const PLACE_CANDIDATE_LIMIT = 200;

interface CandidateRow extends IncidentFacts {
  id: string;
  code: string;
  createdAt: Date;
  similarity: number;
  kind: "link" | "place";
}

type Ticket = IncidentFacts & { id: string; chronology: string };

const isoDay = (date: Date, offsetDays = 0) =>
  new Date(date.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Whether a row is in the ticket's place, as {@link scoreMatch} decides it: the same district, or a pin within
 * {@link NEARBY_METERS} (haversine on the same sphere, pre-selected by a box). FALSE when the ticket has neither.
 */
function inPlace(ticket: Ticket): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (ticket.districtCode) conditions.push(Prisma.sql`district_code = ${ticket.districtCode}`);
  if (ticket.latitude !== null && ticket.longitude !== null) {
    const box = nearbyBox(ticket.latitude, ticket.longitude);
    const [lat, lon] = [ticket.latitude, ticket.longitude];
    conditions.push(Prisma.sql`(latitude BETWEEN ${box.minLatitude}::float8 AND ${box.maxLatitude}::float8
      AND longitude BETWEEN ${box.minLongitude}::float8 AND ${box.maxLongitude}::float8
      AND 2 * 6371000 * asin(least(1, sqrt(
            sin(radians(latitude - ${lat}::float8) / 2) ^ 2
            + cos(radians(${lat}::float8)) * cos(radians(latitude)) * sin(radians(longitude - ${lon}::float8) / 2) ^ 2
          ))) <= ${NEARBY_METERS}::float8)`);
  }
  return conditions.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`(${Prisma.join(conditions, " OR ")})`;
}

/**
 * Open tickets of the ticket's category whose incident is within {@link MAX_DAYS_APART} days and that could match:
 * - with post links (when the ticket has some), closest in days first, then oldest: the first that shares a link
 *   is the best match of all, since a shared link outscores every other reason; `linkOffset`/`linkLimit` page them;
 * - in the ticket's place (the {@link PLACE_CANDIDATE_LIMIT} oldest) with similar chronologies (`pg_trgm`): for each
 *   number of days apart, the most similar (then oldest), since the score grows with the similarity; for ASN
 *   tickets every one in the place, since the same civil servant is decided on their answers.
 */
function candidates(ticket: Ticket, page: { linkOffset: number; linkLimit: number; place: boolean }) {
  const statuses = [...OPEN_STATUSES] as string[];
  const hasLinks = page.linkLimit > 0 && linksOf(ticket.details).size > 0;
  const asn = ticket.category === "ASN_NEUTRALITY";
  return Prisma.sql`
    WITH open_ticket AS NOT MATERIALIZED (
      SELECT id, code, category, occurred_on, district_code, latitude, longitude, details, chronology, created_at,
             abs(occurred_on - ${isoDay(ticket.occurredOn)}::date) AS days_apart
      FROM reports
      WHERE id <> ${ticket.id}::uuid
        AND category = ${ticket.category}::"Category"
        AND status = ANY(${statuses}::text[]::"ReportStatus"[])
        AND occurred_on BETWEEN ${isoDay(ticket.occurredOn, -MAX_DAYS_APART)}::date
                            AND ${isoDay(ticket.occurredOn, MAX_DAYS_APART)}::date
    ),
    with_link AS (
      SELECT *, 0::float8 AS similarity FROM open_ticket
      WHERE ${hasLinks}::boolean AND details ?| ${[...LINK_FIELDS]}::text[]
      ORDER BY days_apart, created_at, id
      OFFSET ${page.linkOffset} LIMIT ${page.linkLimit}
    ),
    in_place AS (
      SELECT * FROM open_ticket
      WHERE ${page.place}::boolean AND ${inPlace(ticket)}
      ORDER BY created_at, id
      LIMIT ${PLACE_CANDIDATE_LIMIT}
    ),
    scored AS (
      SELECT *, similarity(chronology, ${ticket.chronology})::float8 AS similarity FROM in_place
    ),
    best_in_place AS (
      (SELECT DISTINCT ON (days_apart) * FROM scored
       WHERE NOT ${asn}::boolean AND similarity >= ${TEXT_SIMILARITY}::float8
       ORDER BY days_apart, similarity DESC, created_at, id)
      UNION ALL
      SELECT * FROM scored WHERE ${asn}::boolean
    )
    SELECT id::text AS id, code, category::text AS category, occurred_on AS "occurredOn",
           district_code AS "districtCode", latitude, longitude, details, created_at AS "createdAt", similarity,
           kind
    FROM (SELECT *, 'link' AS kind FROM with_link UNION ALL SELECT *, 'place' FROM best_in_place) AS candidate`;
}

/** The best match among `rows` by {@link scoreMatch}; equal scores go to the oldest ticket. */
function bestMatch(ticket: Ticket, rows: CandidateRow[]): DuplicateHint | null {
  let best: DuplicateHint | null = null;
  const oldestFirst = [...rows].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
  for (const row of oldestFirst) {
    const match = scoreMatch(ticket, row, Number(row.similarity));
    if (match && (!best || match.score > best.score))
      best = {
        reportId: row.id,
        code: row.code,
        score: Math.round(match.score * 100) / 100,
        reasons: match.reasons,
      };
  }
  return best;
}

/**
 * The most likely earlier open ticket about the same incident as `ticket`, or null. PostgreSQL pre-selects the few
 * tickets that can be the best match (see {@link candidates}); {@link scoreMatch} decides and explains. Equal
 * scores go to the oldest ticket. A ticket with post links first reads tickets with links only: one that shares a
 * link outscores every other reason, so the place and its similarity computations are needed only when none does.
 */
export async function findPossibleDuplicate(db: Queryable, ticket: Ticket): Promise<DuplicateHint | null> {
  const read = (page: Parameters<typeof candidates>[1]) =>
    db.$queryRaw<CandidateRow[]>(candidates(ticket, page));
  const withLinks =
    linksOf(ticket.details).size > 0
      ? await read({ linkOffset: 0, linkLimit: LINK_FIRST_READ, place: false })
      : [];
  const best = bestMatch(ticket, withLinks);
  if (best?.reasons[0]?.kind === "sameLink") return best;
  const morePosts = withLinks.length === LINK_FIRST_READ ? LINK_CANDIDATE_LIMIT - LINK_FIRST_READ : 0;
  const rest = await read({ linkOffset: LINK_FIRST_READ, linkLimit: morePosts, place: true });
  return bestMatch(ticket, [...withLinks, ...rest]);
}
