/**
 * Indonesia's 38 province boundaries (assets/geo/indonesia-38-provinces.geojson, CC BY 4.0, indicative; see
 * assets/geo/NOTICE.md), registered with ECharts once: the whole country as one map, and each province as its own
 * map on first use (its outline under the pins of `/peta <province>`).
 */
import { readFileSync } from "node:fs";
import { charting } from "./echarts-svg.ts";

/** The GeoJSON property holding the Kemendagri province code ("31"). */
export const PROVINCE_CODE_PROPERTY = "KODE_PROV";
export const COUNTRY_MAP = "awasi-indonesia";

const GEOJSON_URL = new URL("../../../assets/geo/indonesia-38-provinces.geojson", import.meta.url);

interface Feature {
  type: "Feature";
  properties: Record<string, string>;
  geometry: { type: "Polygon" | "MultiPolygon"; coordinates: unknown };
}
interface FeatureCollection {
  type: "FeatureCollection";
  features: Feature[];
}

let collection: FeatureCollection | undefined;
const registered = new Set<string>();

/** The boundaries as GeoJSON (read once). */
export function provinceShapes(): FeatureCollection {
  collection ??= JSON.parse(readFileSync(GEOJSON_URL, "utf8")) as FeatureCollection;
  return collection;
}

/** Registers the country map; returns its name. */
export function countryMap(): string {
  if (!registered.has(COUNTRY_MAP)) {
    charting().echarts.registerMap(COUNTRY_MAP, provinceShapes() as never);
    registered.add(COUNTRY_MAP);
  }
  return COUNTRY_MAP;
}

/** Registers one province's outline as a map of its own; `undefined` when the boundaries lack that code. */
export function provinceMap(code: string): string | undefined {
  const name = `awasi-province-${code}`;
  if (registered.has(name)) return name;
  const feature = provinceShapes().features.find((f) => f.properties[PROVINCE_CODE_PROPERTY] === code);
  if (!feature) return undefined;
  charting().echarts.registerMap(name, { type: "FeatureCollection", features: [feature] } as never);
  registered.add(name);
  return name;
}

/** Rings ([lon, lat][]) of a province's polygons, outer rings first per polygon. */
export function provinceRings(code: string): Array<Array<[number, number]>> {
  const feature = provinceShapes().features.find((f) => f.properties[PROVINCE_CODE_PROPERTY] === code);
  if (!feature) return [];
  const polygons =
    feature.geometry.type === "Polygon"
      ? [feature.geometry.coordinates as Array<Array<[number, number]>>]
      : (feature.geometry.coordinates as Array<Array<Array<[number, number]>>>);
  return polygons.map((polygon) => polygon[0]!);
}
