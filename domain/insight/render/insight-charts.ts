/**
 * The pictures of the officers' insight commands, as ECharts options drawn by {@link renderSvg}: the national
 * choropleth (`/peta`), one province's regencies and pins (`/peta <province>`), the summary (`/rekap`) and the
 * digest's trend. Every text comes in already translated (`labels`), in the staff group's language.
 */
import type * as echarts from "echarts";
import { renderSvg, svgToPng } from "./echarts-svg.ts";
import { countClasses, EMPTY, INK, MUTED, QUALITATIVE, SEQUENTIAL } from "./palette.ts";
import {
  COUNTRY_MAP,
  countryMap,
  PROVINCE_CODE_PROPERTY,
  provinceMap,
  provinceShapes,
} from "./province-shapes.ts";

/** Texts around a picture. */
export interface FrameLabels {
  title: string;
  subtitle: string;
  /** Data source and attribution, at the bottom. */
  source: string;
}

export interface Picture {
  svg: string;
  png: Buffer;
}

const TITLE_STYLE = { color: INK, fontSize: 26, fontWeight: "bold" as const };
const SUBTITLE_STYLE = { color: MUTED, fontSize: 16 };

function frame(labels: FrameLabels): echarts.EChartsCoreOption {
  return {
    backgroundColor: "#ffffff",
    title: [
      {
        text: labels.title,
        subtext: labels.subtitle,
        left: 24,
        top: 16,
        textStyle: TITLE_STYLE,
        subtextStyle: SUBTITLE_STYLE,
      },
      {
        text: labels.source,
        left: 24,
        bottom: 12,
        textStyle: { color: MUTED, fontSize: 12, fontWeight: "normal" },
      },
    ],
  };
}

function picture(option: echarts.EChartsCoreOption, width: number, height: number): Picture {
  const { svg } = renderSvg(option, width, height);
  return { svg, png: svgToPng(svg) };
}

export const MAP_SIZE = { width: 1400, height: 820 } as const;

/** Options of the national map; exported for tests that probe pixel positions. */
export function countryMapOption(
  counts: ReadonlyArray<{ code: string; count: number }>,
  labels: FrameLabels & { legendNone: string },
): echarts.EChartsCoreOption {
  const map = countryMap();
  const max = counts.reduce((m, c) => Math.max(m, c.count), 0);
  const classes = countClasses(max);
  const byCode = new Map(counts.map((c) => [c.code, c.count]));
  return {
    ...frame(labels),
    geo: {
      map,
      nameProperty: PROVINCE_CODE_PROPERTY,
      roam: false,
      silent: true,
      left: 24,
      right: 24,
      top: 110,
      bottom: 120,
      itemStyle: { areaColor: EMPTY, borderColor: "#ffffff", borderWidth: 0.8 },
      label: { show: false },
    },
    visualMap: {
      type: "piecewise",
      orient: "horizontal",
      left: 24,
      bottom: 44,
      itemWidth: 28,
      itemHeight: 16,
      textStyle: { color: INK, fontSize: 14 },
      seriesIndex: 0,
      pieces: [
        { value: 0, color: EMPTY, label: labels.legendNone },
        ...classes.map((c) => ({
          gte: c.from,
          lte: c.to,
          color: c.color,
          label: c.from === c.to ? String(c.from) : `${c.from}–${c.to}`,
        })),
      ],
    },
    series: [
      {
        type: "map",
        geoIndex: 0,
        nameProperty: PROVINCE_CODE_PROPERTY,
        data: provinceCodes().map((code) => ({ name: code, value: byCode.get(code) ?? 0 })),
      },
    ],
  };
}

function provinceCodes(): string[] {
  return provinceShapes().features.map((f) => f.properties[PROVINCE_CODE_PROPERTY]!);
}

/** The national choropleth of report counts per province. */
export function renderCountryMap(
  counts: ReadonlyArray<{ code: string; count: number }>,
  labels: FrameLabels & { legendNone: string },
): Picture {
  return picture(countryMapOption(counts, labels), MAP_SIZE.width, MAP_SIZE.height);
}

export { COUNTRY_MAP };

/** One province: its outline with the pins, and its regencies/cities ranked by reports. */
export function renderProvinceMap(
  provinceCode: string,
  regencies: ReadonlyArray<{ name: string; count: number }>,
  pins: ReadonlyArray<{ latitude: number; longitude: number }>,
  labels: FrameLabels & { bars: string; pins: string },
): Picture {
  const map = provinceMap(provinceCode);
  const top = regencies.slice(0, 15);
  const option: echarts.EChartsCoreOption = {
    ...frame(labels),
    geo: map
      ? {
          map,
          roam: false,
          silent: true,
          left: 24,
          top: 120,
          bottom: 70,
          width: 640,
          itemStyle: { areaColor: EMPTY, borderColor: "#888888", borderWidth: 1 },
        }
      : undefined,
    grid: { left: 900, right: 48, top: 140, bottom: 70 },
    xAxis: { type: "value", minInterval: 1, axisLabel: { color: INK, fontSize: 13 } },
    yAxis: {
      type: "category",
      inverse: true,
      data: top.map((r) => r.name),
      axisLabel: { color: INK, fontSize: 13, width: 200, overflow: "truncate" },
    },
    legend: {
      top: 96,
      left: 24,
      itemGap: 32,
      textStyle: { color: INK, fontSize: 14 },
      data: [labels.pins, labels.bars],
    },
    series: [
      ...(map
        ? [
            {
              name: labels.pins,
              type: "scatter",
              coordinateSystem: "geo",
              geoIndex: 0,
              symbolSize: 9,
              itemStyle: { color: SEQUENTIAL[4], opacity: 0.75, borderColor: "#ffffff", borderWidth: 1 },
              data: pins.map((p) => [p.longitude, p.latitude]),
            },
          ]
        : []),
      {
        name: labels.bars,
        type: "bar",
        barMaxWidth: 44,
        itemStyle: { color: SEQUENTIAL[2] },
        label: { show: true, position: "right", color: INK, fontSize: 13 },
        data: top.map((r) => r.count),
      },
    ],
  };
  return picture(option, MAP_SIZE.width, MAP_SIZE.height);
}

