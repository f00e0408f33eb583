// The benchmark runs end to end in its quick mode and reports every figure it promises as a finite,
// non-negative number; its table shows every figure. No timing is asserted: speed is what the
// benchmark reports, not what the tests check.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { benchCommand } from "../bench/benchCommand.ts";
import { formatBenchTable, runBench } from "../bench/runBench.ts";
import { percentile } from "../bench/stats.ts";
import { syntheticStory } from "../bench/syntheticCorpus.ts";
import { loadBench } from "../src/cli/loadBench.ts";
import { silentLogger } from "../src/log.ts";

// The quick plan: 20 synthetic articles, 1,000 stored messages.
const QUICK_KEYS = [
  "ackInteractions.count",
  "ackMs.p50",
  "ackMs.p99",
  "ackMs.max",
  "ackMs.p99.steady",
  "ackMs.p99.burst",
  "ackMs.p99.burst.instantModel",
  "ackRestRateLimitWaits.count",
  "ackMs.offLoop.p50",
  "ackMs.offLoop.p99",
  "ackMs.offLoop.max",
  "ackMs.offLoop.p99.steady",
  "ackMs.offLoop.p99.burst",
  "botRssMb.answers20.articles20",
  "botHeapUsedMb.answers20.articles20",
  "questionOverheadMs.p50.longAnswer.articles20.messages1000",
  "questionOverheadMs.p99.longAnswer.articles20.messages1000",
  "retrieveMs.p99.articles20",
  "questionOverheadMs.p50.articles1.messages1000",
  "questionOverheadMs.p99.articles1.messages1000",
  "questionOverheadMs.p50.articles20.messages1000",
  "questionOverheadMs.p99.articles20.messages1000",
  "stageMs.p50.historyRead.articles20.messages1000",
  "stageMs.p50.rewrite.articles20.messages1000",
  "stageMs.p50.retrieve.articles20.messages1000",
  "stageMs.p50.evidence.articles20.messages1000",
  "stageMs.p50.modelAnswer.articles20.messages1000",
  "stageMs.p50.modelAnswerWithoutProgress.articles20.messages1000",
  "stageMs.p50.format.articles20.messages1000",
  "stageMs.p50.historyWrite.articles20.messages1000",
  "gcMsPerQuestion.articles20.messages1000",
  "dbSaveMs.messages1000",
  "dbSaveLoopBlockMs.messages1000",
  "dbOpenMs.messages1000",
  "dbFileMb.messages1000",
  "indexBuildMs.articles20",
  "rssMb.articles20",
  "heapUsedMb.articles20",
  "retrieveMs.p50.articles20",
  "retrieveMs.first.articles20",
  "startupToReadyMs.story",
  "throughputQps.zeroLatency",
  "throughputQps.model1s.concurrency50",
  "recallAt1.bm25",
  "recallAt5.bm25",
  "recallAt5.expansion",
  "recallAt5.sentenceScoring",
  "recallAt5.neighbours",
  "recallAt5.all",
  "retrieveMs.p50.bm25.articles20",
  "retrieveMs.p50.all.articles20",
  "extractiveAccuracy.all",
  "doesntSayRate.all",
  "followupAccuracy.all",
  "citationProblems.count",
  "benchSeconds.total",
];

describe("storybot bench --quick", () => {
  it("reports every figure as a finite non-negative number, the same in JSON, all of them in the table", async () => {
    let written = "";
    const out = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const figures = await runBench({ json: true, quick: true, log: silentLogger(), out });

    for (const key of QUICK_KEYS) expect(figures, key).toHaveProperty([key]);
    for (const [key, value] of Object.entries(figures)) {
      expect(Number.isFinite(value), `${key} = ${value}`).toBe(true);
      expect(value, key).toBeGreaterThanOrEqual(0);
    }
    // Recall and accuracy are shares.
    for (const key of QUICK_KEYS.filter((k) => /^(recallAt|extractiveAccuracy|doesntSayRate)/.test(k))) {
      expect(figures[key], key).toBeLessThanOrEqual(1);
    }
    expect(figures["ackInteractions.count"]).toBe(10);
    expect(JSON.parse(written)).toEqual(figures);

    const table = formatBenchTable(figures, "test machine");
    expect(table).toContain("Machine: test machine.");
    expect(table).toContain("Target: p99 under 50 ms");
    // Every figure has a home in a section: none is left to the catch-all.
    expect(table).not.toContain("Other figures");
  }, 90_000);
});

describe("benchmark helpers", () => {
  it("generates the same synthetic corpus for the same seed and another for another seed", () => {
    const a = syntheticStory(5, 7);
    expect(syntheticStory(5, 7)).toEqual(a);
    expect(syntheticStory(5, 8).articles[0]?.paragraphs).not.toEqual(a.articles[0]?.paragraphs);
    expect(a.articles.map((article) => article.id)).toEqual([
      "synthetic-00001",
      "synthetic-00002",
      "synthetic-00003",
      "synthetic-00004",
      "synthetic-00005",
    ]);
    expect(a.questions.length).toBeGreaterThan(0);
  });

  it("takes percentiles by nearest rank", () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it("keeps unknown figures in the table under Other figures", () => {
    const table = formatBenchTable({ "ackMs.p99": 12, "somethingNewMs.p50": 3 }, "m");
    expect(table).toContain("Target: p99 under 50 ms: **met** (12)");
    expect(table).toMatch(/Other figures[\s\S]*somethingNewMs\.p50 \|\s+3 \|/);
  });
});

describe("where the benchmark lives", () => {
  const root = path.resolve(import.meta.dirname, "..");

  it("is loaded by the command line through its path, only when asked for", async () => {
    expect(await loadBench()).toBe(benchCommand);
  });

  it("is not imported by anything under src/", async () => {
    const files = (await readdir(path.join(root, "src"), { recursive: true })).filter((f) =>
      f.endsWith(".ts"),
    );
    const importers: string[] = [];
    for (const file of files) {
      const full = path.join(root, "src", file);
      const text = await readFile(full, "utf8");
      for (const [, specifier] of text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) {
        const target = path.resolve(path.dirname(full), specifier as string);
        if (specifier?.startsWith(".") && target.startsWith(path.join(root, "bench") + path.sep))
          importers.push(`${file} → ${specifier}`);
      }
    }
    expect(importers).toEqual([]);
  });
});
