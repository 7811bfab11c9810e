import type { RegionLevel } from "./region-names.ts";

export type { RegionLevel } from "./region-names.ts";

/**
 * An Indonesian administrative region (Kepmendagri code). `code` is dotted: `"31"` (province), `"31.74"`
 * (regency/city), `"31.74.01"` (district, *kecamatan*), at most 8 characters, so it fits in Telegram callback data.
 * `name` is the display name ("DKI Jakarta", "Kota Jakarta Selatan", "Tebet").
 */
export type Region = {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** Code of the enclosing region; `null` for provinces. */
  readonly parentCode: string | null;
};

/** Paging for {@link RegionCatalog.children}. `page` is 1-based. */
export type RegionPageOptions = {
  /** 1-based page number; out-of-range values are clamped to the first/last page. Default 1. */
  page?: number;
  /** Items per page, a positive integer. Default {@link DEFAULT_PAGE_SIZE}. */
  pageSize?: number;
};

/** One page of a region's children. `page` is the page actually returned (after clamping). */
export type RegionPage = {
  readonly items: readonly Region[];
  /** 1-based. */
  readonly page: number;
  /** At least 1, even when there are no items. */
  readonly pageCount: number;
  /** Number of children over all pages. */
  readonly total: number;
};

/** Filters and size for {@link RegionCatalog.search}. */
export type RegionSearchOptions = {
  /** Only return regions of this level. */
  level?: RegionLevel;
  /** Only return regions inside this region (children, grandchildren). */
  parentCode?: string;
  /** Maximum number of results, default {@link DEFAULT_SEARCH_LIMIT}. */
  limit?: number;
};

/** Default {@link RegionPageOptions.pageSize}. */
export const DEFAULT_PAGE_SIZE = 10;

/** Default {@link RegionSearchOptions.limit}. */
export const DEFAULT_SEARCH_LIMIT = 10;

/** Provinces, regencies and districts of Indonesia, indexed for lookup, browsing and search. */
export interface RegionCatalog {
  /** Number of regions per level. */
  readonly counts: Readonly<Record<RegionLevel, number>>;
  /** The region with this code, if any. */
  get(code: string): Region | undefined;
  /**
   * The direct children of `parentCode` (`null` for the provinces), one page at a time. Sorted by name;
   * regencies ignore their "Kabupaten"/"Kota" prefix, so "Kabupaten Bandung" and "Kota Bandung" sit together.
   * An unknown code has no children.
   */
  children(parentCode: string | null, options?: RegionPageOptions): RegionPage;
  /**
   * Regions whose name matches `query`, best first: exact, then starts-with, then every query word a prefix of
   * a name word ("jak sel" → "Kota Jakarta Selatan"), then contains. Case, punctuation and a leading
   * "kabupaten"/"kab."/"kota"/"provinsi"/"prov."/"kecamatan"/"kec." are ignored (the prefix only breaks ties:
   * "kota bandung" lists Kota Bandung before Kabupaten Bandung). Ties go to the larger level, then by name.
   * When nothing matches, one typo (edit, insertion, deletion or swap) is tolerated in a word of 5 or more letters.
   */
  search(query: string, options?: RegionSearchOptions): Region[];
  /** The region and its ancestors, largest first: `[province, regency, district]`. Empty for an unknown code. */
  path(code: string): Region[];
  /**
   * A human label, smallest region first: "Tebet, Kota Jakarta Selatan, DKI Jakarta". `undefined` for an
   * unknown code.
   */
  label(code: string, separator?: string): string | undefined;
}
