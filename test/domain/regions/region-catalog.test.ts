import { beforeAll, describe, expect, it } from "vitest";
import {
  createRegionCatalog,
  getRegionCatalog,
  isRegionCode,
  REGION_DATA_ATTRIBUTION,
  type Region,
  type RegionCatalog,
  RegionDataError,
} from "../../../domain/regions/region-catalog.ts";

let catalog: RegionCatalog;

beforeAll(async () => {
  catalog = await getRegionCatalog();
});

const codes = (regions: readonly { code: string }[]) => regions.map((region) => region.code);

describe("loading", () => {
  it("has the counts of idn-area-data 4.0.1", () => {
    expect(catalog.counts).toEqual({ province: 38, regency: 514, district: 7285 });
  });

  it("shares one catalog per process", async () => {
    expect(await getRegionCatalog()).toBe(catalog);
  });

  it("reaches every region from the provinces, with codes that fit in Telegram callback data", () => {
    const all: Region[] = [];
    const walk = (parentCode: string | null) => {
      for (const region of catalog.children(parentCode, { pageSize: 1000 }).items) {
        all.push(region);
        walk(region.code);
      }
    };
    walk(null);
    expect(all).toHaveLength(38 + 514 + 7285);
    expect(all.filter((region) => !isRegionCode(region.code))).toEqual([]);
    expect(Math.max(...all.map((region) => Buffer.byteLength(`region:pick:${region.code}`)))).toBe(20);
    expect(all.filter((region) => region.name !== region.name.trim() || region.name === "")).toEqual([]);
  });

  it("carries the ODbL attribution", () => {
    expect(REGION_DATA_ATTRIBUTION).toContain("idn-area-data");
    expect(REGION_DATA_ATTRIBUTION).toContain("Open Database License");
  });
});

describe("get", () => {
  it("returns regions with display names", () => {
    expect(catalog.get("31")).toEqual({
      code: "31",
      name: "DKI Jakarta",
      level: "province",
      parentCode: null,
    });
    expect(catalog.get("31.74")).toEqual({
      code: "31.74",
      name: "Kota Jakarta Selatan",
      level: "regency",
      parentCode: "31",
    });
    expect(catalog.get("31.74.01")).toEqual({
      code: "31.74.01",
      name: "Tebet",
      level: "district",
      parentCode: "31.74",
    });
    expect(catalog.get("34")?.name).toBe("DI Yogyakarta");
    expect(catalog.get("19")?.name).toBe("Kepulauan Bangka Belitung");
    expect(catalog.get("11.01")?.name).toBe("Kabupaten Aceh Selatan");
    expect(catalog.get("11.71")?.name).toBe("Kota Banda Aceh");
    expect(catalog.get("31.01")?.name).toBe("Kabupaten Kepulauan Seribu");
    expect(catalog.get("35.29.22")?.name).toBe("Ra'as");
  });

  it("returns undefined for unknown codes", () => {
    expect(catalog.get("99")).toBeUndefined();
    expect(catalog.get("")).toBeUndefined();
    expect(catalog.get("11.01.01.2001")).toBeUndefined();
  });
});

