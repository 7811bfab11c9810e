import type { PrismaClient } from "../../generated/prisma/client.ts";

/**
 * Bulk tickets for the insight tests and benchmarks, written with a few `INSERT … SELECT FROM unnest(…)` statements
 * (thousands per statement) instead of one report-store transaction each. The rows are also returned, so a test
 * can compute every expected number from them independently of the SQL under test.
 */
export interface SeededTicket {
  code: string;
  category: "MONEY_POLITICS" | "HOAX" | "ASN_NEUTRALITY" | "OTHER";
  status: "NEW" | "IN_REVIEW" | "NEEDS_INFO" | "VERIFIED" | "FORWARDED" | "CLOSED" | "REJECTED";
  provinceCode: string;
  regencyCode: string;
  latitude: number | null;
  longitude: number | null;
  occurredOn: string;
  createdAt: Date;
  claimedAt: Date | null;
  closedAt: Date | null;
  forwardedTo: "GAKKUMDU" | "KASN_BKN" | null;
  details: Record<string, unknown>;
  evidence: number;
}

const STATUSES = ["NEW", "IN_REVIEW", "NEEDS_INFO", "VERIFIED", "FORWARDED", "CLOSED", "REJECTED"] as const;
const CATEGORIES = ["MONEY_POLITICS", "HOAX", "ASN_NEUTRALITY", "OTHER"] as const;
/** Province (weight out of 10) and two of its regencies/cities. */
const AREAS: ReadonlyArray<[string, number, [string, string]]> = [
  ["64", 4, ["64.72", "64.71"]], // Kalimantan Timur: Samarinda, Balikpapan (most reports)
  ["32", 3, ["32.73", "32.01"]], // Jawa Barat: Kota Bandung, Kabupaten Bogor
  ["35", 2, ["35.78", "35.07"]], // Jawa Timur: Surabaya, Kabupaten Malang
  ["31", 1, ["31.74", "31.71"]], // DKI Jakarta
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const DETAILS: Record<SeededTicket["category"], (i: number) => Record<string, unknown>> = {
  MONEY_POLITICS: (i) => ({
    mp_given: i % 2 ? ["CASH"] : ["CASH", "GOODS"],
    mp_giver: "Tim sukses",
    mp_value: 50_000,
  }),
  HOAX: () => ({
    hx_platforms: ["WHATSAPP"],
    hx_falsehood: '=HYPERLINK("x") TPS dipindah, kata pesan berantai',
  }),
  ASN_NEUTRALITY: () => ({ asn_agency: "Dinas Pendidikan", asn_actions: ["POSTED", "SHARED"] }),
  OTHER: () => ({ ot_title: 'Perusakan alat peraga, "baliho"' }),
};

/**
 * `count` tickets created over `days` days before `now` (every 29th a month earlier still, outside most periods).
 * Deterministic: ticket `i` always gets the same values.
 */
export function insightTickets(count: number, now: Date, days = 28, first = 0): SeededTicket[] {
  const weights = AREAS.flatMap(([code, weight, regencies]) =>
    Array.from({ length: weight }, () => ({ code, regencies })),
  );
  const tickets: SeededTicket[] = [];
  for (let i = first; i < first + count; i++) {
    const area = weights[i % weights.length]!;
    const status = STATUSES[Math.floor(i / 3) % STATUSES.length]!;
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const ageMs = i % 29 === 0 ? (days + 20) * DAY : (i % days) * DAY + (i % 17) * HOUR + (i % 7) * 60_000;
    const createdAt = new Date(now.getTime() - ageMs - 60_000);
    const occurred = new Date(createdAt.getTime() + 7 * HOUR - (i % 5) * DAY);
    const pinned = area.code === "64" && i % 3 === 0;
    tickets.push({
      code: `T${String(i).padStart(7, "0")}`,
      category,
      status,
      provinceCode: area.code,
      regencyCode: area.regencies[i % 5 === 0 ? 1 : 0],
      latitude: pinned ? Math.round((-0.5 - (i % 10) * 0.05) * 1000) / 1000 : null,
      longitude: pinned ? Math.round((117.1 - (i % 7) * 0.04) * 1000) / 1000 : null,
      occurredOn: occurred.toISOString().slice(0, 10),
      createdAt,
      claimedAt: status === "NEW" ? null : new Date(createdAt.getTime() + ((i % 10) + 1) * 10 * 60_000),
      closedAt: status === "CLOSED" ? new Date(createdAt.getTime() + ((i % 48) + 1) * HOUR) : null,
      forwardedTo: status === "FORWARDED" ? (i % 2 ? "GAKKUMDU" : "KASN_BKN") : null,
      details: DETAILS[category](i),
      evidence: i % 4,
    });
  }
  return tickets;
}

/** Writes the tickets, their CLAIMED events and evidence rows in chunks. */
export async function insertInsightTickets(
  db: PrismaClient,
  tickets: readonly SeededTicket[],
  chunk = 5_000,
): Promise<void> {
  for (let start = 0; start < tickets.length; start += chunk) {
    const part = tickets.slice(start, start + chunk);
    const col = <T>(pick: (t: SeededTicket) => T) => part.map(pick);
    await db.$executeRawUnsafe(
      `INSERT INTO reports (id, code, category, status, draft_id, occurred_on, learned_on, province_code, regency_code,
         latitude, longitude, chronology, details, created_at, updated_at, closed_at, forwarded_to)
       SELECT gen_random_uuid(), t.code, t.category::"Category", t.status::"ReportStatus", 'seed-' || t.code,
         t.occurred::date, t.occurred::date, t.province, t.regency, t.lat, t.lon, 'Kronologi contoh untuk statistik.',
         t.details::jsonb, t.created::timestamp, t.created::timestamp, t.closed::timestamp,
         t.forwarded::"ForwardDestination"
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[],
         $9::text[], $10::text[], $11::text[], $12::text[])
         AS t(code, category, status, occurred, province, regency, lat, lon, details, created, closed, forwarded)`,
      col((t) => t.code),
      col((t) => t.category),
      col((t) => t.status),
      col((t) => t.occurredOn),
      col((t) => t.provinceCode),
      col((t) => t.regencyCode),
      col((t) => t.latitude),
      col((t) => t.longitude),
      col((t) => JSON.stringify(t.details)),
      col((t) => iso(t.createdAt)),
      col((t) => (t.closedAt ? iso(t.closedAt) : null)),
      col((t) => t.forwardedTo),
    );
    const claimed = part.filter((t) => t.claimedAt);
    await db.$executeRawUnsafe(
      `INSERT INTO report_events (report_id, type, created_at)
       SELECT r.id, 'CLAIMED', c.at::timestamp FROM unnest($1::text[], $2::text[]) AS c(code, at)
       JOIN reports r ON r.code = c.code`,
      claimed.map((t) => t.code),
      claimed.map((t) => iso(t.claimedAt!)),
    );
    await db.$executeRawUnsafe(
      `INSERT INTO evidence (id, report_id, kind, url, position)
       SELECT gen_random_uuid(), r.id, 'LINK', 'https://example.org/bukti', n
       FROM unnest($1::text[], $2::int[]) AS c(code, count) JOIN reports r ON r.code = c.code,
         generate_series(1, c.count) AS n`,
      part.map((t) => t.code),
      part.map((t) => t.evidence),
    );
  }
}

/** UTC, as `timestamp without time zone` columns store it. */
function iso(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}
