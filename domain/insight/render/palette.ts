/**
 * Colours readable with the common colour-vision deficiencies: a sequential viridis scale for counts (light for
 * few, dark for many, so "more" reads as "stronger" in grey too) and the Okabe–Ito qualitative palette for
 * categories.
 */

/** Viridis, 5 steps, from few (light yellow) to many (dark purple). */
export const SEQUENTIAL = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"] as const;
/** Regions with no report. */
export const EMPTY = "#e6e6e6";
/** Okabe–Ito. */
export const QUALITATIVE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
] as const;
export const INK = "#222222";
export const MUTED = "#666666";

/** A class of the choropleth legend: counts `from`..`to` (both included). */
export interface CountClass {
  from: number;
  to: number;
  color: string;
}

/**
 * Splits counts 1..max into at most five classes of equal width (whole numbers), each with its colour; the
 * largest count always falls into the darkest class.
 *
 * @example countClasses(3) // [1–1, 2–2, 3–3], coloured with the last three steps
 */
export function countClasses(max: number): CountClass[] {
  if (max < 1) return [];
  const count = Math.min(SEQUENTIAL.length, max);
  const width = Math.ceil(max / count);
  const classes: CountClass[] = [];
  for (let i = 0; i < count; i++) {
    const from = i * width + 1;
    if (from > max) break;
    classes.push({ from, to: Math.min(max, (i + 1) * width), color: "" });
  }
  const offset = SEQUENTIAL.length - classes.length;
  return classes.map((entry, i) => ({ ...entry, color: SEQUENTIAL[offset + i]! }));
}
