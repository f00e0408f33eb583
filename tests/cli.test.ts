// The storybot CLI as operators and scripts use it: a real process, the real story, no network.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../src/log.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import { type FakeOpenAI, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";
import { jsonLines, ROOT, runCli } from "./runCli.ts";

// Each test runs real processes; on a busy machine (2 cores) they take a while to start.
vi.setConfig({ testTimeout: 120_000 });

const STORY = readFileSync(path.join(ROOT, "data/articles/netanyahu-witkoff-iran-talks.txt"), "utf8");

let dir: string;

const run = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCli(args, { ...options, cwd: dir, env: { DATA_DIR: path.join(dir, "data"), ...options.env } });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-cli-"));
  cpSync(path.join(ROOT, "data/articles"), path.join(dir, "data/articles"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("storybot ask, offline", () => {
  it("answers with the JSON contract: every marker has a citation and every quote is verbatim", async () => {
    const { code, stdout, stderr } = await run(["ask", "--json", "Who is Israel's defense minister?"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [line] = jsonLines(stdout);
    expect(Object.keys(line).sort()).toEqual([
      "answer",
      "citations",
      "mode",
      "notice",
      "outcome",
      "question",
    ]);
    expect(line.mode).toBe("extractive");
    expect(line.outcome).toBe("answered");
    expect(line.notice).toMatch(/language model/i);
    expect(line.answer).toContain("Katz");
    const markers = [...line.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(markers.length).toBeGreaterThan(0);
    for (const n of markers) expect(line.citations.some((c: { n: number }) => c.n === n)).toBe(true);
    for (const c of line.citations) {
      expect(Object.keys(c).sort()).toEqual(["n", "passageId", "quote", "title"]);
      expect(STORY).toContain(c.quote);
    }
  });

  it("answers stdin questions one per line, in order, one JSON object each", async () => {
    const { code, stdout } = await run(["ask", "--json"], {
      stdin: "Who commands the Israeli Air Force?\n\nWhere was Trump when he spoke about a deal?\n",
    });
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.map((l) => l.question)).toEqual([
      "Who commands the Israeli Air Force?",
      "Where was Trump when he spoke about a deal?",
    ]);
    expect(lines[0].answer).toContain("Tomer Bar");
    expect(lines[1].answer).toContain("White House");
  });

  it("says the story doesn't say, citing nothing, when it doesn't", async () => {
    const { stdout } = await run(["ask", "--json", "How many centrifuges does Iran operate?"]);
    const [line] = jsonLines(stdout);
    expect(line.answer).toMatch(/doesn't say|does not say/i);
    expect(line.outcome).toBe("doesnt_say");
    expect(line.citations).toEqual([]);
  });

  it("keeps a session so a later run can ask a follow-up", async () => {
    await run(["ask", "--session", "s1", "Where will the talks be held?"]);
    const { code, stdout } = await run([
      "ask",
      "--json",
      "--session",
      "s1",
      "And where were they supposed to be before?",
    ]);
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0].answer).toContain("Istanbul");
  });

  it("prints readable text with a sources block by default", async () => {
    const { code, stdout } = await run(["ask", "Who is the US ambassador to Israel?"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Huckabee");
    expect(stdout).toMatch(/^\[1\] .+, ¶\d+: “.+”/m);
  });
});

describe("storybot bad input", () => {
  it("refuses an empty question with one line on stderr and the usage code, 2", async () => {
    const { code, stdout, stderr } = await run(["ask", "   "]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses an over-long question", async () => {
    const { code, stderr } = await run(["ask", "why ".repeat(400)]);
    expect(code).not.toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("stops on a bad configuration value, naming the variable", async () => {
    const { code, stderr } = await run(["ask", "Who?"], { env: { OPENAI_API: "soap" } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/OPENAI_API/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects an unknown command", async () => {
    const { code, stderr } = await run(["frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command/);
  });
});

describe("storybot retrieve and sources", () => {
  it("prints the top k passages as JSON", async () => {
    const { code, stdout } = await run([
      "retrieve",
      "--json",
      "--k",
      "3",
      "How long did the PM and the envoy talk?",
    ]);
    expect(code).toBe(0);
    const [line] = jsonLines(stdout);
    expect(line.passages).toHaveLength(3);
    expect(Object.keys(line.passages[0]).sort()).toEqual([
      "articleId",
      "id",
      "paragraph",
      "score",
      "text",
      "title",
    ]);
    expect(line.passages.some((p: { text: string }) => p.text.includes("lasted over three hours"))).toBe(
      true,
    );
  });

  it("lists the articles", async () => {
    const { code, stdout } = await run(["sources", "--json"]);
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0].id).toBe("netanyahu-witkoff-iran-talks");
  });
});

describe("storybot beside a running bot", () => {
  it("answers one-off questions while another process owns the database, and says so when it needs it", async () => {
    const owner = await openStore({
      dataDir: path.join(dir, "data"),
      log: silentLogger(),
      clock: () => new Date(),
    });
    try {
      const oneOff = await run(["ask", "--json", "Who commands the Israeli Air Force?"]);
      expect(oneOff.code).toBe(0);
      expect(jsonLines(oneOff.stdout)[0].answer).toContain("Tomer Bar");

      const remembered = await run(["ask", "--session", "s2", "Who commands the Israeli Air Force?"]);
      expect(remembered.code).toBe(1);
      expect(remembered.stderr.trim().split("\n")).toHaveLength(1);
      expect(remembered.stderr).toMatch(/Another storybot is using/);

      // The chat remembers too: refused before the first question, with a failing exit code.
      const chat = await run(["chat"], { stdin: "Who commands the Israeli Air Force?\n" });
      expect(chat.code).toBe(1);
      expect(chat.stdout).toBe("");
      expect(chat.stderr.trim().split("\n")).toEqual([expect.stringMatching(/Another storybot is using/)]);
    } finally {
      await owner.close();
    }
  });
});

describe("storybot eval", () => {
  it("scores the development questions offline and meets the targets", async () => {
    cpSync(path.join(ROOT, "data/eval-questions.json"), path.join(dir, "data/eval-questions.json"));
    const { code, stdout } = await run(["eval", "--json"]);
    expect(code).toBe(0);
    const [report] = jsonLines(stdout);
    expect(report.mode).toBe("extractive");
    expect(report.recallAt5).toBeGreaterThanOrEqual(0.95);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.doesntSayRate).toBeGreaterThanOrEqual(0.9);
    expect(report.citationProblems).toBe(0);
  });

  it("refuses a question file that is not one, in one line", async () => {
    const { code, stderr } = await run(["eval", path.join(ROOT, "package.json")]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("storybot summary and timeline", () => {
  it("prints a cited summary as JSON with the new articles", async () => {
    const { code, stdout } = await run(["summary", "--json", "--since", "2000-01-01"]);
    expect(code).toBe(0);
    const [line] = jsonLines(stdout);
    expect(line.newArticles).toEqual(["netanyahu-witkoff-iran-talks"]);
    expect(line.citations.length).toBeGreaterThan(0);
    for (const c of line.citations) expect(STORY).toContain(c.quote);
    for (const m of line.summary.matchAll(/\[(\d+)\]/g))
      expect(line.citations.some((c: { n: number }) => c.n === Number(m[1]))).toBe(true);
  });

  it("refuses a --since that is not a date as a usage error", async () => {
    const { code, stderr } = await run(["summary", "--since", "yesterday-ish"]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/--since/);
  });

  it("prints the dated events in order, each cited", async () => {
    const { code, stdout } = await run(["timeline", "--json"]);
    expect(code).toBe(0);
    const { events } = jsonLines(stdout)[0];
    expect(events.length).toBeGreaterThan(2);
    const dated = events.map((e: { date: string }) => e.date).filter((d: string) => /^\d{4}-\d{2}/.test(d));
    expect(dated).toEqual([...dated].sort());
    for (const e of events) expect(e.citations.length).toBeGreaterThan(0);
  });
});

describe("storybot with a language model", () => {
  let llm: FakeOpenAI;
  beforeAll(async () => {
    llm = await startFakeOpenAI({
      // The story fits the passage budget, so it is sent whole in article order: [4] is paragraph 3,
      // which names the defense minister; no passage [70] was sent.
      responder: () => "Israel Katz is the defense minister [4]. He attended [70].",
    });
  });
  afterEach(() => {
    llm.requests.length = 0;
  });
  afterAll(() => llm.close());
  const env = () => ({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: llm.url,
    OPENAI_API: "chat",
    LLM_TIMEOUT_MS: "5000",
  });

  it("answers through the model and drops a marker naming no sent passage", async () => {
    const { code, stdout } = await run(["ask", "--json", "Who is Israel's defense minister?"], {
      env: env(),
    });
    expect(code).toBe(0);
    const [line] = jsonLines(stdout);
    expect(line.mode).toBe("llm");
    // The sentence citing a passage that was not sent is re-cited to the sent passage that supports it.
    expect(line.answer).toBe("Israel Katz is the defense minister [1]. He attended [1].");
    expect(line.citations).toHaveLength(1);
    expect(STORY).toContain(line.citations[0].quote);
  });

  it("uses a local server given only its base URL: no key needed", async () => {
    const { OPENAI_API_KEY: _key, ...keyless } = env();
    const { code, stdout } = await run(["ask", "--json", "Who is Israel's defense minister?"], {
      env: keyless,
    });
    expect(code).toBe(0);
    expect(jsonLines(stdout)[0].mode).toBe("llm");
    expect(llm.requests).toHaveLength(1);
  });

  it("names the model it chats with in the start notice", async () => {
    const { OPENAI_API_KEY: _key, ...keyless } = env();
    const { code, stderr } = await run(["start"], { env: { ...keyless, OPENAI_MODEL: "llama3.1" } });
    expect(code).toBe(0);
    expect(stderr).toContain(`model llama3.1 at ${llm.url}`);
  });

  it("makes no model call for a bad question", async () => {
    const { code } = await run(["ask", ""], { env: env() });
    expect(code).not.toBe(0);
    expect(llm.requests).toHaveLength(0);
  });
});

describe("npm start without a Discord token", () => {
  it("runs the local chat with a one-line notice and answers stdin", async () => {
    const { code, stdout, stderr } = await run(["start"], { stdin: "Who heads IDF intelligence?\n" });
    expect(code).toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/DISCORD_TOKEN/);
    expect(stdout).toContain("Binder");
  });
});
