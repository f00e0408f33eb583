// One cell of the per-question matrix (corpus size × stored messages), measured in a process of its
// own so that no cell inherits another's warm-up, heap or caches: the corpus and the store are built,
// the same warm-up runs, then the questions are timed. The headline cell also measures the step
// breakdown, throughput, the long-answer variant and acknowledgement latency with the sender on the
// bot's own event loop.
import type { Logger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";
import { measureAcks } from "./ackLatency.ts";
import {
  benchContext,
  benchCore,
  type CoreParts,
  filledStore,
  readerConversation,
  TURNS_PER_CONVERSATION,
} from "./benchFixtures.ts";
import { benchModel } from "./benchModel.ts";
import type { BenchPlan } from "./benchPlan.ts";
import { type QuestionPlan, questionTimes, stageTimes, throughput } from "./questionOverhead.ts";
import { percentile } from "./stats.ts";
import { syntheticStory } from "./syntheticCorpus.ts";

const SLOW_MODEL_MS = 1_000;
const SLOW_CONCURRENCY = 50;
/** Longer than the REST client's keep-alive (about 4 s), so the burst after it needs new connections. */
const IDLE_MS = 5_000;

export interface CellSpec {
  articles: number;
  messages: number;
  seed: number;
  /** Also the step breakdown, throughput, long answers and acknowledgements. */
  details: boolean;
}

export async function measureCell(
  plan: BenchPlan,
  cell: CellSpec,
  log: Logger,
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const put = (name: string, value: number) => {
    figures[name] = value;
  };
  const story = syntheticStory(cell.articles, cell.seed);
  const retriever = await createRetriever({ articles: story.articles, log });
  const filled = await filledStore(cell.messages, log);
  const where = `articles${cell.articles}.messages${cell.messages}`;
  put(`dbSaveMs.messages${cell.messages}`, filled.saveMs);
  put(`dbSaveLoopBlockMs.messages${cell.messages}`, filled.saveLoopBlockMs);
  put(`dbOpenMs.messages${cell.messages}`, filled.openMs);
  put(`dbFileMb.messages${cell.messages}`, filled.fileMb);
  const conversations = Math.ceil(cell.messages / TURNS_PER_CONVERSATION);
  try {
    const parts = { retriever, store: filled.store, log };
    const questionPlan: QuestionPlan = {
      questions: story.questions,
      count: plan.overheadQuestions,
      warmup: plan.overheadWarmup,
      // Follow-ups in existing conversations: history is read, the question rewritten, turns added.
      conversation: (i) => readerConversation(i % conversations),
    };
    const instant = benchContext(benchCore({ ...parts, model: benchModel({ latencyMs: 0 }) }));
    const { times, gcMsPerQuestion } = await questionTimes(instant, questionPlan);
    put(`questionOverheadMs.p50.${where}`, percentile(times, 50));
    put(`questionOverheadMs.p99.${where}`, percentile(times, 99));
    if (!cell.details) return figures;

    put(`gcMsPerQuestion.${where}`, gcMsPerQuestion);
    // The same questions with an answer citing every passage: a few hundred words instead of about 60.
    const long = benchContext(benchCore({ ...parts, model: benchModel({ latencyMs: 0, long: true }) }));
    const longTimes = await questionTimes(long, {
      ...questionPlan,
      warmup: Math.min(5, plan.overheadWarmup),
    });
    put(`questionOverheadMs.p50.longAnswer.${where}`, percentile(longTimes.times, 50));
    put(`questionOverheadMs.p99.longAnswer.${where}`, percentile(longTimes.times, 99));
    const stages = await stageTimes(instant, questionPlan);
    for (const [stage, values] of Object.entries(stages))
      put(`stageMs.p50.${stage}.${where}`, percentile(values, 50));
    await throughputFigures(plan, parts, questionPlan, put);
    await ackFigures(plan, parts, story.questions, put);
    return figures;
  } finally {
    await filled.close();
  }
}

async function throughputFigures(
  plan: BenchPlan,
  parts: Omit<CoreParts, "model" | "env">,
  questionPlan: QuestionPlan,
  put: (name: string, value: number) => void,
): Promise<void> {
  // New conversations: one model call per question, so a 1 s model means 1 s per question.
  const fresh = (offset: number) => (i: number) => readerConversation(1_000_000 + offset + i);
  const instant = benchContext(benchCore({ ...parts, model: benchModel({ latencyMs: 0 }) }));
  put(
    "throughputQps.zeroLatency",
    await throughput(
      instant,
      { ...questionPlan, count: plan.throughputQuestions, conversation: fresh(0) },
      10,
      0,
    ),
  );
  const slow = benchContext(benchCore({ ...parts, model: benchModel({ latencyMs: SLOW_MODEL_MS }) }));
  put(
    `throughputQps.model1s.concurrency${SLOW_CONCURRENCY}`,
    await throughput(
      slow,
      { ...questionPlan, count: plan.slowRounds * SLOW_CONCURRENCY, conversation: fresh(100_000) },
      SLOW_CONCURRENCY,
      SLOW_MODEL_MS / SLOW_CONCURRENCY,
    ),
  );
}

/** Acknowledgements with the loopback Discord in the bot's own process: its sends wait for the bot's loop. */
async function ackFigures(
  plan: BenchPlan,
  parts: Omit<CoreParts, "model" | "env">,
  questions: readonly string[],
  put: (name: string, value: number) => void,
): Promise<void> {
  const { idleBursts, instantBursts, model, ...pace } = plan.ack;
  const streaming = { ...parts, model: benchModel(model) };
  const main = await measureAcks(streaming, { questions, ...pace });
  // One interaction first, so that the idle gap is what the bursts come after.
  const idle =
    idleBursts > 0
      ? await measureAcks(streaming, {
          ...pace,
          questions,
          steady: 1,
          bursts: idleBursts,
          burstGapMs: IDLE_MS,
        })
      : undefined;
  const instant = await measureAcks(
    { ...parts, model: benchModel({ latencyMs: 0 }) },
    { ...pace, questions, steady: 1, bursts: instantBursts },
  );
  const idleMs = idle?.burstMs ?? [];
  const all = [...main.steadyMs, ...main.burstMs, ...idleMs];
  put("ackInteractions.count", all.length);
  put("ackMs.p50", percentile(all, 50));
  put("ackMs.p99", percentile(all, 99));
  put("ackMs.max", Math.max(...all));
  put("ackMs.p99.steady", percentile(main.steadyMs, 99));
  put("ackMs.p99.burst", percentile(main.burstMs, 99));
  if (idle) put("ackMs.p99.burstAfterIdle", percentile(idleMs, 99));
  put("ackMs.p99.burst.instantModel", percentile(instant.burstMs, 99));
  put(
    "ackRestRateLimitWaits.count",
    main.restRateLimited + (idle?.restRateLimited ?? 0) + instant.restRateLimited,
  );
}
