import type { ReportLocation } from "./draft.ts";

/** Decimals kept of an anonymous report's pin: 3 decimals of a degree ≈ 110 m north–south, less east–west. */
export const APPROXIMATE_PIN_DECIMALS = 3;

const FACTOR = 10 ** APPROXIMATE_PIN_DECIMALS;

/** One coordinate rounded to about 100 m. */
export function roundCoordinate(value: number): number {
  return Math.round(value * FACTOR) / FACTOR;
}

/**
 * The location as it may be stored and shown: a pin is usually the reporter's own position when they sent it,
 * so an anonymous report keeps it rounded to about 100 m unless the reporter chose to share the exact point.
 * Regions, and identified reports' pins, pass unchanged. The `exact` choice itself is not kept.
 */
export function pinToStore(location: ReportLocation, anonymous: boolean): ReportLocation {
  if (location.type !== "point") return location;
  const keepExact = !anonymous || location.exact === true;
  return {
    type: "point",
    latitude: keepExact ? location.latitude : roundCoordinate(location.latitude),
    longitude: keepExact ? location.longitude : roundCoordinate(location.longitude),
  };
}
