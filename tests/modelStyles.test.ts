// Real models rarely follow the citation protocol to the letter. Each style fixture goes through the
// real provider and the loopback OpenAI server, over both APIs, streamed in small pieces and in one
// piece: the reader sees the model's supported content, correctly cited, and nothing unsupported or
// planted. The share of supported content that survives is measured (STYLE_REPORT=1 prints it).
// A second set, written blind (from the article alone, by someone who never saw the checks), is
// frozen: nothing it marks as unsupported or planted may ever be shown, and its survival is reported.
import { readFileSync } from "node:fs";
import type { LanguageModel } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError, llmAnswer } from "../src/answer/llmAnswer.ts";
import { quotesAreVerbatim } from "../src/citations/checkCitations.ts";
import { parseConfig } from "../src/config.ts";
import { parseArticle } from "../src/corpus/parseArticle.ts";
import { splitPassages } from "../src/corpus/splitPassages.ts";
import { createModel } from "../src/llm/createModel.ts";
import { createLogger } from "../src/log.ts";
import type { RetrievedPassage } from "../src/types.ts";
import { type FakeOpenAI, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";
import { BLIND_MODEL_STYLES } from "./fixtures/blindModelStyles.ts";
import { BLIND_MODEL_STYLES_B } from "./fixtures/blindModelStylesB.ts";
import { MODEL_STYLES, type ModelStyle } from "./fixtures/modelStyles.ts";

const STORY = readFileSync(
  new URL("../data/articles/netanyahu-witkoff-iran-talks.txt", import.meta.url),
  "utf8",
);
const passages: RetrievedPassage[] = splitPassages(
  parseArticle("netanyahu-witkoff-iran-talks", STORY, "2026-02-03T12:00:00Z"),
).map((p) => ({ ...p, score: 1 }));
const log = createLogger("silent");
const llm = { timeoutMs: 5_000, maxRetries: 0 };

// Streamed a few characters at a time, as a model generates, or in one piece.
const ways = [
  { api: "chat", pieces: "small", chunkChars: 5 },
  { api: "chat", pieces: "one", chunkChars: undefined },
  { api: "responses", pieces: "small", chunkChars: 5 },
  { api: "responses", pieces: "one", chunkChars: undefined },
] as const;

let fake: FakeOpenAI;
const models = new Map<string, LanguageModel>();
// Per style: supported claims shown, out of those written, over every way of answering.
const survival = new Map<string, { shown: number; of: number }>();

beforeAll(async () => {
  fake = await startFakeOpenAI();
  for (const api of ["chat", "responses"] as const) {
    const { model } = createModel(
      parseConfig({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.url, OPENAI_API: api }),
    );
    if (!model) throw new Error("no model");
    models.set(api, model);
  }
});

afterAll(async () => {
  await fake.close();
  if (process.env.STYLE_REPORT) {
    for (const [name, { shown, of }] of survival)
      console.log(
        `| ${name} | ${of === 0 ? "n/a" : `${Math.round((100 * shown) / of)} % (${shown}/${of})`} |`,
      );
  }
});

async function answerIn(style: ModelStyle, way: (typeof ways)[number]) {
  fake.setResponder(() => ({
    kind: "text",
    text: style.text,
    ...(way.chunkChars && { chunkChars: way.chunkChars }),
  }));
  const shown: string[] = [];
  const model = models.get(way.api) as LanguageModel;
  const result = await llmAnswer(
    { model, llm, log },
    { question: "What does the story say?", history: [], passages, onText: (text) => shown.push(text) },
  );
  return { result, shown };
}

describe.each(MODEL_STYLES)("a model answering in the style: $name", (style) => {
  it.each(ways)("over $api, streamed in $pieces piece(s)", async (way) => {
    const { result, shown } = await answerIn(style, way);
    const tally = survival.get(style.name) ?? { shown: 0, of: 0 };
    tally.of += style.supported.length;
    tally.shown += style.supported.filter((claim) => result.answer.includes(claim)).length;
    survival.set(style.name, tally);

    for (const text of [result.answer, ...shown, ...result.citations.map((c) => c.quote)])
      for (const planted of style.never) expect(text).not.toContain(planted);
    if (style.doesntSay) {
      expect(result.outcome).toBe("doesnt_say");
      expect(result.answer).toMatch(/^The story doesn't say/);
      return;
    }
    // One set of markers, each with its source; every quote verbatim; no model-written sources list.
    const numbers = new Set(result.citations.map((c) => c.n));
    for (const m of result.answer.matchAll(/\[(\d+)\]/g)) expect(numbers.has(Number(m[1]))).toBe(true);
    expect(quotesAreVerbatim(result.citations, passages)).toBe(true);
    expect(result.answer).not.toMatch(/^\s*\[\d+\]/m);
    // Every shown sentence carries a marker.
    for (const line of result.answer.split("\n").filter((l) => l.trim() !== ""))
      expect(line).toMatch(/\[\d+\]/);
  });
});

describe.each([
  ...BLIND_MODEL_STYLES.map((style) => ({ ...style, set: "A" })),
  ...BLIND_MODEL_STYLES_B.map((style) => ({ ...style, set: "B" })),
])("a blind-written answer (set $set): $name", (style) => {
  it("shows nothing unsupported or planted, and every marker resolves", async () => {
    // An answer with nothing left to show is a model failure: the reader gets the extractive answer.
    const answered = await answerIn(style, ways[0]).catch((error: unknown) => {
      if (error instanceof LlmError) return undefined;
      throw error;
    });
    const { result, shown } = answered ?? { result: { answer: "", citations: [] }, shown: [] };
    const key = `blind ${style.set} ${style.name.split(":")[0]}`;
    const tally = survival.get(key) ?? { shown: 0, of: 0 };
    tally.of += style.supported.length;
    tally.shown += style.supported.filter((claim) => result.answer.includes(claim)).length;
    survival.set(key, tally);
    for (const text of [result.answer, ...shown])
      for (const planted of style.never) expect(text).not.toContain(planted);
    const numbers = new Set(result.citations.map((c) => c.n));
    for (const m of result.answer.matchAll(/\[(\d+)\]/g)) expect(numbers.has(Number(m[1]))).toBe(true);
    expect(quotesAreVerbatim(result.citations, passages)).toBe(true);
  });
});

describe("supported content across the styles", () => {
  it("survives the checks for at least 95 % of supported claims", () => {
    const own = [...survival].filter(([name]) => !name.startsWith("blind ")).map(([, t]) => t);
    const shown = own.reduce((sum, t) => sum + t.shown, 0);
    const of = own.reduce((sum, t) => sum + t.of, 0);
    expect(of).toBeGreaterThan(0);
    expect(shown / of).toBeGreaterThanOrEqual(0.95);
  });
});
