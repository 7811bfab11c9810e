import { z } from "zod";

/**
 * Whether two tickets describe the same incident, as a score with its reasons. Pure: the trigram similarity of
 * the chronologies comes from PostgreSQL (`pg_trgm`'s `similarity`, see duplicate-finder.ts).
 *
 * Rules (both tickets of one category, incidents at most {@link MAX_DAYS_APART} days apart):
 * - the same post link (hoax or ASN post URL, normalised by {@link normalizeLink}): a match wherever the
 *   reporters are, because an online post is one incident however many districts read it;
 * - otherwise the tickets must be in one place (same district, or pins within {@link NEARBY_METERS}) and share
 *   the same civil servant (ASN name, or agency when a name is missing on either side) or similar chronology text
 *   (trigram similarity of at least {@link TEXT_SIMILARITY}).
 */

export const MAX_DAYS_APART = 3;
export const NEARBY_METERS = 1_000;
export const TEXT_SIMILARITY = 0.45;

/** Why two tickets look like one incident; rendered into one line for the officers. */
export const matchReasonSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sameLink") }),
  z.object({ kind: z.literal("sameAsn") }),
  z.object({ kind: z.literal("sameDistrict") }),
  z.object({ kind: z.literal("nearby"), meters: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("daysApart"), days: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("similarText"), percent: z.number().int().min(0).max(100) }),
]);
export type MatchReason = z.infer<typeof matchReasonSchema>;

/** What `Report.duplicateHint` holds: the possible original, the score (0–1) and the reasons. */
export const duplicateHintSchema = z.object({
  reportId: z.string(),
  code: z.string(),
  score: z.number(),
  reasons: z.array(matchReasonSchema),
});
export type DuplicateHint = z.infer<typeof duplicateHintSchema>;

/** Reads a stored hint; anything malformed reads as no hint. */
export function readDuplicateHint(value: unknown): DuplicateHint | undefined {
  const parsed = duplicateHintSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The facts of a ticket the rules compare. */
export interface IncidentFacts {
  category: string;
  occurredOn: Date;
  districtCode: string | null;
  latitude: number | null;
  longitude: number | null;
  details: unknown;
}

/** Query parameters that only say where a click came from; dropped before links are compared. */
const TRACKING_PARAMS =
  /^(?:utm_.*|fbclid|gclid|igshid|igsh|si|mibextid|ref|ref_src|ref_url|s|t|share_id|_rdr)$/i;

/**
 * A link reduced to what names the post: lower-case host without `www.`, `m.`, `mobile.` or `web.`, no
 * tracking parameters, no fragment, no trailing slash. `https://m.facebook.com/x/posts/1?fbclid=…` and
 * `http://www.facebook.com/x/posts/1/` both become `facebook.com/x/posts/1`. Unparsable text is returned trimmed.
 */
export function normalizeLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return link.trim().toLowerCase();
  }
  const host = url.hostname.toLowerCase().replace(/^(?:www|m|mobile|web)\./, "");
  const kept = [...url.searchParams.entries()]
    .filter(([name]) => !TRACKING_PARAMS.test(name))
    .sort(([a], [b]) => a.localeCompare(b));
  const query = kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : "";
  const path = url.pathname.replace(/\/+$/, "");
  return `${host}${path}${query}`;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};

/** The answers that hold post links (hoax links, ASN post link): a list of links or one link. */
export const LINK_FIELDS = ["hx_links", "asn_link"] as const;

/** The normalised post links of a ticket's answers (see {@link LINK_FIELDS}). */
export function linksOf(details: unknown): Set<string> {
  const record = asRecord(details);
  const links = LINK_FIELDS.map((field) => record[field]).flatMap((value) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [],
  );
  return new Set(links.map(normalizeLink));
}

const normalName = (value: unknown) =>
  typeof value === "string"
    ? value
        .toLowerCase()
        .replace(/[^\p{L}\p{N} ]/gu, " ")
        .replace(/\s+/g, " ")
        .trim()
    : "";

/** The same civil servant: equal names when both are given, else the same agency. */
function sameAsn(a: unknown, b: unknown): boolean {
  const left = asRecord(a);
  const right = asRecord(b);
  const nameA = normalName(left.asn_name);
  const nameB = normalName(right.asn_name);
  if (nameA && nameB) return nameA === nameB;
  const agencyA = normalName(left.asn_agency);
  return agencyA !== "" && agencyA === normalName(right.asn_agency);
}

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres per degree of latitude on the sphere {@link distanceMeters} uses. */
const METERS_PER_DEGREE = (6_371_000 * Math.PI) / 180;

