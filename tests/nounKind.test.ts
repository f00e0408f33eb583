import { describe, expect, it } from "vitest";
import { nounKinds } from "../src/lexicon/nounKind.ts";

describe("nounKinds (WordNet's kinds of nouns)", () => {
  it("knows words for people, groups, places and times, in their inflections", () => {
    expect([...nounKinds("anarchists")]).toEqual(["person"]);
    expect([...nounKinds("treasurer")]).toEqual(["person"]);
    expect(nounKinds("police").has("group")).toBe(true);
    expect(nounKinds("company").has("group")).toBe(true);
    expect(nounKinds("harbour").has("location")).toBe(true);
    expect(nounKinds("summer").has("time")).toBe(true);
  });

  it("finds no kind for things, and none for a word mostly used as a verb", () => {
    expect(nounKinds("tank").size).toBe(0);
    expect(nounKinds("molasses").size).toBe(0);
    // "see" is a bishop's seat only as a rare noun.
    expect(nounKinds("see").size).toBe(0);
    expect(nounKinds("qwzx").size).toBe(0);
  });
});
