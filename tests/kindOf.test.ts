import { describe, expect, it } from "vitest";
import { isKindOf } from "../src/lexicon/kindOf.ts";

describe("isKindOf", () => {
  it("follows WordNet's broader senses a few steps up", () => {
    expect(isKindOf("gunboats", "boat")).toBe(true);
    expect(isKindOf("gunboat", "craft")).toBe(true);
    expect(isKindOf("tanker", "ship")).toBe(true);
    expect(isKindOf("boat", "boat")).toBe(true);
  });

  it("does not take one thing for another, nor a broader word for a narrower one", () => {
    expect(isKindOf("boat", "gunboat")).toBe(false);
    expect(isKindOf("soldier", "craft")).toBe(false);
    expect(isKindOf("drone", "tanker")).toBe(false);
  });
});
