/**
 * Server-side chart rendering without a browser or network: Apache ECharts in its SSR mode draws an option into an
 * SVG string, and resvg turns the SVG into a PNG with the Noto Sans font shipped in node_modules (the production
 * image has no system fonts, and resvg is told not to look for them).
 */
import { createRequire } from "node:module";
import type * as ResvgModule from "@resvg/resvg-js";
import type * as echarts from "echarts";

const require = createRequire(import.meta.url);

// Loaded on the first chart, not at start: ECharts and resvg hold ~45 MB that most instances never use.
let libraries: { echarts: typeof echarts; Resvg: typeof ResvgModule.Resvg } | undefined;
export const charting = () =>
  (libraries ??= {
    echarts: require("echarts") as typeof echarts,
    Resvg: (require("@resvg/resvg-js") as typeof ResvgModule).Resvg,
  });

/** The font files every chart's text is drawn with. */
export const FONT_FILES = [
  require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
];
export const FONT_FAMILY = "Noto Sans";

/**
 * Draws an ECharts option into an SVG of `width` × `height` pixels. `probe` runs on the laid-out chart before it
 * is disposed (e.g. `convertToPixel` of map coordinates, for tests that sample the PNG).
 */
export function renderSvg<T = undefined>(
  option: echarts.EChartsCoreOption,
  width: number,
  height: number,
  probe?: (chart: echarts.ECharts) => T,
): { svg: string; probed: T | undefined } {
  const chart = charting().echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT_FAMILY }, ...option });
    return { svg: chart.renderToSVGString(), probed: probe?.(chart) };
  } finally {
    chart.dispose();
  }
}

/** Rasterises an SVG to PNG bytes. */
export function svgToPng(svg: string): Buffer {
  const { Resvg } = charting();
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}
