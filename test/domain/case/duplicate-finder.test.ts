import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPossibleDuplicate } from "../../../domain/case/duplicate-finder.ts";
import {
  type DuplicateHint,
  type IncidentFacts,
  readDuplicateHint,
  scoreMatch,
} from "../../../domain/case/incident-match.ts";
import { createDataCipher } from "../../../domain/crypto/data-cipher.ts";
import type { Submission } from "../../../domain/report/flow.ts";
import { createReportStore, type ReportStore } from "../../../domain/report/report-store.ts";
import { type MigratedDatabase, migratedDatabase } from "../../support/migrated-database.ts";
import { sampleSubmission } from "../../support/submissions.ts";
import { TEST_DATA_KEY } from "../../support/test-bot.ts";

const VOTE_BUYING =
  "Tim sukses membagikan amplop berisi uang lima puluh ribu kepada warga di depan balai desa pagi hari.";
const VOTE_BUYING_AGAIN =
  "Tim sukses membagikan amplop berisi uang lima puluh ribu ke warga di depan balai desa pada pagi hari.";
const UNRELATED = "Baliho calon dipasang di pagar sekolah dasar tanpa izin dari pihak sekolah.";

const moneyPolitics = (overrides: Partial<Submission>) =>
  sampleSubmission({
    category: "MONEY_POLITICS",
    details: { mp_given: ["CASH"], mp_giver: "Tim sukses" },
    occurredOn: "2029-02-14",
    learnedOn: "2029-02-14",
    chronology: VOTE_BUYING,
    ...overrides,
  });
const district = (districtCode: string) =>
  ({ type: "region", provinceCode: "31", regencyCode: "31.74", districtCode }) as const;
const pin = (latitude: number, longitude: number) =>
  ({ type: "point", latitude, longitude, exact: true }) as const;

describe("the duplicate hint written at Submit", () => {
  let db: MigratedDatabase;
  let store: ReportStore;
  let drafts = 0;

  beforeAll(async () => {
    db = await migratedDatabase();
    store = createReportStore(db.prisma, createDataCipher(TEST_DATA_KEY));
  }, 180_000);
  afterAll(() => db?.close());

  async function file(submission: Submission) {
    const { code, reportId } = await store.submit({
      telegramUserId: 7000 + drafts,
      locale: "id",
      draftId: `dup-draft-${drafts++}`,
      submission,
    });
    const row = await db.prisma.report.findUniqueOrThrow({ where: { id: reportId } });
    return { code, reportId, hint: readDuplicateHint(row.duplicateHint) };
  }

  it("proposes a similar report of the same district, and not one of another district", async () => {
    const first = await file(moneyPolitics({ location: district("31.74.02") }));
    expect(first.hint).toBeUndefined();
    const again = await file(
      moneyPolitics({ location: district("31.74.02"), chronology: VOTE_BUYING_AGAIN }),
    );
    expect(again.hint?.code).toBe(first.code);
    expect(again.hint?.reasons.map((reason) => reason.kind)).toEqual([
      "similarText",
      "sameDistrict",
      "daysApart",
    ]);
    expect((await file(moneyPolitics({ location: district("31.74.03") }))).hint).toBeUndefined();
    expect(
      (await file(moneyPolitics({ location: district("31.74.02"), chronology: UNRELATED }))).hint,
    ).toBeUndefined();
  });

  it("proposes a similar report pinned 800 m away, not one 1.5 km away", async () => {
    const first = await file(moneyPolitics({ location: pin(-6.3, 106.9) }));
    // 0.0072° of latitude ≈ 800 m; 0.0135° ≈ 1.5 km.
    const near = await file(moneyPolitics({ location: pin(-6.3072, 106.9), chronology: VOTE_BUYING_AGAIN }));
    expect(near.hint?.code).toBe(first.code);
    expect(near.hint?.reasons).toContainEqual({ kind: "nearby", meters: 801 });
    const far = await file(moneyPolitics({ location: pin(-6.2865, 106.9), chronology: VOTE_BUYING_AGAIN }));
    expect(far.hint?.code).not.toBe(first.code);
  });

  it("proposes the report of the same post from anywhere, before a merely similar one nearby", async () => {
    const hoax = (link: string, location: Submission["location"], chronology = UNRELATED) =>
      sampleSubmission({
        category: "HOAX",
        details: { hx_platforms: ["FACEBOOK"], hx_links: [link], hx_falsehood: "Pemungutan suara diundur" },
        occurredOn: "2029-02-14",
        learnedOn: "2029-02-15",
        location,
        chronology,
      });
    const nearby = await file(hoax("https://facebook.com/share/p/other", district("35.78.01"), VOTE_BUYING));
    const post = await file(hoax("https://www.facebook.com/share/p/xyz?fbclid=1", district("11.01.01")));
    const again = await file(hoax("https://m.facebook.com/share/p/xyz/", district("35.78.01"), VOTE_BUYING));
    expect(again.hint?.code).toBe(post.code);
    expect(again.hint?.reasons[0]).toEqual({ kind: "sameLink" });
    expect(nearby.hint).toBeUndefined();
  });

  it("proposes open reports only", async () => {
    const closed = await file(moneyPolitics({ location: district("31.74.05") }));
    await db.prisma.report.update({ where: { id: closed.reportId }, data: { status: "CLOSED" } });
    expect((await file(moneyPolitics({ location: district("31.74.05") }))).hint).toBeUndefined();
  });

  it("still finds the report of the same place when hundreds of older reports of the day are elsewhere", async () => {
    await db.rawQuery(`
      INSERT INTO reports (id, code, category, draft_id, occurred_on, learned_on, district_code, chronology,
                           details, updated_at)
      SELECT gen_random_uuid(), 'PU-X' || n, 'MONEY_POLITICS', 'busy-' || n, '2029-02-14', '2029-02-14',
             '32.01.' || lpad((n % 90 + 10)::text, 2, '0'), '${VOTE_BUYING}', '{}', now()
      FROM generate_series(1, 250) AS n`);
    const first = await file(moneyPolitics({ location: district("31.74.06") }));
    const again = await file(
      moneyPolitics({ location: district("31.74.06"), chronology: VOTE_BUYING_AGAIN }),
    );
    expect(again.hint?.code).toBe(first.code);
  });
});

