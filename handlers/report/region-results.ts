import type { Region, RegionCatalog } from "../../domain/regions/region-catalog.ts";
import { normalizeForSearch } from "../../domain/regions/region-names.ts";

/**
 * The location step's region search, remembered per query. A search scans the whole catalog (about 7,800 regions,
 * several names each: about 1 ms on this machine), the catalog never changes while the process runs, and on voting
 * day many reporters in one area type the same names ("tebet", "coblong"). The search ignores case and
 * punctuation ({@link RegionCatalog.search}): queries that normalise alike ("Tebet.", "tebet") share one entry. Beyond
 * {@link MAX_QUERIES} the least recently used query is forgotten.
 */
const MAX_QUERIES = 1_000;

const remembered = new WeakMap<RegionCatalog, Map<string, readonly Region[]>>();

export function searchRegions(regions: RegionCatalog, query: string, limit: number): readonly Region[] {
  let byQuery = remembered.get(regions);
  if (byQuery === undefined) {
    byQuery = new Map();
    remembered.set(regions, byQuery);
  }
  const key = `${limit}\u0000${normalizeForSearch(query)}`;
  const known = byQuery.get(key);
  if (known !== undefined) {
    // Most recently used last: the first entry is the one to forget.
    byQuery.delete(key);
    byQuery.set(key, known);
    return known;
  }
  const found = Object.freeze(regions.search(query, { limit }));
  byQuery.set(key, found);
  if (byQuery.size > MAX_QUERIES) byQuery.delete(byQuery.keys().next().value!);
  return found;
}
