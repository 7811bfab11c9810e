import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { renderSvg, svgToPng } from "../../../domain/insight/render/echarts-svg.ts";
import {
  countryMapOption,
  MAP_SIZE,
  renderCountryMap,
  renderProvinceMap,
  renderSummaryChart,
  renderTrendChart,
  SUMMARY_SIZE,
} from "../../../domain/insight/render/insight-charts.ts";
import { countClasses, EMPTY, SEQUENTIAL } from "../../../domain/insight/render/palette.ts";
import { provinceRings } from "../../../domain/insight/render/province-shapes.ts";

const LABELS = {
  title: "Peta kerawanan",
  subtitle: "1 Nov – 28 Nov 2024",
  source: "Batas wilayah indikatif",
  legendNone: "0",
};
const COUNTS = [
  { code: "64", count: 1200 }, // Kalimantan Timur: the most
  { code: "32", count: 900 },
  { code: "35", count: 300 },
  { code: "31", count: 40 },
];

function decode(png: Buffer): PNG {
  return PNG.sync.read(png);
}

function pixel(image: PNG, [x, y]: [number, number]): string {
  const i = (Math.round(y) * image.width + Math.round(x)) * 4;
  const hex = (n: number) => image.data[i + n]!.toString(16).padStart(2, "0");
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** A point well inside a province: the middle of the widest span of its largest polygon at mid-latitude. */
function pointInside(code: string): [number, number] {
  const rings = provinceRings(code);
  const area = (ring: Array<[number, number]>) => {
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    return (Math.max(...lons) - Math.min(...lons)) * (Math.max(...lats) - Math.min(...lats));
  };
  const ring = [...rings].sort((a, b) => area(b) - area(a))[0]!;
  const lats = ring.map((p) => p[1]);
  const y = (Math.max(...lats) + Math.min(...lats)) / 2 + 1e-7;
  const crossings: number[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    if (y1 > y !== y2 > y) crossings.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
  }
  crossings.sort((a, b) => a - b);
  let best: [number, number] = [crossings[0]!, crossings[1]!];
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    if (crossings[i + 1]! - crossings[i]! > best[1] - best[0]) best = [crossings[i]!, crossings[i + 1]!];
  }
  return [(best[0] + best[1]) / 2, y];
}

describe("insight pictures", () => {
  it("colours the province with most reports in the strongest colour of the scale, empty ones grey", () => {
    const option = countryMapOption(COUNTS, LABELS);
    const { svg, probed } = renderSvg(option, MAP_SIZE.width, MAP_SIZE.height, (chart) =>
      ["64", "32", "94"].map(
        (code) => chart.convertToPixel({ geoIndex: 0 }, pointInside(code)) as unknown as [number, number],
      ),
    );
    const image = decode(svgToPng(svg));
    expect([image.width, image.height]).toEqual([MAP_SIZE.width, MAP_SIZE.height]);
    const [kaltim, jabar, papuaPegunungan] = probed as [[number, number], [number, number], [number, number]];
    expect(pixel(image, kaltim)).toBe(SEQUENTIAL[4]);
    expect(pixel(image, jabar)).not.toBe(SEQUENTIAL[4]);
    expect(SEQUENTIAL).toContain(pixel(image, jabar));
    expect(pixel(image, papuaPegunungan)).toBe(EMPTY);
  });

  it("is not blank and has a title, a legend, the source line and 38 provinces in the SVG", () => {
    const { svg, png } = renderCountryMap(COUNTS, LABELS);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">Peta kerawanan<");
    expect(svg).toContain("Batas wilayah indikatif");
    for (const c of countClasses(1200)) expect(svg).toContain(`${c.from}–${c.to}`);
    // Every province is one path (a multipolygon is one compound path) filled with a scale or the empty colour.
    const fills = [...svg.matchAll(/<path d="M[^"]*"[^>]*fill="(#[0-9a-f]{6}|rgb\([^)]*\))"/gi)].map(
      (m) => m[1],
    );
    expect(fills.length).toBeGreaterThanOrEqual(38);
    const image = decode(png);
    const colours = new Set<string>();
    for (let i = 0; i < image.data.length; i += 4 * 97)
      colours.add(`${image.data[i]},${image.data[i + 1]},${image.data[i + 2]}`);
    expect(colours.size).toBeGreaterThan(4);
  });

  it("draws a province's outline, its pins and its regencies as bars", () => {
    const { svg, png } = renderProvinceMap(
      "64",
      [
        { name: "Kota Samarinda", count: 20 },
        { name: "Kota Balikpapan", count: 8 },
      ],
      [
        { latitude: -0.5, longitude: 117.15 },
        { latitude: -1.27, longitude: 116.83 },
      ],
      { ...LABELS, bars: "Laporan per kab/kota", pins: "Titik laporan" },
    );
    expect(svg).toContain("Kota Samarinda");
    expect(svg).toContain("Titik laporan");
    expect(decode(png).width).toBe(MAP_SIZE.width);
  });

  it("draws the summary chart and the digest's trend", () => {
    const summary = renderSummaryChart(
      [{ label: "Politik uang", count: 40 }],
      [{ label: "Baru", count: 40 }],
      [
        { label: "1 Nov", count: 10 },
        { label: "2 Nov", count: 30 },
      ],
      { ...LABELS, categories: "Per kategori", statuses: "Per status", trend: "Per hari" },
    );
    expect(summary.svg).toContain("Per kategori");
    expect(summary.svg).toContain("Politik uang");
    expect(decode(summary.png).height).toBe(SUMMARY_SIZE.height);
    const trend = renderTrendChart([{ label: "1 Nov", count: 3 }], LABELS);
    expect(decode(trend.png).width).toBeGreaterThan(0);
  });

  it("splits counts into classes whose last holds the maximum", () => {
    expect(countClasses(0)).toEqual([]);
    expect(countClasses(3).map((c) => [c.from, c.to])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(countClasses(3).at(-1)!.color).toBe(SEQUENTIAL[4]);
    const many = countClasses(1201);
    expect(many.at(-1)!.to).toBe(1201);
    expect(many).toHaveLength(5);
  });
});
