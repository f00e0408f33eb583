import { describe, expect, it } from "vitest";
import { placedElsewhere, placeNamed, placesAround } from "../src/lexicon/placeOf.ts";

describe("placeOf", () => {
  it("finds the place a name or a people's adjective names, the country before the bird", () => {
    expect(placeNamed("oman")).toBeDefined();
    expect(placeNamed("omani")).toBe(placeNamed("oman"));
    expect(placeNamed("israeli")).toBe(placeNamed("israel"));
    expect(placeNamed("turkey")).toBe([...placesAround(placeNamed("istanbul") as number)][0]);
    expect(placeNamed("enrichment")).toBeUndefined();
  });

  it("tells a city WordNet puts in another country from one in the country or one it doesn't place", () => {
    const oman = placeNamed("oman") as number;
    expect(placedElsewhere("istanbul", oman)).toBe(true);
    expect(placedElsewhere("muscat", oman)).toBe(false);
    expect(placedElsewhere("jerusalem", placeNamed("israeli") as number)).toBe(false);
    // A name WordNet doesn't know may be anywhere.
    expect(placedElsewhere("salalah", oman)).toBe(false);
  });
});
