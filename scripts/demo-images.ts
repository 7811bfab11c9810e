/**
 * `npm run demo:images`: renders the README's pictures from made-up demo numbers (no database, no network) with
 * the same code the bot uses: docs/peta-demo.png (the national map), docs/peta-provinsi-demo.png (one province)
 * and docs/rekap-demo.png (the summary chart). Labels in Indonesian, as a staff group would see them.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  renderCountryMap,
  renderProvinceMap,
  renderSummaryChart,
} from "../domain/insight/render/insight-charts.ts";
import { PROVINCE_CODE_PROPERTY, provinceShapes } from "../domain/insight/render/province-shapes.ts";
import { getRegionCatalog } from "../domain/regions/region-catalog.ts";

const docs = join(dirname(fileURLToPath(import.meta.url)), "..", "docs");
const SOURCE =
  "Sumber: data demo Awasi. Batas wilayah indikatif: denyherianto/indonesia-geojson-topojson-maps-with-38-provinces (CC BY 4.0); data wilayah idn-area-data (ODbL).";

/** A deterministic pseudo-random number in [0, 1) for `seed`. */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

const catalog = await getRegionCatalog();
const heavy: Record<string, number> = {
  "32": 410,
  "35": 360,
  "33": 300,
  "31": 240,
  "12": 190,
  "73": 150,
  "64": 130,
};
const counts = provinceShapes()
  .features.map((f) => f.properties[PROVINCE_CODE_PROPERTY]!)
  .map((code, i) => ({ code, count: heavy[code] ?? Math.round(noise(i + 1) * 90) }));
const map = renderCountryMap(counts, {
  title: "Peta kerawanan: laporan per provinsi",
  subtitle: "1 Nov 2024 – 27 Nov 2024 · semua kategori · demo",
  source: SOURCE,
  legendNone: "0",
});
writeFileSync(join(docs, "peta-demo.png"), map.png);

const regencies = catalog.children("64", { pageSize: 20 }).items.map((r, i) => ({
  name: r.name,
  count: Math.round(5 + noise(i + 40) * 40),
}));
regencies.sort((a, b) => b.count - a.count);
const pins = Array.from({ length: 60 }, (_, i) => ({
  latitude: Math.round((-0.5 - noise(i + 100) * 0.9) * 100) / 100,
  longitude: Math.round((116.8 + noise(i + 200) * 0.5) * 100) / 100,
}));
const province = renderProvinceMap("64", regencies, pins, {
  title: "Peta kerawanan: Kalimantan Timur",
  subtitle: "30 hari terakhir · Politik uang · demo",
  source: SOURCE,
  bars: "Laporan per kabupaten/kota",
  pins: "Titik laporan (anonim dibulatkan)",
});
writeFileSync(join(docs, "peta-provinsi-demo.png"), province.png);

const daily = Array.from({ length: 27 }, (_, i) => ({
  label: `${i + 1} Nov`,
  count: Math.round(20 + i * 1.6 + noise(i + 300) * 18 + (i > 22 ? 40 : 0)),
}));
const summary = renderSummaryChart(
  [
    { label: "Politik uang", count: 512 },
    { label: "Hoaks", count: 301 },
    { label: "Netralitas ASN", count: 187 },
    { label: "Lainnya", count: 64 },
  ],
  [
    { label: "Baru", count: 140 },
    { label: "Ditelaah", count: 260 },
    { label: "Menunggu pelapor", count: 75 },
    { label: "Terverifikasi", count: 120 },
    { label: "Diteruskan", count: 180 },
    { label: "Selesai", count: 210 },
    { label: "Ditolak", count: 79 },
  ],
  daily,
  {
    title: "Rekap laporan",
    subtitle: "1 Nov 2024 – 27 Nov 2024 · semua wilayah · demo",
    source: SOURCE,
    categories: "Per kategori",
    statuses: "Per status",
    trend: "Laporan per hari",
  },
);
writeFileSync(join(docs, "rekap-demo.png"), summary.png);
console.log(
  `wrote ${["peta-demo.png", "peta-provinsi-demo.png", "rekap-demo.png"].map((f) => join("docs", f)).join(", ")}`,
);