describe("children", () => {
  it("lists the provinces for null, sorted by name", () => {
    const page = catalog.children(null, { pageSize: 50 });
    expect(page).toMatchObject({ page: 1, pageCount: 1, total: 38 });
    const names = page.items.map((region) => region.name);
    expect(names[0]).toBe("Aceh");
    expect(names).toContain("DKI Jakarta");
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "id")));
  });

  it("lists a province's regencies, Kabupaten and Kota of the same name together", () => {
    const page = catalog.children("32", { pageSize: 50 });
    expect(page.total).toBe(27);
    expect(page.items.every((region) => region.level === "regency" && region.parentCode === "32")).toBe(true);
    expect(page.items.slice(0, 3).map((region) => region.name)).toEqual([
      "Kabupaten Bandung",
      "Kota Bandung",
      "Kabupaten Bandung Barat",
    ]);
  });

  it("lists a regency's districts", () => {
    const page = catalog.children("31.74", { pageSize: 50 });
    expect(page.total).toBe(10);
    expect(page.items.map((region) => region.name)).toContain("Tebet");
    expect(page.items.every((region) => region.level === "district" && region.parentCode === "31.74")).toBe(
      true,
    );
  });

  it("pages", () => {
    const first = catalog.children("32", { page: 1, pageSize: 10 });
    const second = catalog.children("32", { page: 2, pageSize: 10 });
    const third = catalog.children("32", { page: 3, pageSize: 10 });
    expect([first.pageCount, first.total, first.items.length, third.items.length]).toEqual([3, 27, 10, 7]);
    expect(codes([...first.items, ...second.items, ...third.items])).toEqual(
      codes(catalog.children("32", { pageSize: 27 }).items),
    );
    expect(catalog.children("32").items).toHaveLength(10);
  });

  it("clamps out-of-range pages", () => {
    expect(catalog.children("32", { page: 99, pageSize: 10 })).toMatchObject({ page: 3, pageCount: 3 });
    expect(catalog.children("32", { page: 0, pageSize: 10 }).page).toBe(1);
    expect(catalog.children("32", { page: Number.NaN, pageSize: 10 }).page).toBe(1);
  });

  it("rejects a bad page size", () => {
    expect(() => catalog.children("32", { pageSize: 0 })).toThrow(RangeError);
    expect(() => catalog.children("32", { pageSize: 2.5 })).toThrow(RangeError);
  });

  it("has no children for districts and unknown codes", () => {
    expect(catalog.children("31.74.01")).toEqual({ items: [], page: 1, pageCount: 1, total: 0 });
    expect(catalog.children("99").total).toBe(0);
    expect(catalog.children("").total).toBe(0);
  });
});

describe("search", () => {
  it("finds a city by its name without prefix", () => {
    expect(codes(catalog.search("jakarta selatan"))[0]).toBe("31.74");
    expect(codes(catalog.search("Kota Jakarta Selatan"))[0]).toBe("31.74");
    expect(codes(catalog.search("  JAKARTA-selatan!! "))[0]).toBe("31.74");
  });

  it("matches word prefixes", () => {
    expect(codes(catalog.search("jak sel"))).toEqual(["31.74"]);
    expect(codes(catalog.search("sel jak"))).toEqual(["31.74"]);
  });

  it("returns both Kabupaten and Kota Bandung first", () => {
    const results = catalog.search("bandung");
    expect(codes(results.slice(0, 2))).toEqual(["32.04", "32.73"]);
    expect(results.map((region) => region.name)).toContain("Kabupaten Bandung Barat");
  });

  it("uses a kota/kabupaten prefix to break ties", () => {
    expect(codes(catalog.search("kota bandung")).slice(0, 2)).toEqual(["32.73", "32.04"]);
    expect(codes(catalog.search("Kab. Bandung")).slice(0, 2)).toEqual(["32.04", "32.73"]);
    expect(codes(catalog.search("kabupaten bandung")).slice(0, 2)).toEqual(["32.04", "32.73"]);
  });

  it("ranks exact > starts-with > word-prefix > contains", () => {
    // Exact "Sleman" (regency, then district), then nothing else contains "sleman".
    expect(codes(catalog.search("sleman"))).toEqual(["34.04", "34.04.13"]);
    const padang = catalog.search("padang", { limit: 100 }).map((region) => region.name);
    const at = (name: string) => {
      expect(padang).toContain(name);
      return padang.indexOf(name);
    };
    expect(padang.slice(0, 2)).toEqual(["Kota Padang", "Padang"]);
    // Starts-with: regencies before districts.
    expect(at("Kabupaten Padang Lawas")).toBeLessThan(at("Padang Barat"));
    expect(at("Kota Padangsidimpuan")).toBeLessThan(at("Padang Barat"));
    // Then word-prefix, then contains.
    expect(at("Padangsidimpuan Utara")).toBeLessThan(at("Air Padang"));
    expect(at("Air Padang")).toBeLessThan(at("Sesenapadang"));
    expect(padang.at(-1)).toBe("Sesenapadang");
  });

  it("finds provinces by full, short and colloquial names", () => {
    expect(codes(catalog.search("jakarta"))[0]).toBe("31");
    expect(codes(catalog.search("DKI Jakarta"))[0]).toBe("31");
    expect(codes(catalog.search("provinsi daerah istimewa yogyakarta"))[0]).toBe("34");
    expect(codes(catalog.search("DIY"))).toEqual(["34"]);
    expect(codes(catalog.search("prov. jawa barat"))[0]).toBe("32");
    expect(codes(catalog.search("jateng"))).toEqual(["33"]);
  });

  it("filters by level and by parent region", () => {
    expect(codes(catalog.search("depok"))).toEqual(expect.arrayContaining(["32.76", "32.09.31", "34.04.07"]));
    expect(codes(catalog.search("depok", { level: "regency" }))).toEqual(["32.76"]);
    expect(codes(catalog.search("depok", { parentCode: "34.04" }))).toEqual(["34.04.07"]);
    expect(codes(catalog.search("dep", { parentCode: "34", level: "district" }))).toEqual(["34.04.07"]);
    expect(codes(catalog.search("teb", { parentCode: "31.74" }))).toEqual(["31.74.01"]);
    expect(catalog.search("depok", { parentCode: "99" })).toEqual([]);
  });

  it("tolerates one typo in words of five letters or more", () => {
    expect(codes(catalog.search("slemn"))[0]).toBe("34.04");
    expect(codes(catalog.search("bandnug")).slice(0, 2)).toEqual(["32.04", "32.73"]);
    expect(codes(catalog.search("jakrta sel"))).toEqual(["31.74"]);
    expect(catalog.search("tebt")).toEqual([]);
    expect(catalog.search("xqzzyw")).toEqual([]);
  });

  it("ignores punctuation inside names", () => {
    expect(codes(catalog.search("raas"))).toEqual(["35.29.22"]);
    expect(codes(catalog.search("fakfak"))[0]).toBe("92.03");
    // Words are compared in any order, but joined words only in the order typed.
    expect(codes(catalog.search("jakartaselatan"))).toEqual(["31.74"]);
    expect(catalog.search("selatanjakarta")).toEqual([]);
  });

  it("respects the limit and ignores empty queries", () => {
    expect(catalog.search("a", { limit: 3 })).toHaveLength(3);
    expect(catalog.search("a")).toHaveLength(10);
    expect(catalog.search("a", { limit: 0 })).toEqual([]);
    expect(catalog.search("")).toEqual([]);
    expect(catalog.search(" .,- ")).toEqual([]);
  });
});