/**
 * A latitude/longitude box that holds every point within {@link NEARBY_METERS} of a pin (a little more): what a
 * query can pre-select by before {@link scoreMatch} measures the distance. It does not wrap at ±180° of longitude
 * (Indonesia lies far from it).
 */
export function nearbyBox(latitude: number, longitude: number) {
  const margin = 1.01;
  const latitudeDelta = (NEARBY_METERS / METERS_PER_DEGREE) * margin;
  // Meridians converge: a degree of longitude is shortest at the box's edge farthest from the equator.
  const widest = Math.min(89, Math.abs(latitude) + latitudeDelta);
  const longitudeDelta = latitudeDelta / Math.cos((widest * Math.PI) / 180);
  return {
    minLatitude: latitude - latitudeDelta,
    maxLatitude: latitude + latitudeDelta,
    minLongitude: longitude - longitudeDelta,
    maxLongitude: longitude + longitudeDelta,
  };
}

/**
 * Scores `candidate` as the same incident as `ticket` (0–1, higher is surer) with the reasons, or null when no
 * rule matches. `similarity` is the trigram similarity (0–1) of their chronologies.
 *
 * @example
 * scoreMatch(hoaxA, hoaxB, 0.2) // same URL → { score: 0.95, reasons: [{kind:"sameLink"}, {kind:"daysApart",days:0}] }
 */
export function scoreMatch(
  ticket: IncidentFacts,
  candidate: IncidentFacts,
  similarity: number,
): { score: number; reasons: MatchReason[] } | null {
  if (ticket.category !== candidate.category) return null;
  const days = Math.round(
    Math.abs(ticket.occurredOn.getTime() - candidate.occurredOn.getTime()) / 86_400_000,
  );
  if (days > MAX_DAYS_APART) return null;
  const when: MatchReason = { kind: "daysApart", days };

  const ownLinks = linksOf(ticket.details);
  const theirLinks = linksOf(candidate.details);
  if ([...ownLinks].some((link) => theirLinks.has(link))) {
    return { score: 0.95 - days * 0.01, reasons: [{ kind: "sameLink" }, when] };
  }

  let place: MatchReason | undefined;
  if (ticket.districtCode && ticket.districtCode === candidate.districtCode) place = { kind: "sameDistrict" };
  else if (
    ticket.latitude !== null &&
    ticket.longitude !== null &&
    candidate.latitude !== null &&
    candidate.longitude !== null
  ) {
    const meters = distanceMeters(
      [ticket.latitude, ticket.longitude],
      [candidate.latitude, candidate.longitude],
    );
    if (meters <= NEARBY_METERS) place = { kind: "nearby", meters: Math.round(meters) };
  }
  if (!place) return null;

  const reasons: MatchReason[] = [];
  let score = 0;
  if (ticket.category === "ASN_NEUTRALITY" && sameAsn(ticket.details, candidate.details)) {
    reasons.push({ kind: "sameAsn" });
    score = 0.8;
  }
  if (similarity >= TEXT_SIMILARITY) {
    reasons.push({ kind: "similarText", percent: Math.round(similarity * 100) });
    score = Math.max(score, 0.5 + similarity * 0.4);
  }
  if (score === 0) return null;
  return { score: Math.min(0.99, score) - days * 0.01, reasons: [...reasons, place, when] };
}

/** A case's ticket as its reporter count sees it. */
export interface CaseTicketReporter {
  /** The reporter's Telegram chat, decrypted from the ticket's own link; null when linked to nobody. */
  reporter: number | null;
  anonymous: boolean;
}

/**
 * Independent reporters of a case's tickets. Identified tickets of one person count once; an anonymous ticket, or
 * one linked to nobody (erased, or filed without a follow-up link), counts as one of its own, always: were it
 * matched to its reporter's other tickets, "2 tickets, 1 reporter" would tell officers whose anonymous tip it was
 * (issue 8: one person's anonymous tips cannot be matched to their formal report). The price: one person's
 * several anonymous tips of one incident count as several reporters. Never says who.
 */
export function independentReporters(tickets: ReadonlyArray<CaseTicketReporter>): number {
  const identified = new Set<number>();
  let ownCount = 0;
  for (const ticket of tickets) {
    if (ticket.anonymous || ticket.reporter === null) ownCount += 1;
    else identified.add(ticket.reporter);
  }
  return identified.size + ownCount;
}
