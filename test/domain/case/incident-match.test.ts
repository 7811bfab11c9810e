import { describe, expect, it } from "vitest";
import {
  distanceMeters,
  type IncidentFacts,
  independentReporters,
  NEARBY_METERS,
  nearbyBox,
  normalizeLink,
  readDuplicateHint,
  scoreMatch,
} from "../../../domain/case/incident-match.ts";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function facts(overrides: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    category: "MONEY_POLITICS",
    occurredOn: day("2024-02-10"),
    districtCode: "31.74.01",
    latitude: null,
    longitude: null,
    details: {},
    ...overrides,
  };
}

describe("normalizeLink", () => {
  it.each([
    ["https://m.facebook.com/x/posts/1?fbclid=abc", "facebook.com/x/posts/1"],
    ["http://www.facebook.com/x/posts/1/", "facebook.com/x/posts/1"],
    [
      "https://www.tiktok.com/@akun/video/7?utm_source=wa&is_from_webapp=1",
      "tiktok.com/@akun/video/7?is_from_webapp=1",
    ],
    ["https://x.com/a/status/9#reply", "x.com/a/status/9"],
    ["  not a url  ", "not a url"],
  ])("%s → %s", (link, expected) => {
    expect(normalizeLink(link)).toBe(expected);
  });

  it("keeps parameters that name the post", () => {
    expect(normalizeLink("https://www.youtube.com/watch?v=abc&si=track")).toBe("youtube.com/watch?v=abc");
    expect(normalizeLink("https://youtube.com/watch?v=abc")).not.toBe(
      normalizeLink("https://youtube.com/watch?v=xyz"),
    );
  });
});

describe("scoreMatch: the same post link", () => {
  const hoax = (link: string, districtCode: string) =>
    facts({ category: "HOAX", districtCode, details: { hx_links: [link] } });

  it("matches the same post reported from two districts, tracking parameters aside", () => {
    const match = scoreMatch(
      hoax("https://m.facebook.com/p/1?fbclid=a", "31.74.01"),
      hoax("https://www.facebook.com/p/1/", "32.01.01"),
      0,
    );
    expect(match?.reasons.map((reason) => reason.kind)).toEqual(["sameLink", "daysApart"]);
  });

  it("does not match different posts in another district", () => {
    expect(
      scoreMatch(
        hoax("https://facebook.com/p/1", "31.74.01"),
        hoax("https://facebook.com/p/2", "32.01.01"),
        0,
      ),
    ).toBeNull();
  });

  it("does not match the same link across categories or more than three days apart", () => {
    const a = hoax("https://facebook.com/p/1", "31.74.01");
    expect(scoreMatch(a, { ...a, category: "OTHER" }, 1)).toBeNull();
    expect(scoreMatch(a, { ...a, occurredOn: day("2024-02-14") }, 1)).toBeNull();
    expect(scoreMatch(a, { ...a, occurredOn: day("2024-02-13") }, 1)).not.toBeNull();
  });
});

describe("scoreMatch: one place and similar text", () => {
  it("matches similar chronologies in the same district and explains it", () => {
    const match = scoreMatch(facts(), facts({ occurredOn: day("2024-02-12") }), 0.71);
    expect(match?.reasons).toEqual([
      { kind: "similarText", percent: 71 },
      { kind: "sameDistrict" },
      { kind: "daysApart", days: 2 },
    ]);
  });

  it("does not match different incidents in the same district (dissimilar text)", () => {
    expect(scoreMatch(facts(), facts(), 0.2)).toBeNull();
  });

  it("matches pins within about 1 km and not pins farther apart", () => {
    const here = facts({ districtCode: null, latitude: -6.2267, longitude: 106.8517 });
    const near = facts({ districtCode: null, latitude: -6.2297, longitude: 106.8547 });
    const far = facts({ districtCode: null, latitude: -6.25, longitude: 106.88 });
    const nearMatch = scoreMatch(here, near, 0.6);
    expect(nearMatch?.reasons.find((reason) => reason.kind === "nearby")).toBeDefined();
    expect(scoreMatch(here, far, 0.9)).toBeNull();
  });
});

describe("scoreMatch: the same civil servant", () => {
  const asn = (details: Record<string, string>) => facts({ category: "ASN_NEUTRALITY", details });

  it("matches the same ASN name in one district even with different wording", () => {
    const match = scoreMatch(
      asn({ asn_name: "Budi Santoso", asn_agency: "Dinas A" }),
      asn({ asn_name: "budi  santoso." }),
      0.1,
    );
    expect(match?.reasons[0]).toEqual({ kind: "sameAsn" });
  });

  it("falls back to the agency when a name is missing, and refuses different names", () => {
    expect(
      scoreMatch(asn({ asn_agency: "Dinas Pendidikan" }), asn({ asn_agency: "dinas pendidikan" }), 0),
    ).not.toBeNull();
    expect(
      scoreMatch(
        asn({ asn_name: "Budi", asn_agency: "Dinas A" }),
        asn({ asn_name: "Sari", asn_agency: "Dinas A" }),
        0,
      ),
    ).toBeNull();
  });
});

describe("helpers", () => {
  it("measures distances in metres", () => {
    expect(Math.round(distanceMeters([0, 0], [0, 1]) / 1000)).toBe(111);
  });

  it("boxes every point within the nearby distance of a pin, and not much more", () => {
    for (const [latitude, longitude] of [
      [-6.2267, 106.8517],
      [5.55, 95.32],
      [-10.99, 140.7],
      [0, 0],
    ] as const) {
      const box = nearbyBox(latitude, longitude);
      for (let degrees = 0; degrees < 360; degrees += 5) {
        const bearing = (degrees * Math.PI) / 180;
        // Walk out in small steps until just past the nearby distance: the last point inside must be in the box.
        let inside: [number, number] = [latitude, longitude];
        for (let step = 0.0001; ; step += 0.0001) {
          const point: [number, number] = [
            latitude + step * Math.cos(bearing),
            longitude + (step * Math.sin(bearing)) / Math.cos((latitude * Math.PI) / 180),
          ];
          if (distanceMeters([latitude, longitude], point) > NEARBY_METERS) break;
          inside = point;
        }
        expect(inside[0]).toBeGreaterThanOrEqual(box.minLatitude);
        expect(inside[0]).toBeLessThanOrEqual(box.maxLatitude);
        expect(inside[1]).toBeGreaterThanOrEqual(box.minLongitude);
        expect(inside[1]).toBeLessThanOrEqual(box.maxLongitude);
      }
      expect(distanceMeters([latitude, longitude], [box.maxLatitude, longitude])).toBeLessThan(
        NEARBY_METERS * 1.05,
      );
    }
  });

  it("counts independent reporters: one per identified person, one per anonymous or unlinked ticket", () => {
    const identified = (reporter: number) => ({ reporter, anonymous: false });
    const anonymous = (reporter: number | null) => ({ reporter, anonymous: true });
    expect(independentReporters([identified(101), identified(101), identified(202), anonymous(null)])).toBe(
      3,
    );
    // A person's anonymous tip is never matched to their formal report.
    expect(independentReporters([identified(101), anonymous(101)])).toBe(2);
    expect(independentReporters([anonymous(101), anonymous(101)])).toBe(2);
  });

  it("reads a malformed stored hint as no hint", () => {
    expect(readDuplicateHint({ code: 1 })).toBeUndefined();
    expect(readDuplicateHint(null)).toBeUndefined();
  });
});
