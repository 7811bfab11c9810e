import { beforeAll, describe, expect, it } from "vitest";
import { createI18n, type I18n } from "../../../bot/i18n.ts";
import { getRegionCatalog } from "../../../domain/regions/region-catalog.ts";
import type { ElectionKind } from "../../../domain/ticket/deadlines.ts";
import type { Locale } from "../../../handlers/common/locale.ts";
import { deadlineInfo, type RenderContext } from "../../../handlers/report/render.ts";

// Tuesday 24 November 2026, 10:00 in Jakarta; the violation became known on Monday 23 November.
const NOW = new Date("2026-11-24T03:00:00Z");

describe("the formal-report deadline shown to a reporter", () => {
  let i18n: I18n;
  beforeAll(async () => {
    i18n = await createI18n("id");
  });

  const info = async (locale: Locale, electionKind: ElectionKind, now = NOW) => {
    const rc: RenderContext = {
      t: i18n.forLocale(locale),
      locale,
      regions: await getRegionCatalog(),
      evidenceLimit: 10,
      votingDays: [],
      electionKind,
      now,
      reveal: (text) => text,
    };
    return deadlineInfo("2026-11-23", rc);
  };

  it("counts working days for a Pemilu", async () => {
    expect(await info("id", "pemilu")).toContain(
      "batasnya 7 hari kerja sejak diketahui: sampai 2 Des 2026 (sisa 7 hari kerja).",
    );
    expect(await info("en", "pemilu")).toContain(
      "the limit is 7 working days from when it became known: until 2 Dec 2026 (working days left: 7).",
    );
  });

  it("counts days, weekends included, for a Pilkada", async () => {
    expect(await info("id", "pilkada")).toContain(
      "batasnya 7 hari sejak diketahui: sampai 30 Nov 2026 (sisa 7 hari).",
    );
    expect(await info("en", "pilkada")).toContain(
      "the limit is 7 days from when it became known: until 30 Nov 2026",
    );
  });

  it("says when the limit has passed, and that the report is still accepted", async () => {
    const later = new Date("2026-12-01T03:00:00Z");
    expect(await info("id", "pilkada", later)).toContain(
      "Batas laporan resmi (7 hari sejak diketahui) sudah lewat pada 30 Nov 2026.",
    );
    expect(await info("en", "pemilu", new Date("2026-12-03T03:00:00Z"))).toContain(
      "(7 working days from when it became known) passed on 2 Dec 2026. Your report is still accepted as a tip.",
    );
  });
});
