import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createStreamedSentences } from "../src/citations/streamedSentences.ts";
import { splitSentences } from "../src/text/sentences.ts";

// Every prefix of the text, as an answer grows while it streams.
function expectSameAsWhole(text: string, step = 1): void {
  const streamed = createStreamedSentences();
  for (let end = 1; end <= text.length; end += step) {
    const soFar = text.slice(0, end);
    expect(streamed(soFar).sentences, soFar).toEqual(splitSentences(soFar));
  }
  expect(streamed(text).sentences).toEqual(splitSentences(text));
}

const story = readFileSync(
  new URL("../data/articles/netanyahu-witkoff-iran-talks.txt", import.meta.url),
  "utf8",
);

describe("createStreamedSentences", () => {
  it("splits a growing text exactly as splitting each text whole", () => {
    expectSameAsWhole(
      "He met U.S. Special Envoy Steve Witkoff on Tuesday [1]. IDF Chief of Staff Lt.-Gen. Eyal Zamir spoke [2]. “That'd be great,” Trump said [1].",
    );
    expectSameAsWhole(
      "It was launched at 2:13 p.m. Eastern Standard Time (19:13 UTC) on April 11 [1]. A tank exploded at 9:08 p.m. Houston time. They met at 5 p.m. The talks ended [2]. They met at 5 p.m. EDT and left.",
    );
    expectSameAsWhole(
      "Based on the passages:\n\n1. The quay was repaired. [2] [3] Then it rained.\n2. It measures the level! What next? Officials said etc. the rest was quiet. It cost $3.5 million. Mr. Smith left.\n\nSources:\n[1] Harbour",
    );
    expectSameAsWhole(
      "A. B. C. Dd. Ee. “Quoted.” (Bracketed.) Next one... And so on…  Two  spaces.\n  Indented line. Last",
    );
  });

  it("splits a long answer built from the story's sentences as splitting it whole", () => {
    const sentences = splitSentences(story).map(
      (s, i) => `${s.text.replace(/[.!?]$/, "")} [${(i % 5) + 1}].`,
    );
    expectSameAsWhole(sentences.join(" "), 3);
    expectSameAsWhole(story, 7);
  });

  it("splits a text that does not extend the last one whole", () => {
    const streamed = createStreamedSentences();
    streamed("The quay was repaired. It rained. Then");
    expect(streamed("Something else. Entirely").sentences).toEqual(
      splitSentences("Something else. Entirely"),
    );
  });
});
