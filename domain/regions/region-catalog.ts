/**
 * The catalog of Indonesian administrative regions (provinces, regencies/cities, districts) that reporters pick
 * the place of a violation from. Villages are left out: 83,000 rows cost more memory than they are worth here.
 *
 * Data: idn-area-data (Kepmendagri codes), loaded from its CSV files once per process via
 * {@link getRegionCatalog}.
 */
import { getDistricts, getProvinces, getRegencies } from "idn-area-data";
import { REGION_SEARCH_ALIASES } from "./region-aliases.ts";
import { baseName, displayName, normalizeForSearch, type RegionLevel, regencyKind } from "./region-names.ts";
import { RegionSearchIndex, type SearchableRegion } from "./region-search.ts";
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_SEARCH_LIMIT,
  type Region,
  type RegionCatalog,
  type RegionPage,
  type RegionPageOptions,
  type RegionSearchOptions,
} from "./region-types.ts";

export type {
  Region,
  RegionCatalog,
  RegionLevel,
  RegionPage,
  RegionPageOptions,
  RegionSearchOptions,
} from "./region-types.ts";
export { DEFAULT_PAGE_SIZE, DEFAULT_SEARCH_LIMIT } from "./region-types.ts";

/**
 * Attribution required by the Open Database License for the region data; show it wherever region data is
 * offered (e.g. the bot's /about or privacy text).
 */
export const REGION_DATA_ATTRIBUTION =
  "Region data: idn-area-data (https://github.com/fityannugroho/idn-area-data), based on Kepmendagri " +
  "administrative codes, made available under the Open Database License (ODbL) v1.0 " +
  "(https://opendatacommons.org/licenses/odbl/1-0/).";

/** Raw rows, as in the idn-area-data CSV files (names unformatted). */
export type RegionSourceData = {
  provinces: ReadonlyArray<{ code: string; name: string }>;
  regencies: ReadonlyArray<{ code: string; name: string; provinceCode: string }>;
  districts: ReadonlyArray<{ code: string; name: string; regencyCode: string }>;
};

/** Thrown when the source data is inconsistent (bad code, unknown parent, duplicate code). */
export class RegionDataError extends Error {}

const CODE_PATTERNS: Readonly<Record<RegionLevel, RegExp>> = {
  province: /^\d{2}$/,
  regency: /^\d{2}\.\d{2}$/,
  district: /^\d{2}\.\d{2}\.\d{2}$/,
};

const LEVEL_RANK: Readonly<Record<RegionLevel, number>> = { province: 0, regency: 1, district: 2 };

/** Whether `value` looks like a province, regency or district code (`"31"`, `"31.74"`, `"31.74.01"`). */
export function isRegionCode(value: string): boolean {
  return /^\d{2}(?:\.\d{2}){0,2}$/.test(value);
}

type Row = { level: RegionLevel; code: string; rawName: string; parentCode: string | null };

class Catalog implements RegionCatalog {
  readonly counts: Readonly<Record<RegionLevel, number>>;
  readonly #byCode: ReadonlyMap<string, Region>;
  /** Children sorted for display, keyed by parent code; provinces under `""`. */
  readonly #children: ReadonlyMap<string, readonly Region[]>;
  readonly #index: RegionSearchIndex;

