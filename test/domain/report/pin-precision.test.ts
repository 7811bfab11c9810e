import { describe, expect, it } from "vitest";
import { pinToStore, roundCoordinate } from "../../../domain/report/pin-precision.ts";

describe("the pin of a report as stored and shown", () => {
  const pin = { type: "point" as const, latitude: -6.2297123, longitude: 106.8531456 };

  it("is rounded to 3 decimals (about 100 m) for an anonymous report", () => {
    expect(pinToStore(pin, true)).toEqual({ type: "point", latitude: -6.23, longitude: 106.853 });
    expect(roundCoordinate(-0.0004)).toBe(-0);
  });

  it("stays exact when the anonymous reporter chose so, or when the report is identified", () => {
    expect(pinToStore({ ...pin, exact: true }, true)).toEqual(pin);
    expect(pinToStore(pin, false)).toEqual(pin);
  });

  it("leaves a region as it is", () => {
    const region = { type: "region" as const, provinceCode: "31", regencyCode: "31.74" };
    expect(pinToStore(region, true)).toBe(region);
  });
});
