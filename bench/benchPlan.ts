// What the benchmark runs: the full plan, and the quick one that only checks the benchmark works.
export interface BenchPlan {
  /** Synthetic corpus sizes for index build time and memory (one child process each). */
  indexSizes: number[];
  /** Searches timed in each index child. */
  indexSearches: number;
  overheadArticles: number[];
  overheadMessages: number[];
  overheadQuestions: number;
  /** Untimed questions before the timed ones, the same in every cell (each runs in a fresh process). */
  overheadWarmup: number;
  /** Synthetic articles for the start-up figures besides the shipped story's; 0 for none. */
  startupArticles: number;
  /** Questions for the zero-latency throughput (10 in flight); the 1 s model gets `slowRounds` × 50 (50 in flight). */
  throughputQuestions: number;
  slowRounds: number;
  ack: {
    /** Interactions at a steady pace, `steadyGapMs` apart, and then bursts of `burstSize` together. */
    steady: number;
    steadyGapMs: number;
    bursts: number;
    burstSize: number;
    burstGapMs: number;
    /** Bursts that each come after longer than the REST client keeps idle connections. */
    idleBursts: number;
    /** Bursts answered by the instant model, whose answers are nothing but our CPU work. */
    instantBursts: number;
    /** The model behind the answers: first word after `latencyMs`, then a word every `wordIntervalMs`. */
    model: { latencyMs: number; wordIntervalMs: number };
  };
  speedSearches: number;
  /** The running bot in its own process: answers before its memory is read, and the corpus it serves. */
  bot: { answers: number; articles: number; concurrency: number };
}

export const FULL_PLAN: BenchPlan = {
  indexSizes: [1, 100, 1_000, 10_000, 50_000],
  indexSearches: 200,
  overheadArticles: [1, 100, 1_000],
  overheadMessages: [1_000, 10_000, 100_000],
  overheadQuestions: 300,
  overheadWarmup: 100,
  startupArticles: 1_000,
  throughputQuestions: 500,
  slowRounds: 4,
  // 10 questions a second, each answer streaming for about 1.5 s: about 30 requests a second, under the
  // 50 a second discord.js allows itself.
  ack: {
    steady: 150,
    steadyGapMs: 100,
    bursts: 6,
    burstSize: 10,
    burstGapMs: 1_000,
    idleBursts: 2,
    instantBursts: 5,
    model: { latencyMs: 300, wordIntervalMs: 20 },
  },
  speedSearches: 40,
  bot: { answers: 1_000, articles: 1_000, concurrency: 10 },
};

export const QUICK_PLAN: BenchPlan = {
  indexSizes: [20],
  indexSearches: 3,
  overheadArticles: [1, 20],
  overheadMessages: [1_000],
  overheadQuestions: 10,
  overheadWarmup: 2,
  startupArticles: 0,
  throughputQuestions: 20,
  slowRounds: 2,
  ack: {
    steady: 5,
    steadyGapMs: 10,
    bursts: 1,
    burstSize: 5,
    burstGapMs: 50,
    idleBursts: 0,
    instantBursts: 1,
    model: { latencyMs: 20, wordIntervalMs: 1 },
  },
  speedSearches: 3,
  bot: { answers: 20, articles: 20, concurrency: 5 },
};
