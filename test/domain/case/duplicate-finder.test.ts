import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDuplicateHint } from "../../../domain/case/incident-match.ts";
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
