// The PostgreSQL cells of `storybot bench`, beside the same figures for lowdb: a question's store
// calls, the cost of saving at each size, and acknowledgement latency with two bot processes sharing
// the database. They run only when a database server is given (`--postgres URL` or
// BENCH_DATABASE_URL); the benchmark then creates a database of its own there and drops it after.
import type { Logger } from "../src/log.ts";
import { connectPostgres } from "../src/store/postgres/connectPostgres.ts";
import { openPostgresStore } from "../src/store/postgres/postgresStore.ts";
import { benchClock, filledStore } from "./benchFixtures.ts";
import { measureShardAcks, type ShardAckPlan } from "./postgresAcks.ts";
import { createBenchDatabase, databaseSize, fillMessages } from "./postgresDatabase.ts";
import { POSTGRES_SKIPPED } from "./postgresTable.ts";
import { percentile } from "./stats.ts";
import { storeCostPerQuestion } from "./storeQuestionCost.ts";

export interface PostgresPlan {
  /** Stored messages, ascending; the database grows from one size to the next. */
  sizes: number[];
  questions: number;
  warmup: number;
  /** Also measure lowdb at the same sizes, for the side-by-side figures. */
  lowdb: boolean;
  /** Acknowledgements with two bot processes, at the first size; absent to leave them out. */
  ack?: ShardAckPlan;
}

export const POSTGRES_FULL_PLAN: PostgresPlan = {
  sizes: [100_000, 1_000_000],
  questions: 300,
  warmup: 30,
  lowdb: true,
  // As the single-process acknowledgement figures: 10 a second, then bursts of 10.
  ack: {
    warmup: 10,
    steady: 150,
    steadyGapMs: 100,
    bursts: 6,
    burstSize: 10,
    burstGapMs: 1_000,
    chunkChars: 12,
    chunkDelayMs: 20,
  },
};

export const POSTGRES_QUICK_PLAN: PostgresPlan = {
  sizes: [1_000],
  questions: 10,
  warmup: 2,
  lowdb: true,
  ack: {
    warmup: 2,
    steady: 4,
    steadyGapMs: 20,
    bursts: 1,
    burstSize: 4,
    burstGapMs: 50,
    chunkChars: 40,
    chunkDelayMs: 1,
  },
};

export interface PostgresBenchOptions {
  /** An administrative connection; undefined when none was given (the cells are skipped). */
  url: string | undefined;
  plan: PostgresPlan;
  log: Logger;
  step?: (what: string) => void;
}

/** Figures named `<what><unit>.<p50|p99>.<store>.messages<N>`; none (and one warning) without a URL. */
export async function postgresFigures(options: PostgresBenchOptions): Promise<Record<string, number>> {
  const { url, plan, log } = options;
  const step = options.step ?? ((what: string) => log.info(what));
  if (!url) {
    // A warning, so that it shows at the command line's default log level, in --json mode too.
    log.warn(POSTGRES_SKIPPED);
    return {};
  }
  const figures: Record<string, number> = {};
  // One fixed "now" near the real time, for the store and the filled turns alike: the bot processes
  // of the acknowledgement run apply retention by the real clock and must find the same history.
  const now = new Date();
  const clock = () => now;
  const db = await createBenchDatabase(url, log);
  try {
    for (const size of plan.sizes) {
      const questionPlan = { messages: size, questions: plan.questions, warmup: plan.warmup };
      step(`PostgreSQL: filling to ${size} stored messages`);
      const fillStarted = performance.now();
      await fillMessages(db.pool, size, now);
      figures[`postgresFillSeconds.messages${size}`] = (performance.now() - fillStarted) / 1000;
      figures[`storeDbMb.postgres.messages${size}`] = (await databaseSize(db.pool)).mb;

      step(`PostgreSQL: a question's store calls, ${size} stored messages`);
      const opened = performance.now();
      // As the bot opens it: its own pool (10 connections), the retention sweep on open.
      const pool = await connectPostgres(db.url, log);
      try {
        const store = await openPostgresStore(pool, { log, clock });
        figures[`storeOpenMs.postgres.messages${size}`] = performance.now() - opened;
        putCost(figures, "postgres", size, await storeCostPerQuestion(store, clock, questionPlan));
        await store.close();
      } finally {
        await pool.end();
      }

      if (plan.lowdb) {
        step(`lowdb: a question's store calls and a whole-file save, ${size} stored messages`);
        const filled = await filledStore(size, log);
        try {
          figures[`storeSaveMs.lowdb.messages${size}`] = filled.saveMs;
          figures[`storeSaveLoopBlockMs.lowdb.messages${size}`] = filled.saveLoopBlockMs;
          figures[`storeOpenMs.lowdb.messages${size}`] = filled.openMs;
          figures[`storeDbMb.lowdb.messages${size}`] = filled.fileMb;
          const cost = await storeCostPerQuestion(filled.store, benchClock, questionPlan);
          putCost(figures, "lowdb", size, cost);
        } finally {
          await filled.close();
        }
      }

      if (plan.ack && size === plan.sizes[0]) {
        step(
          `PostgreSQL: acknowledgements with 2 bot processes (storybot start --shards 2), ${size} stored messages`,
        );
        const { steadyMs, burstMs } = await measureShardAcks(db.url, plan.ack);
        const ackMs = [...steadyMs, ...burstMs];
        figures["ackInteractions.count.postgres.processes2"] = ackMs.length;
        figures["ackMs.p50.postgres.processes2"] = percentile(ackMs, 50);
        figures["ackMs.p99.postgres.processes2"] = percentile(ackMs, 99);
        figures["ackMs.max.postgres.processes2"] = Math.max(...ackMs);
        figures["ackMs.p99.steady.postgres.processes2"] = percentile(steadyMs, 99);
        figures["ackMs.p99.burst.postgres.processes2"] = percentile(burstMs, 99);
        figures["ackStoredMessages.postgres.processes2"] = size;
      }
    }
  } finally {
    await db.drop();
  }
  return figures;
}

function putCost(
  figures: Record<string, number>,
  store: "lowdb" | "postgres",
  size: number,
  cost: Awaited<ReturnType<typeof storeCostPerQuestion>>,
): void {
  figures[`storeQuestionMs.p50.${store}.messages${size}`] = cost.questionMs.p50;
  figures[`storeQuestionMs.p99.${store}.messages${size}`] = cost.questionMs.p99;
  figures[`storeWriteMs.p50.${store}.messages${size}`] = cost.writeMs.p50;
  figures[`storeWriteMs.p99.${store}.messages${size}`] = cost.writeMs.p99;
}
