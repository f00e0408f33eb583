// The bot's own work per question: the real answerQuestion (history read, follow-up rewrite, retrieval,
// prompt, streamed answer with citation checks, formatting, history and answer record written) with an
// instant model and a target that posts nowhere, so only our code is timed. A second pass times each
// step alone, to show which one dominates.
import { randomUUID } from "node:crypto";
import { PerformanceObserver } from "node:perf_hooks";
import { setTimeout as sleep, setImmediate as yieldToLoop } from "node:timers/promises";
import { retrieve, TOP_K } from "../src/answer/answer.ts";
import { type Conversation, loadHistory } from "../src/answer/converse.ts";
import { storyLacks } from "../src/answer/extractiveAnswer.ts";
import { llmAnswer } from "../src/answer/llmAnswer.ts";
import { llmRewrite } from "../src/answer/llmRewrite.ts";
import {
  DEFAULT_PASSAGE_TOKENS,
  passagesForModel,
  passagesToRetrieve,
} from "../src/answer/passagesForModel.ts";
import { onlyReporting } from "../src/citations/notReporting.ts";
import { answerButtons } from "../src/discord/answerButtons.ts";
import { type AnswerTarget, answerQuestion } from "../src/discord/answerQuestion.ts";
import type { BotContext } from "../src/discord/command.ts";
import { articleUrls, renderAnswer } from "../src/discord/formatAnswer.ts";

export interface QuestionPlan {
  questions: readonly string[];
  /** Timed questions (after the warm-up ones). */
  count: number;
  warmup: number;
  /** The conversation of the i-th question. */
  conversation: (i: number) => Conversation;
}

let posted = 0;

/** Posts nowhere; remembers failure lines, which mean the benchmark measured the wrong path. */
export function silentTarget(failures: string[]): AnswerTarget {
  return {
    async progress() {},
    async deliver() {
      posted++;
      return { messageId: `bench-message-${posted}`, channelId: "bench-channel" };
    },
    async fail(line) {
      failures.push(line);
    },
  };
}

/** Answers one question as the bot does; throws unless it was a checked answer from the model. */
export async function answerOnce(
  ctx: BotContext,
  question: string,
  conversation: Conversation,
): Promise<void> {
  const failures: string[] = [];
  const where = await answerQuestion(ctx, { question, conversation, target: silentTarget(failures) });
  if (!where)
    throw new Error(`the benchmark question was not answered: ${failures.join("; ") || "no reason"}`);
}

export interface QuestionTimes {
  /** Milliseconds per timed question. */
  times: number[];
  /** Garbage collection pauses during the timed questions, per question: what most slow questions wait for. */
  gcMsPerQuestion: number;
}

/** Milliseconds per question through answerQuestion, one question at a time. */
export async function questionTimes(ctx: BotContext, plan: QuestionPlan): Promise<QuestionTimes> {
  const times: number[] = [];
  let gcMs = 0;
  let timedFrom = Number.POSITIVE_INFINITY;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.startTime >= timedFrom) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ["gc"] });
  for (let i = 0; i < plan.warmup + plan.count; i++) {
    const question = plan.questions[i % plan.questions.length] as string;
    const failures: string[] = [];
    const started = performance.now();
    if (i === plan.warmup) timedFrom = started;
    const where = await answerQuestion(ctx, {
      question,
      conversation: plan.conversation(i),
      target: silentTarget(failures),
    });
    const elapsed = performance.now() - started;
    if (!where)
      throw new Error(`a benchmark question was not answered: ${failures.join("; ") || "no reason"}`);
    // Checked outside the timing: an extractive fallback would mean the model path was not measured.
    const record = await ctx.core.store.findAnswerByMessage(where.messageId);
    if (record?.mode !== "llm") throw new Error(`a benchmark answer came from the ${record?.mode} path`);
    if (i >= plan.warmup) times.push(elapsed);
    // Between questions the event loop runs its timers (the store's write-behind among them), as it
    // would between interactions in the running bot.
    await yieldToLoop();
  }
  // The observer hears of the last collections a moment later.
  await yieldToLoop();
  gc.disconnect();
  return { times, gcMsPerQuestion: gcMs / Math.max(1, times.length) };
}

export type Stage =
  | "historyRead"
  | "rewrite"
  | "retrieve"
  | "evidence"
  | "modelAnswer"
  | "modelAnswerWithoutProgress"
  | "format"
  | "historyWrite";

