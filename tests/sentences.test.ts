import { describe, expect, it } from "vitest";
import { splitSentences } from "../src/text/sentences.ts";

describe("splitSentences", () => {
  it("keeps abbreviations such as U.S. and Lt.-Gen. inside their sentence", () => {
    const text =
      "He met U.S. Special Envoy Steve Witkoff on Tuesday. IDF Chief of Staff Lt.-Gen. Eyal Zamir spoke. “That'd be great,” Trump said.";
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      "He met U.S. Special Envoy Steve Witkoff on Tuesday.",
      "IDF Chief of Staff Lt.-Gen. Eyal Zamir spoke.",
      "“That'd be great,” Trump said.",
    ]);
  });

  it("keeps a clock time's zone in its sentence, and still ends a sentence after a clock time", () => {
    const text =
      "It was launched at 2:13 p.m. Eastern Standard Time (19:13 UTC) on April 11. A tank exploded at 9:08 p.m. Houston time. They met at 5 p.m. The talks ended.";
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      "It was launched at 2:13 p.m. Eastern Standard Time (19:13 UTC) on April 11.",
      "A tank exploded at 9:08 p.m. Houston time.",
      "They met at 5 p.m.",
      "The talks ended.",
    ]);
  });

  it("gives offsets that point at each sentence in the source", () => {
    const text = "  First one. Second one.";
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.start + s.text.length)).toBe(s.text);
  });
});
