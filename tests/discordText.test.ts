// Unit tests of the Discord adapter's text handling: splitting at limits, safe text, answer layout.
import { describe, expect, it } from "vitest";
import { renderAnswer, renderFullSources, renderProgress, sourceLine } from "../src/discord/formatAnswer.ts";
import { neutraliseMentions, safeLiteral, safeText } from "../src/discord/sanitize.ts";
import { MESSAGE_LIMIT, splitMessage } from "../src/discord/splitMessage.ts";
import type { Citation } from "../src/types.ts";

const MARKER = /\[\d+\]/g;

function markers(text: string): string[] {
  return text.match(MARKER) ?? [];
}

/** A long answer of cited sentences, no paragraph breaks. */
function citedProse(sentences: number): string {
  return Array.from(
    { length: sentences },
    (_, i) => `Sentence ${i} says something about the talks in some detail [${(i % 12) + 1}].`,
  ).join(" ");
}

describe("splitMessage", () => {
  it("leaves short text whole", () => {
    expect(splitMessage("Short answer [1].")).toEqual(["Short answer [1]."]);
  });

  it("keeps every chunk within the limit and loses no character but the whitespace at cuts", () => {
    const text = citedProse(200);
    const chunks = splitMessage(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(chunks.join(" ")).toBe(text);
  });

  it("never cuts inside a citation marker, even at a small limit", () => {
    const text = citedProse(40);
    for (const max of [37, 50, 64, 101]) {
      const chunks = splitMessage(text, max);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(max);
        expect(chunk).not.toMatch(/\[\d*$/);
        expect(chunk).not.toMatch(/^\d*\]/);
      }
      expect(chunks.flatMap(markers)).toEqual(markers(text));
    }
  });

  it("moves a forced cut out of a marker when there is no space to cut at", () => {
    const text = Array.from({ length: 30 }, (_, i) => `word${i}[${i + 10}]`).join("");
    for (const max of [9, 10, 11, 12, 13, 17]) {
      const chunks = splitMessage(text, max);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(max);
      expect(chunks.join("")).toBe(text);
      expect(chunks.flatMap(markers)).toEqual(markers(text));
    }
  });

  it("cuts at sentence ends after markers rather than mid-sentence", () => {
    const chunks = splitMessage(citedProse(100));
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toMatch(/\.$/);
  });

  it("prefers paragraph and line breaks, so source lines travel whole", () => {
    const answer = citedProse(25);
    const sources = Array.from(
      { length: 30 },
      (_, i) => `[${i + 1}] Title of article ${i}, ¶${i}: “A quote ${i}.”`,
    );
    const text = `${answer}\n\n**Sources**\n${sources.join("\n")}`;
    const chunks = splitMessage(text);
    const lines = chunks.flatMap((c) => c.split("\n"));
    for (const source of sources) expect(lines).toContain(source);
  });

  it("cuts a word longer than the limit without splitting a surrogate pair", () => {
    const text = "😀".repeat(1500);
    const chunks = splitMessage(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(chunk).not.toMatch(/[\ud800-\udbff]$/);
    }
    expect(chunks.join("")).toBe(text);
  });
});

describe("safe text", () => {
  it("makes mention syntax inert", () => {
    const text = neutraliseMentions("hi @everyone and @here <@123456789012345678> <@&123456789012345678>");
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toMatch(/<@!?&?\d+>/);
    expect(text.replaceAll("\u200b", "")).toBe(
      "hi @everyone and @here <@123456789012345678> <@&123456789012345678>",
    );
  });

  it("keeps article links, unlinks other masked links and makes other raw URLs inert code", () => {
    const allowed = new Set(["https://news.example/a"]);
    const out = safeText(
      "See [the report](https://news.example/a) and [click here](https://evil.example/x) or https://evil.example/y. Also https://news.example/a.",
      allowed,
    );
    expect(out).toContain("[the report](<https://news.example/a>)");
    expect(out).toContain("click here");
    expect(out).not.toContain("(https://evil.example/x)");
    expect(out).toContain("`https://evil.example/y`.");
    expect(out).toContain("<https://news.example/a>.");
  });

  it("keeps a marker the model wrapped in a link", () => {
    expect(safeText("Claim [1](https://evil.example).", new Set())).toBe("Claim [1].");
  });

  it("shows literals literally", () => {
    const out = safeLiteral("**bold** [x](https://evil.example) # heading @everyone");
    expect(out).toContain("\\*\\*bold\\*\\*");
    expect(out).toContain("\\[x\\]");
    expect(out).toContain("`https://evil.example`");
    expect(out).not.toContain("@everyone");
  });
});

const citation = (n: number, extra: Partial<Citation> = {}): Citation => ({
  n,
  passageId: `a#${n}`,
  title: "Netanyahu meets Witkoff",
  paragraph: n,
  quote: `The meeting lasted over three hours and covered item ${n} of the agenda in a great deal of detail, more than a hundred characters.`,
  ...extra,
});

describe("renderAnswer", () => {
  it("puts the answer, the notice in small text and a compact sources block in one message", () => {
    const [message, ...rest] = renderAnswer(
      {
        answer: "They met for three hours [1].",
        citations: [citation(1, { url: "https://news.example/a" })],
        notice: "No language model is configured.",
      },
      new Set(["https://news.example/a"]),
    );
    expect(rest).toEqual([]);
    expect(message).toContain("They met for three hours [1].");
    expect(message).toContain("-# No language model is configured.");
    expect(message).toContain("**Sources**");
    // Each article's title once, linked, then its cited passages.
    expect(message).toContain(
      "**Sources**\n[Netanyahu meets Witkoff](<https://news.example/a>)\n[1] ¶1: “The meeting lasted",
    );
    expect(message).toContain("…”");
  });

  it("attributes embedded posts and names the headline", () => {
    const line = sourceLine(
      citation(2, {
        paragraph: 0,
        embeddedPost: { platform: "X", author: "Barak Ravid", handle: "@BarakRavid" },
      }),
    );
    expect(line).toContain("headline, embedded post by Barak Ravid (@\u200bBarakRavid)");
  });

  it("splits a long answer with many sources, every message within the limit and every source line whole", () => {
    const citations = Array.from({ length: 12 }, (_, i) => citation(i + 1));
    const messages = renderAnswer({ answer: citedProse(120), citations }, new Set());
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const lines = messages.flatMap((m) => m.split("\n"));
    for (const c of citations) {
      const line = lines.find((l) => l.startsWith(`[${c.n}] ¶${c.paragraph}: “`));
      expect(line?.endsWith("”")).toBe(true);
    }
    expect(lines.filter((l) => l === "*Netanyahu meets Witkoff*")).toHaveLength(1);
  });

  it("shows full quotes for the Sources button", () => {
    const [text] = renderFullSources([citation(1)]);
    expect(text).toContain("more than a hundred characters.”");
  });

  it("keeps the answer so far within one message while streaming", () => {
    const progress = renderProgress(citedProse(200), new Set());
    expect(progress.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(progress.endsWith(" …")).toBe(true);
  });
});
