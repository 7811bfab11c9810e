/**
 * The numbers behind the map, the summary and the digest, aggregated in PostgreSQL (GROUP BY province, regency,
 * category, status, day): a year of tickets is never loaded into memory, only a few dozen rows per query.
 *
 * "Urgent" is not stored: a ticket is urgent when its incident happened on a voting day or in the 3-day quiet
 * period before one (VOTING_DAYS), as the report flow tells the citizen. "Past deadline" is an open ticket whose
 * follow-up period (7 days for a Pemilu, 3 + 2 for a Pilkada, from its creation) has ended.
 */
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import type { Category } from "../report/categories.ts";
import { addDays, type IsoDate } from "../report/dates.ts";
import { type Period, periodBounds } from "./period.ts";

/** Which tickets a query counts. */
export interface InsightFilter {
  period: Period;
  category?: Category;
  provinceCode?: string;
  regencyCode?: string;
}

/** Settings that decide urgency and lateness. */
export interface InsightRules {
  /** VOTING_DAYS; each with its 3 quiet days before makes an incident urgent. */
  votingDays: readonly IsoDate[];
  /** Days officers have to follow up a ticket. */
  followUpDays: number;
  /** "Now", for past-deadline counts. */
  now: Date;
}

const OPEN_STATUSES = ["NEW", "IN_REVIEW", "NEEDS_INFO", "VERIFIED"];

/** Voting days and the three quiet days before each. */
export function urgentDays(votingDays: readonly IsoDate[]): IsoDate[] {
  return [...new Set(votingDays.flatMap((day) => [0, 1, 2, 3].map((back) => addDays(day, -back))))].sort();
}

function where(filter: InsightFilter): Prisma.Sql {
  const { start, end } = periodBounds(filter.period);
  const parts = [Prisma.sql`r.created_at >= ${start} AND r.created_at < ${end}`];
  if (filter.category) parts.push(Prisma.sql`r.category::text = ${filter.category}`);
  if (filter.provinceCode) parts.push(Prisma.sql`r.province_code = ${filter.provinceCode}`);
  if (filter.regencyCode) parts.push(Prisma.sql`r.regency_code = ${filter.regencyCode}`);
  return Prisma.join(parts, " AND ");
}

function urgentSql(rules: InsightRules): Prisma.Sql {
  const days = urgentDays(rules.votingDays);
  return days.length > 0 ? Prisma.sql`r.occurred_on = ANY(${days}::date[])` : Prisma.sql`false`;
}

function overdueSql(rules: InsightRules): Prisma.Sql {
  const cutoff = new Date(rules.now.getTime() - rules.followUpDays * 86_400_000);
  return Prisma.sql`(r.status::text = ANY(${OPEN_STATUSES}) AND r.created_at < ${cutoff})`;
}

/** Counts of one region: all tickets, the urgent ones, and the open ones past their deadline. */
export interface RegionCount {
  code: string;
  count: number;
  urgent: number;
  overdue: number;
}

/**
 * Tickets per province (`level: "province"`) or per regency/city of the filter's province (`level: "regency"`),
 * most first. Tickets without a region of that level (a pin outside any known region) are left out.
 */
export async function countByRegion(
  db: PrismaClient,
  filter: InsightFilter,
  rules: InsightRules,
  level: "province" | "regency",
): Promise<RegionCount[]> {
  const column = level === "province" ? Prisma.sql`r.province_code` : Prisma.sql`r.regency_code`;
  return db.$queryRaw<RegionCount[]>`
    SELECT ${column} AS code, count(*)::int AS count,
      count(*) FILTER (WHERE ${urgentSql(rules)})::int AS urgent,
      count(*) FILTER (WHERE ${overdueSql(rules)})::int AS overdue
    FROM reports r
    WHERE ${where(filter)} AND ${column} IS NOT NULL
    GROUP BY 1
    ORDER BY 2 DESC, 1`;
}

/** A ticket's pin as stored (anonymous reports' pins are stored rounded). */
export interface Pin {
  latitude: number;
  longitude: number;
}