export const SUMMARY_SIZE = { width: 1400, height: 860 } as const;

/** `/rekap`: tickets by category and by status (bars), and per day (line). */
export function renderSummaryChart(
  byCategory: ReadonlyArray<{ label: string; count: number }>,
  byStatus: ReadonlyArray<{ label: string; count: number }>,
  daily: ReadonlyArray<{ label: string; count: number }>,
  labels: FrameLabels & { categories: string; statuses: string; trend: string },
): Picture {
  const sectionTitle = (text: string, left: number | string, top: number) => ({
    text,
    left,
    top,
    textStyle: { color: INK, fontSize: 17, fontWeight: "bold" as const },
  });
  const base = frame(labels) as { title: object[] };
  const option: echarts.EChartsCoreOption = {
    ...base,
    title: [
      ...base.title,
      sectionTitle(labels.categories, 24, 100),
      sectionTitle(labels.statuses, 724, 100),
      sectionTitle(labels.trend, 24, 450),
    ],
    grid: [
      { left: 220, width: 440, top: 140, height: 240 },
      { left: 900, right: 48, top: 140, height: 240 },
      { left: 70, right: 48, top: 495, bottom: 80 },
    ],
    xAxis: [
      { gridIndex: 0, type: "value", minInterval: 1, axisLabel: { color: INK } },
      { gridIndex: 1, type: "value", minInterval: 1, axisLabel: { color: INK } },
      {
        gridIndex: 2,
        type: "category",
        data: daily.map((d) => d.label),
        axisLabel: { color: INK, fontSize: 12, hideOverlap: true },
      },
    ],
    yAxis: [
      {
        gridIndex: 0,
        type: "category",
        inverse: true,
        data: byCategory.map((c) => c.label),
        axisLabel: { color: INK, fontSize: 14 },
      },
      {
        gridIndex: 1,
        type: "category",
        inverse: true,
        data: byStatus.map((s) => s.label),
        axisLabel: { color: INK, fontSize: 14 },
      },
      { gridIndex: 2, type: "value", minInterval: 1, axisLabel: { color: INK } },
    ],
    series: [
      {
        type: "bar",
        barMaxWidth: 44,
        xAxisIndex: 0,
        yAxisIndex: 0,
        label: { show: true, position: "right", color: INK, fontSize: 14 },
        data: byCategory.map((c, i) => ({
          value: c.count,
          itemStyle: { color: QUALITATIVE[i % QUALITATIVE.length] },
        })),
      },
      {
        type: "bar",
        barMaxWidth: 44,
        xAxisIndex: 1,
        yAxisIndex: 1,
        label: { show: true, position: "right", color: INK, fontSize: 14 },
        itemStyle: { color: SEQUENTIAL[3] },
        data: byStatus.map((s) => s.count),
      },
      {
        type: "line",
        xAxisIndex: 2,
        yAxisIndex: 2,
        symbol: daily.length > 45 ? "none" : "circle",
        lineStyle: { color: QUALITATIVE[0], width: 3 },
        itemStyle: { color: QUALITATIVE[0] },
        areaStyle: { color: "rgba(0,114,178,0.12)" },
        data: daily.map((d) => d.count),
      },
    ],
  };
  return picture(option, SUMMARY_SIZE.width, SUMMARY_SIZE.height);
}

export const TREND_SIZE = { width: 900, height: 380 } as const;

/** The digest's small chart: new tickets per day. */
export function renderTrendChart(
  daily: ReadonlyArray<{ label: string; count: number }>,
  labels: FrameLabels,
): Picture {
  const base = frame(labels) as { title: Array<{ textStyle?: object }> };
  const option: echarts.EChartsCoreOption = {
    ...base,
    title: base.title.map((t, i) => (i === 0 ? { ...t, textStyle: { ...TITLE_STYLE, fontSize: 20 } } : t)),
    grid: { left: 56, right: 24, top: 90, bottom: 70 },
    xAxis: { type: "category", data: daily.map((d) => d.label), axisLabel: { color: INK, fontSize: 12 } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { color: INK } },
    series: [{ type: "bar", itemStyle: { color: SEQUENTIAL[2] }, data: daily.map((d) => d.count) }],
  };
  return picture(option, TREND_SIZE.width, TREND_SIZE.height);
}