/**
 * The same steps as answerQuestion, each timed alone, with what answer() gives each step: the search
 * for as many passages as the model's budget may take, the offline reader's verdict on whether the
 * story lacks what is asked, the model call on the passages the budget holds, and the answer record
 * saved and then updated with where it was posted.
 */
export async function stageTimes(ctx: BotContext, plan: QuestionPlan): Promise<Record<Stage, number[]>> {
  const { core } = ctx;
  const deps = { model: requireModel(ctx), llm: core.llm, log: core.log };
  const budget = core.llm.passageTokens ?? DEFAULT_PASSAGE_TOKENS;
  const stages: Record<Stage, number[]> = {
    historyRead: [],
    rewrite: [],
    retrieve: [],
    evidence: [],
    modelAnswer: [],
    modelAnswerWithoutProgress: [],
    format: [],
    historyWrite: [],
  };
  for (let i = 0; i < plan.warmup + plan.count; i++) {
    const question = plan.questions[i % plan.questions.length] as string;
    const conversation = plan.conversation(i);
    const keep = i >= plan.warmup;
    const lap = (() => {
      let last = performance.now();
      return (stage: Stage) => {
        const now = performance.now();
        if (keep) stages[stage].push(now - last);
        last = now;
      };
    })();

    const history = await loadHistory(core.store, conversation, core.clock());
    lap("historyRead");
    const standalone = history.length > 0 ? await llmRewrite(deps, question, history) : question;
    lap("rewrite");
    const found = await retrieve(core, standalone, passagesToRetrieve(core.retriever, budget, TOP_K));
    lap("retrieve");
    // A benchmark question is never one the story lacks: the verdict is worked out, and the model asked.
    if (storyLacks(standalone, onlyReporting(found.slice(0, TOP_K)), core.retriever.vocabulary?.()))
      throw new Error(`the reader found the story lacking for a benchmark question: ${standalone}`);
    lap("evidence");
    const passages = passagesForModel(core.retriever, found, budget);
    // As the bot calls it: the text so far is offered as sentences and markers end, and checked only
    // when an edit is due (an instant model's answer ends before the first one).
    const result = await llmAnswer(deps, { question, history, passages, onProgress: () => {} });
    lap("modelAnswer");
    // Not part of a question: the same call without progress, to show what the progress checks cost.
    await llmAnswer(deps, { question, history, passages });
    lap("modelAnswerWithoutProgress");
    const answerId = randomUUID();
    renderAnswer(result, articleUrls(core.retriever));
    answerButtons(answerId, result.citations.length > 0);
    lap("format");
    const at = core.clock().toISOString();
    await core.store.saveAnswer({
      id: answerId,
      conversationKey: conversation.key,
      scope: conversation.owner.scope,
      userId: conversation.owner.userId,
      question,
      answer: result.answer,
      citations: result.citations,
      mode: "llm",
      at,
      feedback: {},
    });
    await core.store.updateAnswer(answerId, {
      messageId: `bench-stage-${answerId}`,
      channelId: "bench-channel",
    });
    await core.store.appendTurns(conversation.key, conversation.owner, [
      { role: "user", content: question, at },
      { role: "assistant", content: result.answer, at },
    ]);
    lap("historyWrite");
    await yieldToLoop();
  }
  return stages;
}

/**
 * Questions per second through answerQuestion with `concurrency` questions in flight, as a steady
 * state: the workers start `staggerMs` apart, as questions arrive spread out in time, and the rate is
 * taken from the first `concurrency` answers to the last, leaving out the ramp-up.
 */
export async function throughput(
  ctx: BotContext,
  plan: QuestionPlan,
  concurrency: number,
  staggerMs: number,
): Promise<number> {
  if (plan.count <= concurrency) throw new Error("throughput needs more questions than workers");
  let next = 0;
  const finished: number[] = [];
  const worker = async (k: number) => {
    await sleep(k * staggerMs);
    while (next < plan.count) {
      const i = next++;
      await answerOnce(ctx, plan.questions[i % plan.questions.length] as string, plan.conversation(i));
      finished.push(performance.now());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => worker(k)));
  const from = finished[concurrency - 1] as number;
  const to = finished.at(-1) as number;
  return (plan.count - concurrency) / ((to - from) / 1000);
}

function requireModel(ctx: BotContext) {
  const model = ctx.core.model;
  if (!model) throw new Error("the benchmark needs a model in the core");
  return model;
}