/** Pins of the filter's tickets that have coordinates, at most `limit` (the newest). */
export async function pins(db: PrismaClient, filter: InsightFilter, limit = 2_000): Promise<Pin[]> {
  return db.$queryRaw<Pin[]>`
    SELECT r.latitude, r.longitude FROM reports r
    WHERE ${where(filter)} AND r.latitude IS NOT NULL AND r.longitude IS NOT NULL
    ORDER BY r.created_at DESC
    LIMIT ${limit}`;
}

/** What `/rekap` shows. Durations in seconds; `null` when no ticket of the period was claimed (closed). */
export interface Summary {
  total: number;
  /** Incidents: a case (linked tickets) counts once, a ticket in no case once. */
  incidents: number;
  byCategory: Array<{ category: Category; count: number }>;
  byStatus: Array<{ status: string; count: number }>;
  /** One entry per day of the period, zero days included. */
  daily: Array<{ day: IsoDate; count: number }>;
  medianClaimSeconds: number | null;
  medianCloseSeconds: number | null;
  overdue: number;
  urgent: number;
  forwarded: Array<{ destination: string; count: number }>;
}

/** Counts by category, status and day, medians of time to claim and to close, late and forwarded tickets. */
export async function summarize(
  db: PrismaClient,
  filter: InsightFilter,
  rules: InsightRules,
): Promise<Summary> {
  const filterSql = where(filter);
  const tz = filter.period.timeZone;
  const [byCategory, byStatus, daily, totals, forwarded] = await Promise.all([
    db.$queryRaw<Array<{ category: Category; count: number }>>`
      SELECT r.category::text AS category, count(*)::int AS count FROM reports r WHERE ${filterSql}
      GROUP BY 1 ORDER BY 2 DESC, 1`,
    db.$queryRaw<Array<{ status: string; count: number }>>`
      SELECT r.status::text AS status, count(*)::int AS count FROM reports r WHERE ${filterSql}
      GROUP BY 1 ORDER BY 2 DESC, 1`,
    db.$queryRaw<Array<{ day: IsoDate; count: number }>>`
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.count, 0)::int AS count
      FROM generate_series(${filter.period.from}::date, ${filter.period.to}::date, interval '1 day') AS d(day)
      LEFT JOIN (
        SELECT ((r.created_at AT TIME ZONE 'UTC') AT TIME ZONE ${tz})::date AS day, count(*) AS count
        FROM reports r WHERE ${filterSql} GROUP BY 1
      ) c ON c.day = d.day::date
      ORDER BY d.day`,
    db.$queryRaw<
      Array<{
        total: number;
        incidents: number;
        claim: number | null;
        close: number | null;
        overdue: number;
        urgent: number;
      }>
    >`
      SELECT count(*)::int AS total,
        count(DISTINCT coalesce(r.case_id::text, r.id::text))::int AS incidents,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM claimed.at - r.created_at)) AS claim,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at)) AS close,
        count(*) FILTER (WHERE ${overdueSql(rules)})::int AS overdue,
        count(*) FILTER (WHERE ${urgentSql(rules)})::int AS urgent
      FROM reports r
      LEFT JOIN (
        -- One hash join over the claims rather than an index probe per ticket (a year is 50,000 probes).
        SELECT e.report_id, min(e.created_at) AS at FROM report_events e WHERE e.type = 'CLAIMED' GROUP BY 1
      ) claimed ON claimed.report_id = r.id
      WHERE ${filterSql}`,
    db.$queryRaw<Array<{ destination: string; count: number }>>`
      SELECT r.forwarded_to::text AS destination, count(*)::int AS count FROM reports r
      WHERE ${filterSql} AND r.forwarded_to IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
  ]);
  const row = totals[0]!;
  return {
    total: row.total,
    incidents: row.incidents,
    byCategory,
    byStatus,
    daily,
    medianClaimSeconds: row.claim === null ? null : Math.round(Number(row.claim)),
    medianCloseSeconds: row.close === null ? null : Math.round(Number(row.close)),
    overdue: row.overdue,
    urgent: row.urgent,
    forwarded,
  };
}

/** What the daily digest tells. Codes are ticket codes (never a reporter); `staffMessageId` links a card. */
export interface DigestNumbers {
  day: IsoDate;
  newSinceYesterday: number;
  open: number;
  unclaimed: Array<{ code: string; staffChatId: string | null; staffMessageId: string | null }>;
  unclaimedTotal: number;
  dueToday: number;
  overdue: number;
  closedYesterday: number;
  openByCategory: Array<{ category: Category; count: number }>;
  /** New tickets per day over the last 14 days. */
  trend: Array<{ day: IsoDate; count: number }>;
}

/** The digest's numbers for the day `day` (in `timeZone`), at instant `now`. */
export async function digestNumbers(
  db: PrismaClient,
  day: IsoDate,
  timeZone: string,
  rules: Pick<InsightRules, "followUpDays" | "now">,
  unclaimedLimit = 15,
): Promise<DigestNumbers> {
  const yesterday: Period = { from: addDays(day, -1), to: addDays(day, -1), timeZone };
  const today: Period = { from: day, to: day, timeZone };
  const { start: yStart, end: yEnd } = periodBounds(yesterday);
  const { start: tStart, end: tEnd } = periodBounds(today);
  const followUp = Prisma.sql`make_interval(days => ${rules.followUpDays})`;
  const since = new Date(rules.now.getTime() - 86_400_000);
  const open = Prisma.sql`r.status::text = ANY(${OPEN_STATUSES})`;
  const [counts, unclaimed, byCategory, trend] = await Promise.all([
    db.$queryRaw<
      Array<{ fresh: number; open: number; unclaimed: number; due: number; overdue: number; closed: number }>
    >`
      SELECT
        count(*) FILTER (WHERE r.created_at >= ${since} AND r.created_at < ${rules.now})::int AS fresh,
        count(*) FILTER (WHERE ${open})::int AS open,
        count(*) FILTER (WHERE r.status = 'NEW')::int AS unclaimed,
        count(*) FILTER (WHERE ${open} AND r.created_at + ${followUp} >= ${tStart}
          AND r.created_at + ${followUp} < ${tEnd})::int AS due,
        count(*) FILTER (WHERE ${open} AND r.created_at + ${followUp} < ${rules.now})::int AS overdue,
        count(*) FILTER (WHERE r.closed_at >= ${yStart} AND r.closed_at < ${yEnd})::int AS closed
      FROM reports r`,
    db.$queryRaw<Array<{ code: string; staffChatId: string | null; staffMessageId: string | null }>>`
      SELECT r.code, r.staff_chat_id::text AS "staffChatId", r.staff_message_id::text AS "staffMessageId"
      FROM reports r WHERE r.status = 'NEW' ORDER BY r.created_at LIMIT ${unclaimedLimit}`,
    db.$queryRaw<Array<{ category: Category; count: number }>>`
      SELECT r.category::text AS category, count(*)::int AS count FROM reports r WHERE ${open}
      GROUP BY 1 ORDER BY 2 DESC, 1`,
    summarizeDaily(db, { from: addDays(day, -14), to: addDays(day, -1), timeZone }),
  ]);
  const row = counts[0]!;
  return {
    day,
    newSinceYesterday: row.fresh,
    open: row.open,
    unclaimed,
    unclaimedTotal: row.unclaimed,
    dueToday: row.due,
    overdue: row.overdue,
    closedYesterday: row.closed,
    openByCategory: byCategory,
    trend,
  };
}

async function summarizeDaily(
  db: PrismaClient,
  period: Period,
): Promise<Array<{ day: IsoDate; count: number }>> {
  const { start, end } = periodBounds(period);
  return db.$queryRaw<Array<{ day: IsoDate; count: number }>>`
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.count, 0)::int AS count
    FROM generate_series(${period.from}::date, ${period.to}::date, interval '1 day') AS d(day)
    LEFT JOIN (
      SELECT ((r.created_at AT TIME ZONE 'UTC') AT TIME ZONE ${period.timeZone})::date AS day, count(*) AS count
      FROM reports r WHERE r.created_at >= ${start} AND r.created_at < ${end} GROUP BY 1
    ) c ON c.day = d.day::date
    ORDER BY d.day`;
}

/** Whether a digest has anything to say. */
export function digestIsEmpty(numbers: DigestNumbers): boolean {
  return numbers.newSinceYesterday === 0 && numbers.open === 0 && numbers.closedYesterday === 0;
}