describe("path and label", () => {
  it("walks up to the province", () => {
    expect(codes(catalog.path("31.74.01"))).toEqual(["31", "31.74", "31.74.01"]);
    expect(codes(catalog.path("31.74"))).toEqual(["31", "31.74"]);
    expect(codes(catalog.path("31"))).toEqual(["31"]);
    expect(catalog.path("99.99")).toEqual([]);
  });

  it("labels smallest region first", () => {
    expect(catalog.label("31.74.01")).toBe("Tebet, Kota Jakarta Selatan, DKI Jakarta");
    expect(catalog.label("34.04.07", " / ")).toBe("Depok / Kabupaten Sleman / DI Yogyakarta");
    expect(catalog.label("32.73")).toBe("Kota Bandung, Jawa Barat");
    expect(catalog.label("19")).toBe("Kepulauan Bangka Belitung");
    expect(catalog.label("99")).toBeUndefined();
  });
});

describe("createRegionCatalog", () => {
  const provinces = [{ code: "11", name: "ACEH" }];
  const regencies = [{ code: "11.01", name: "KAB. ACEH SELATAN", provinceCode: "11" }];

  it("builds a catalog from raw rows", () => {
    const small = createRegionCatalog({
      provinces,
      regencies,
      districts: [{ code: "11.01.01", name: "BAKONGAN", regencyCode: "11.01" }],
    });
    expect(small.label("11.01.01")).toBe("Bakongan, Kabupaten Aceh Selatan, Aceh");
    expect(small.counts).toEqual({ province: 1, regency: 1, district: 1 });
  });

  it("rejects inconsistent data", () => {
    const build = (districts: { code: string; name: string; regencyCode: string }[]) => () =>
      createRegionCatalog({ provinces, regencies, districts });
    expect(build([{ code: "11.02.01", name: "X", regencyCode: "11.02" }])).toThrow(RegionDataError);
    expect(build([{ code: "11.01.1", name: "X", regencyCode: "11.01" }])).toThrow(RegionDataError);
    expect(build([{ code: "12.01.01", name: "X", regencyCode: "11.01" }])).toThrow(RegionDataError);
    expect(
      build([
        { code: "11.01.01", name: "X", regencyCode: "11.01" },
        { code: "11.01.01", name: "Y", regencyCode: "11.01" },
      ]),
    ).toThrow(RegionDataError);
  });
});