describe("the duplicate finder against scoring every open ticket", () => {
  let db: MigratedDatabase;

  beforeAll(async () => {
    db = await migratedDatabase();
  }, 180_000);
  afterAll(() => db?.close());

  it("picks what scoreMatch picks among all open tickets of the category within 3 days", async () => {
    // A small deterministic generator: few districts, pins around one point, few posts written several ways,
    // chronologies from a few stories, incidents over 9 days, some tickets closed; many hoax posts on one day,
    // so that the matching post is not in the first page of tickets with links.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const stories = [
      VOTE_BUYING,
      VOTE_BUYING_AGAIN,
      UNRELATED,
      "Kepala desa mengajak warga memilih calon nomor dua.",
    ];
    const posts = [
      ["https://facebook.com/p/1", "https://m.facebook.com/p/1/?fbclid=x"],
      ["https://tiktok.com/@a/video/7", "https://www.tiktok.com/@a/video/7?utm_source=wa"],
    ];
    const tickets: Array<IncidentRow> = [];
    for (let n = 0; n < 160; n++) {
      const crowd = n < 40;
      const category = crowd ? "HOAX" : pick(["MONEY_POLITICS", "HOAX", "ASN_NEUTRALITY"] as const);
      const pinned = random() < 0.5;
      tickets.push({
        id: crypto.randomUUID(),
        code: `T-${n}`,
        category,
        status: random() < 0.15 ? "CLOSED" : "NEW",
        occurredOn: crowd ? "2029-02-10" : `2029-02-${String(6 + Math.floor(random() * 9)).padStart(2, "0")}`,
        districtCode: pinned ? null : pick(["31.74.01", "31.74.02"]),
        latitude: pinned ? -6.3 + random() * 0.02 : null,
        longitude: pinned ? 106.9 + random() * 0.02 : null,
        chronology: pick(stories),
        details:
          category === "HOAX"
            ? { hx_links: [crowd ? `https://x.com/a/status/${n}` : pick(pick(posts))] }
            : category === "ASN_NEUTRALITY"
              ? { asn_name: pick(["Budi Santoso", "budi santoso.", "Sari"]), asn_link: pick(pick(posts)) }
              : {},
        createdAt: new Date(Date.UTC(2029, 1, 15, 0, 0, n)).toISOString(),
      });
    }
    // The same post as 40 other posts' day, two days later: found on the second page of tickets with links.
    const post = {
      category: "HOAX",
      status: "NEW",
      districtCode: "35.78.01",
      latitude: null,
      longitude: null,
    } as const;
    tickets.push(
      {
        ...post,
        id: crypto.randomUUID(),
        code: "T-far-post",
        occurredOn: "2029-02-12",
        chronology: UNRELATED,
        details: { hx_links: ["https://instagram.com/p/Cx1"] },
        createdAt: new Date(Date.UTC(2029, 1, 15, 1)).toISOString(),
      },
      {
        ...post,
        id: crypto.randomUUID(),
        code: "T-same-post",
        occurredOn: "2029-02-10",
        chronology: VOTE_BUYING,
        details: { hx_links: ["https://www.instagram.com/p/Cx1/?igsh=abc"] },
        createdAt: new Date(Date.UTC(2029, 1, 15, 2)).toISOString(),
      },
    );
    await db.rawQuery(`
      INSERT INTO reports (id, code, category, status, draft_id, occurred_on, learned_on, district_code, latitude,
                           longitude, chronology, details, created_at, updated_at)
      SELECT (t->>'id')::uuid, t->>'code', (t->>'category')::"Category", (t->>'status')::"ReportStatus",
             t->>'id', (t->>'occurredOn')::date, (t->>'occurredOn')::date, t->>'districtCode',
             (t->>'latitude')::float8, (t->>'longitude')::float8, t->>'chronology', t->'details',
             (t->>'createdAt')::timestamp, now()
      FROM jsonb_array_elements('${JSON.stringify(tickets).replaceAll("'", "''")}'::jsonb) AS t`);

    let hints = 0;
    let samePostFound: string | undefined;
    for (const probe of tickets.slice(100)) {
      const facts = {
        id: probe.id,
        category: probe.category,
        occurredOn: new Date(`${probe.occurredOn}T00:00:00Z`),
        districtCode: probe.districtCode,
        latitude: probe.latitude,
        longitude: probe.longitude,
        details: probe.details,
        chronology: probe.chronology,
      };
      const found = await findPossibleDuplicate(db.prisma, facts);
      const expected = await everyOpenTicket(db, facts);
      expect(found, `ticket ${probe.code}`).toEqual(expected);
      if (expected) hints++;
      if (probe.code === "T-same-post") samePostFound = expected?.code;
    }
    expect(hints).toBeGreaterThan(20);
    expect(samePostFound).toBe("T-far-post");
  }, 120_000);
});

interface IncidentRow {
  id: string;
  code: string;
  category: "MONEY_POLITICS" | "HOAX" | "ASN_NEUTRALITY";
  status: "NEW" | "CLOSED";
  occurredOn: string;
  districtCode: string | null;
  latitude: number | null;
  longitude: number | null;
  chronology: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** The rule itself: every open ticket of the category within 3 days scored by scoreMatch, ties to the oldest. */
async function everyOpenTicket(
  db: MigratedDatabase,
  ticket: IncidentFacts & { id: string; chronology: string },
): Promise<DuplicateHint | null> {
  const rows = await db.prisma.$queryRaw<
    Array<IncidentFacts & { id: string; code: string; similarity: number }>
  >`
    SELECT id::text AS id, code, category::text AS category, occurred_on AS "occurredOn",
           district_code AS "districtCode", latitude, longitude, details,
           similarity(chronology, ${ticket.chronology})::float8 AS similarity
    FROM reports
    WHERE id <> ${ticket.id}::uuid AND category::text = ${ticket.category}
      AND status::text IN ('NEW', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED')
    ORDER BY created_at, id`;
  let best: DuplicateHint | null = null;
  for (const row of rows) {
    const match = scoreMatch(ticket, row, row.similarity);
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
