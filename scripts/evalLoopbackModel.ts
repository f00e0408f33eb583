// `node scripts/evalLoopbackModel.ts FILE [DATA_DIR]`: `storybot eval --json FILE` with the tests'
// loopback OpenAI-compatible server as the model. Its answer quotes the sent sentence sharing most
// words (of four letters or more) with the question and cites that passage, and rewrites a follow-up
// by appending the previous question, so the figures measure the wiring (budgeted passages, checks,
// outcomes), not a model. Needs the development install.
import { spawn } from "node:child_process";
import { startFakeOpenAI } from "../tests/fakes/fakeOpenAI.ts";

const [file, dataDir] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node scripts/evalLoopbackModel.ts FILE [DATA_DIR]\n");
  process.exit(2);
}

const contentWords = (text: string) =>
  new Set((text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 3));

const model = await startFakeOpenAI({
  responder: ({ text }) => {
    // A follow-up rewrite: the follow-up with the previous question after it, as a crude model would.
    const followUp = text.match(/Follow-up question: (.*)$/m)?.[1];
    if (followUp !== undefined) {
      const previous = [...text.matchAll(/^User: (.*)$/gm)].at(-1)?.[1] ?? "";
      return `${followUp} (${previous})`;
    }
    // The fenced passages are the last <passages> block; the question follows it.
    const passages = text.slice(text.lastIndexOf("<passages>\n"), text.lastIndexOf("</passages>"));
    const question = contentWords(text.slice(text.lastIndexOf("</passages>")));
    let best = { sentence: "", n: 0, shared: 0 };
    for (const block of passages.split(/\n\n(?=\[\d+\])/)) {
      const [, n, body = ""] = block.match(/\[(\d+)\][^\n]*\n([\s\S]*)/) ?? [];
      for (const sentence of body.split(/(?<=[.!?])\s+/)) {
        const words = contentWords(sentence);
        const shared = [...question].filter((w) => words.has(w)).length;
        if (shared > best.shared) best = { sentence: sentence.trim(), n: Number(n), shared };
      }
    }
    return best.shared > 0 ? `${best.sentence} [${best.n}]` : "The story doesn't say.";
  },
});

const child = spawn(process.execPath, ["bin/storybot.ts", "eval", file, "--json"], {
  env: {
    ...process.env,
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: "loopback",
    OPENAI_API: "chat",
    LLM_DAILY_BUDGET: "0",
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
  },
  stdio: ["ignore", "inherit", "inherit"],
});
const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
await model.close();
process.exit(code);
