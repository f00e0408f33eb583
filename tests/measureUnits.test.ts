import { describe, expect, it } from "vitest";
import { hasMeasure } from "../src/answer/measureUnits.ts";

describe("hasMeasure", () => {
  it("finds a number in the units a measure question is answered in", () => {
    expect(hasMeasure("The ship is 984 feet (300 metres) long.", "long")).toBe(true);
    expect(hasMeasure("It cost $628,000 to settle the claims.", "cost")).toBe(true);
    expect(hasMeasure("Six workers were missing.", "tall")).toBe(false);
  });

  it("takes a length for the dimension it says it measures", () => {
    const chambers = "Each of the original lock chambers is 33.5 metres wide and 320 metres long.";
    expect(hasMeasure(chambers, "deep")).toBe(false);
    expect(hasMeasure(chambers, "wide")).toBe(true);
    expect(hasMeasure(chambers, "length")).toBe(true);
    // A length that does not say what it measures may be any.
    expect(hasMeasure("The channel was dredged to 12 metres.", "deep")).toBe(true);
  });
});
