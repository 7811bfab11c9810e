import type { Submission } from "../../domain/report/flow.ts";

/** A finished anonymous draft as the report store receives it at Submit; `overrides` change any part. */
export function sampleSubmission(overrides: Partial<Submission> = {}): Submission {
  return {
    category: "OTHER",
    details: { ot_title: "Kampanye di sekolah" },
    occurredOn: "2026-11-20",
    learnedOn: "2026-11-21",
    location: { type: "region", provinceCode: "31", regencyCode: "31.74", districtCode: "31.74.01" },
    placeNote: null,
    chronology: "Seorang calon berkampanye di halaman sekolah saat jam pelajaran.",
    evidence: [],
    anonymous: true,
    reporterNameEnc: null,
    reporterPhoneEnc: null,
    ...overrides,
  };
}
