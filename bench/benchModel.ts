// An in-process language model for the benchmark: it answers at once (or after a fixed latency, like a
// remote model), streaming a cited answer word by word as a real model streams tokens, all at once or
// one word every `wordIntervalMs`, so that the bot's own work is measured without any network or
// inference time. The long variant cites every passage sent, as a thorough answer does.
import type { LanguageModel } from "ai";

export interface BenchModelOptions {
  /** Time before the first token, as a remote model's thinking and network time. */
  latencyMs: number;
  /** Time between streamed words, as a remote model generates them; 0 (default) streams them at once. */
  wordIntervalMs?: number;
  /** Cite every passage sent with its first two sentences (a few hundred words) instead of two. */
  long?: boolean;
}

// Cites the first two passages sent (every question retrieves at least two in the benchmark) by
// restating their first sentences, as a model answering from them does; the last sentence is uncited.
function answerFrom(prompt: string, long: boolean): string {
  const passage = (n: number) => new RegExp(String.raw`^\[${n}\] \(.*\)\n(.+)$`, "m").exec(prompt)?.[1];
  const sentences = (text: string) => (text.match(/[^.!?]+[.!?](?=\s|$)/g) ?? [text]).map((s) => s.trim());
  const cited = (text: string, n: number, count: number) =>
    sentences(text)
      .slice(0, count)
      .map((s) => `${s.replace(/[.!?]$/, "")} [${n}].`)
      .join(" ");
  const parts: string[] = [];
  for (let n = 1; n <= (long ? 50 : 2); n++) {
    const text = passage(n);
    if (text === undefined) break;
    parts.push(cited(text, n, long ? 2 : 1));
  }
  return `${parts.join(" ")} Neither side gave details of what a final agreement would contain.`;
}

const USAGE = {
  inputTokens: { total: 1_000, noCache: 1_000, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 60, text: 60, reasoning: 0 },
};

export function benchModel(options: BenchModelOptions): LanguageModel {
  const wait = (signal: AbortSignal | undefined) => delay(options.latencyMs, signal);
  return {
    specificationVersion: "v4",
    provider: "bench",
    modelId: `bench-${options.latencyMs}ms-${options.wordIntervalMs ?? 0}ms${options.long ? "-long" : ""}`,
    supportedUrls: {},

    // Used by the follow-up rewrite: the follow-up comes back as the standalone question.
    async doGenerate(call) {
      await wait(call.abortSignal);
      return {
        content: [{ type: "text", text: followUpIn(lastUserText(call.prompt)) }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: USAGE,
        warnings: [],
      };
    },

    async doStream(call) {
      await wait(call.abortSignal);
      const answer = answerFrom(lastUserText(call.prompt), options.long ?? false);
      const words = answer.match(/\S+\s*/g) ?? [answer];
      const interval = options.wordIntervalMs ?? 0;
      const signal = call.abortSignal;
      const stream = new ReadableStream({
        async start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "t" });
          for (const [i, word] of words.entries()) {
            // Paced: each word after the first comes `interval` later, as a model generates it.
            if (interval > 0 && i > 0) await delay(interval, signal);
            controller.enqueue({ type: "text-delta", id: "t", delta: word });
          }
          controller.enqueue({ type: "text-end", id: "t" });
          controller.enqueue({
            type: "finish",
            finishReason: { unified: "stop", raw: "stop" },
            usage: {
              ...USAGE,
              outputTokens: { ...USAGE.outputTokens, total: words.length, text: words.length },
            },
          });
          controller.close();
        },
      });
      return { stream };
    },
  };
}

type ModelV4 = Extract<LanguageModel, { specificationVersion: "v4" }>;
type Prompt = Parameters<ModelV4["doGenerate"]>[0]["prompt"];

function lastUserText(prompt: Prompt): string {
  const user = prompt.findLast((message) => message.role === "user");
  if (!user || typeof user.content === "string") return "";
  return user.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

function followUpIn(text: string): string {
  const match = /Follow-up question:\s*(.+)$/s.exec(text);
  return (match?.[1] ?? text).trim() || "What happened?";
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
