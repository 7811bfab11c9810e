/**
 * Region catalog benchmark: load time, heap, search latency.
 *
 *   npx tsx bench/regions.bench.ts
 *
 * Heap figures are taken after a full GC when one can be forced (always, via V8's `--expose-gc` flag set at
 * run time), so "catalog heap" is what the catalog retains, not the garbage of parsing the CSV files.
 */
import { pathToFileURL } from "node:url";
import { loadRegionCatalog, type Region, type RegionCatalog } from "../domain/regions/region-catalog.ts";
import { forceGc } from "./gc.ts";

const SEARCH_QUERIES = 1_000;
const WARMUP_QUERIES = 200;
const MB = 1024 * 1024;

/** Queries people type: full and partial names, abbreviations, prefixes, typos. */
const HAND_WRITTEN = [
  "jakarta selatan",
  "jak sel",
  "bandung",
  "kota bandung",
  "kab. bandung",
  "sleman",
  "slemn",
  "tebet",
  "depok",
  "surabaya",
  "makasar",
  "jateng",
  "diy",
  "prov jawa timur",
  "kec. coblong",
  "a",
  "pa",
];

function heapUsed(gc: () => void): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run searches the same queries. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function allRegions(catalog: RegionCatalog): Region[] {
  const all: Region[] = [];
  const walk = (parentCode: string | null) => {
    for (const region of catalog.children(parentCode, { pageSize: 1_000 }).items) {
      all.push(region);
      walk(region.code);
    }
  };
  walk(null);
  return all;
}

/** A query derived from a region name: whole, a prefix, word prefixes, or with two letters swapped. */
function queryFor(name: string, next: () => number): string {
  const words = name
    .toLowerCase()
    .replace(/^(kabupaten|kota) /, "")
    .split(" ");
  switch (Math.floor(next() * 4)) {
    case 0:
      return name;
    case 1:
      return words.join(" ").slice(0, 3 + Math.floor(next() * 4));
    case 2:
      return words.map((word) => word.slice(0, 3)).join(" ");
    default: {
      const word = words.join(" ");
      const at = 1 + Math.floor(next() * Math.max(1, word.length - 2));
      return word.slice(0, at) + (word[at + 1] ?? "") + (word[at] ?? "") + word.slice(at + 2);
    }
  }
}

function makeQueries(catalog: RegionCatalog, count: number): string[] {
  const next = random(20_240_214);
  const regions = allRegions(catalog);
  const queries = [...HAND_WRITTEN];
  while (queries.length < count) {
    queries.push(queryFor(regions[Math.floor(next() * regions.length)]!.name, next));
  }
  return queries.slice(0, count);
}

/** Loads a fresh catalog and searches it; returns the figures (milliseconds, megabytes). */
export async function runRegionsBench(): Promise<Record<string, number>> {
  const gc = forceGc();
  const heapBefore = heapUsed(gc);
  const loadStart = performance.now();
  const catalog = await loadRegionCatalog();
  const loadMs = performance.now() - loadStart;
  const heapAfter = heapUsed(gc);

  const queries = makeQueries(catalog, SEARCH_QUERIES);
  for (const query of queries.slice(0, WARMUP_QUERIES)) catalog.search(query);
  const durations: number[] = [];
  let results = 0;
  for (const query of queries) {
    const start = performance.now();
    results += catalog.search(query).length;
    durations.push(performance.now() - start);
  }
  durations.sort((a, b) => a - b);
  const total = durations.reduce((sum, duration) => sum + duration, 0);
  const round = (value: number, digits = 3) => Number(value.toFixed(digits));

  return {
    regions: catalog.counts.province + catalog.counts.regency + catalog.counts.district,
    loadMs: round(loadMs, 1),
    heapUsedMb: round(heapAfter / MB, 1),
    catalogHeapMb: round((heapAfter - heapBefore) / MB, 1),
    searchQueries: queries.length,
    searchAvgMs: round(total / queries.length),
    searchP95Ms: round(durations[Math.floor(durations.length * 0.95)] ?? 0),
    searchMaxMs: round(durations.at(-1) ?? 0),
    searchAvgResults: round(results / queries.length, 1),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runRegionsBench();
  console.log(`regions: ${result.regions}`);
  console.log(`load time: ${result.loadMs} ms`);
  console.log(`heap used after load: ${result.heapUsedMb} MB (catalog: ${result.catalogHeapMb} MB)`);
  console.log(
    `search: ${result.searchAvgMs} ms average, ${result.searchP95Ms} ms p95, ${result.searchMaxMs} ms max ` +
      `over ${result.searchQueries} queries (${result.searchAvgResults} results on average)`,
  );
}