  constructor(rows: readonly Row[]) {
    const prepared = rows.map((row) => {
      const name = displayName(row.level, row.rawName);
      const region: Region = Object.freeze({
        code: row.code,
        name,
        level: row.level,
        parentCode: row.parentCode,
      });
      const sortName = baseName(row.level, name);
      const normalizedSortName = normalizeForSearch(sortName);
      const normalizedName = sortName === name ? normalizedSortName : normalizeForSearch(name);
      // Compared with `<`: several times faster than Intl.Collator, and the same order for these ASCII names.
      const sortKey = [LEVEL_RANK[row.level], normalizedSortName, normalizedName, row.code].join("\u0000");
      return { row, region, sortName, sortKey };
    });
    prepared.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));

    const byCode = new Map<string, Region>();
    const children = new Map<string, Region[]>();
    const counts: Record<RegionLevel, number> = { province: 0, regency: 0, district: 0 };
    for (const { region } of prepared) {
      byCode.set(region.code, region);
      const siblings = children.get(region.parentCode ?? "");
      if (siblings) siblings.push(region);
      else children.set(region.parentCode ?? "", [region]);
      counts[region.level]++;
    }
    this.#byCode = byCode;
    this.#children = children;
    this.counts = Object.freeze(counts);

    this.#index = new RegionSearchIndex(
      prepared.map(({ row, region, sortName }, ordinal): SearchableRegion => {
        const names = [region.name, sortName, row.rawName, ...(REGION_SEARCH_ALIASES[region.code] ?? [])];
        // "DKI Jakarta" and "DI Yogyakarta" are also found as "Jakarta" and "Yogyakarta".
        if (region.level === "province") names.push(region.name.replace(/^(?:DKI|DK|DI)\s+/, ""));
        return { region, ordinal, kind: regencyKind(region.name), names };
      }),
    );
  }

  get(code: string): Region | undefined {
    return this.#byCode.get(code);
  }

  children(parentCode: string | null, options: RegionPageOptions = {}): RegionPage {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    }
    const all = (parentCode === "" ? undefined : this.#children.get(parentCode ?? "")) ?? [];
    const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
    const requested = Number.isFinite(options.page) ? Math.trunc(options.page!) : 1;
    const page = Math.min(Math.max(requested, 1), pageCount);
    const start = (page - 1) * pageSize;
    return { items: all.slice(start, start + pageSize), page, pageCount, total: all.length };
  }

  search(query: string, options: RegionSearchOptions = {}): Region[] {
    const { level, parentCode, limit = DEFAULT_SEARCH_LIMIT } = options;
    if (parentCode !== undefined && !this.#byCode.has(parentCode)) return [];
    // Codes are hierarchical (checked on load), so "inside" is a code prefix.
    const inside = parentCode === undefined ? undefined : `${parentCode}.`;
    const filter =
      level === undefined && inside === undefined
        ? undefined
        : (region: Region) =>
            (level === undefined || region.level === level) &&
            (inside === undefined || region.code.startsWith(inside));
    return this.#index.search(query, limit, filter);
  }

  path(code: string): Region[] {
    const path: Region[] = [];
    for (let region = this.#byCode.get(code); region; ) {
      path.unshift(region);
      region = region.parentCode === null ? undefined : this.#byCode.get(region.parentCode);
    }
    return path;
  }

  label(code: string, separator = ", "): string | undefined {
    const path = this.path(code);
    if (path.length === 0) return undefined;
    return path
      .reverse()
      .map((region) => region.name)
      .join(separator);
  }
}

function checkRows(rows: readonly Row[]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const where = `${row.level} ${JSON.stringify(row.code)}`;
    if (!CODE_PATTERNS[row.level].test(row.code)) throw new RegionDataError(`${where}: malformed code`);
    if (seen.has(row.code)) throw new RegionDataError(`${where}: duplicate code`);
    if (row.rawName.trim() === "") throw new RegionDataError(`${where}: empty name`);
    if (row.parentCode !== null) {
      if (!seen.has(row.parentCode)) throw new RegionDataError(`${where}: unknown parent ${row.parentCode}`);
      if (!row.code.startsWith(`${row.parentCode}.`)) {
        throw new RegionDataError(`${where}: code does not extend parent ${row.parentCode}`);
      }
    }
    seen.add(row.code);
  }
}

/**
 * Builds a catalog from raw rows (useful for tests with small fixtures). Throws {@link RegionDataError} if a
 * code is malformed, duplicated or its parent is missing.
 */
export function createRegionCatalog(data: RegionSourceData): RegionCatalog {
  const rows: Row[] = [
    ...data.provinces.map((p) => ({
      level: "province" as const,
      code: p.code,
      rawName: p.name,
      parentCode: null,
    })),
    ...data.regencies.map((r) => ({
      level: "regency" as const,
      code: r.code,
      rawName: r.name,
      parentCode: r.provinceCode,
    })),
    ...data.districts.map((d) => ({
      level: "district" as const,
      code: d.code,
      rawName: d.name,
      parentCode: d.regencyCode,
    })),
  ];
  checkRows(rows);
  return new Catalog(rows);
}

/**
 * Reads the idn-area-data CSV files and builds a new catalog (about 60 ms). Prefer {@link getRegionCatalog},
 * which shares one catalog per process; this one always reloads (for benchmarks).
 */
export async function loadRegionCatalog(): Promise<RegionCatalog> {
  const [provinces, regencies, districts] = await Promise.all([
    getProvinces(),
    getRegencies({ transform: true }),
    getDistricts({ transform: true }),
  ]);
  // Papa Parse yields a row of empty fields for a trailing blank line; skip such rows.
  const present = (row: { code?: string }) => typeof row.code === "string" && row.code !== "";
  return createRegionCatalog({
    provinces: provinces.filter(present),
    regencies: regencies.filter(present),
    districts: districts.filter(present),
  });
}

let shared: Promise<RegionCatalog> | undefined;

/**
 * The process-wide catalog: loaded on the first call, then the same instance. A failed load is not cached, so
 * a later call retries.
 */
export function getRegionCatalog(): Promise<RegionCatalog> {
  shared ??= loadRegionCatalog().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
