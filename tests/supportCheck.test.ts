// A shown sentence must rest on what it cites: numbers, names and most content words are in the cited
// passage(s); paraphrases, inflections and derived forms pass.
import { describe, expect, it } from "vitest";
import { guardAnswer } from "../src/citations/guardAnswer.ts";
import { createSupport } from "../src/citations/supportCheck.ts";
import type { Passage } from "../src/types.ts";

const passage = (paragraph: number, text: string): Passage => ({
  id: `t#${paragraph}`,
  articleId: "t",
  title: "Netanyahu tells US envoy Iran cannot be trusted",
  paragraph,
  text,
});
const meeting = passage(
  1,
  "The meeting, which lasted over three hours, was also attended by Defense Minister Israel Katz and Mossad chief David Barnea.",
);
const gunboats = passage(
  2,
  "The Wall Street Journal reported that six Iranian gunboats attempted to halt and board a U.S.-flagged oil tanker in the Strait of Hormuz.",
);
const support = createSupport([meeting, gunboats]);

describe("createSupport", () => {
  it.each([
    ["The meeting lasted more than 3 hours.", [1]],
    ["Israel Katz and David Barnea attended the meeting.", [1]],
    ["Six Iranian gunboats tried to board a US-flagged tanker.", [2]],
    ["The tanker was sailing in the Strait of Hormuz.", [2]],
    ["Iran's gunboats attempted to halt the tanker, the Wall Street Journal reported.", [2]],
    ["Katz attended the meeting, and the Journal reported on the gunboats.", [1, 2]],
  ])("supports a paraphrase: %s", (sentence, cited) => {
    expect(support.supports(sentence, cited)).toBe(true);
  });

  it.each([
    ["The meeting lasted over five hours.", [1], "a wrong number"],
    ["Seven Iranian gunboats attempted to board the tanker.", [2], "a wrong number in words"],
    ["Defense Minister Yoav Gallant attended the meeting.", [1], "a wrong name"],
    ["The ferry operator was fined two million dollars last year.", [1], "a claim absent from the passage"],
    ["The meeting was cancelled.", [1], "a short claim the passage does not make"],
    ["Six Iranian gunboats attempted to board the tanker.", [1], "a claim from another passage"],
  ])("does not support %s (%s)", (sentence, cited) => {
    expect(support.supports(sentence, cited)).toBe(false);
  });

  it("finds the one sent passage that supports a sentence", () => {
    expect(support.best("Six gunboats attempted to board a tanker.")).toBe(2);
    expect(support.best("The meeting lasted over three hours.")).toBe(1);
    expect(support.best("The ferry was fined.")).toBeUndefined();
  });
});

describe("guardAnswer with the support check", () => {
  const passages = [meeting, gunboats];

  it("drops unsupported sentences and keeps supported ones", () => {
    expect(
      guardAnswer(
        "The meeting lasted over three hours [1]. It lasted five hours [1]. Katz attended [1].",
        passages,
      ),
    ).toBe("The meeting lasted over three hours [1]. Katz attended [1].");
  });

  it("re-cites a sentence to the sent passage that supports it", () => {
    expect(guardAnswer("Six gunboats attempted to board a tanker [1].", passages)).toBe(
      "Six gunboats attempted to board a tanker [2].",
    );
  });

  it("gives a sentence without a marker the next marker of its paragraph, when that passage supports it", () => {
    expect(
      guardAnswer("The Journal reported on gunboats. They attempted to board a tanker [2].", passages),
    ).toBe("The Journal reported on gunboats [2]. They attempted to board a tanker [2].");
  });

  it("shows neither a sources list written by the model nor a line that opens with a marker", () => {
    expect(
      guardAnswer(
        "Katz attended the meeting [1].\n\nSources:\n[1] Netanyahu tells US envoy, paragraph 1",
        passages,
      ),
    ).toBe("Katz attended the meeting [1].");
    expect(guardAnswer("Katz attended the meeting [1].\n[2] The Wall Street Journal", passages)).toBe(
      "Katz attended the meeting [1].",
    );
  });

  it("keeps only the articles' own links: another link keeps its text and loses its address", () => {
    const own = { ...meeting, url: "https://news.example/talks" };
    expect(
      guardAnswer(
        "Katz attended the [meeting](https://evil.example/x) [1]. The [report](https://news.example/talks) says so [1].",
        [own],
      ),
    ).toBe("Katz attended the meeting [1]. The [report](https://news.example/talks) says so [1].");
  });

  it("drops a model sentence that speaks to the reader or asks for an action", () => {
    expect(
      guardAnswer(
        "Katz attended the meeting [1]. You should confirm your account to read more [1].",
        passages,
      ),
    ).toBe("Katz attended the meeting [1].");
  });
});
