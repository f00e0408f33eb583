// The PostgreSQL cells of the benchmark at a tiny size against the tests' PostgreSQL server: every
// figure there, finite and sane, the table showing them, and the benchmark's own database dropped
// afterwards. Without a server the cells are skipped with one line saying how to run them. No
// timing is asserted.
import { Writable } from "node:stream";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { type PostgresPlan, postgresFigures } from "../bench/postgresBench.ts";
import { POSTGRES_SKIPPED } from "../bench/postgresTable.ts";
import { formatBenchTable } from "../bench/runBench.ts";
import { createLogger, silentLogger } from "../src/log.ts";
import { describePostgres, testDatabaseUrl } from "./postgresTestDatabase.ts";

const TINY: PostgresPlan = {
  sizes: [100, 300],
  questions: 5,
  warmup: 1,
  lowdb: true,
  ack: {
    warmup: 2,
    steady: 2,
    steadyGapMs: 10,
    bursts: 1,
    burstSize: 2,
    burstGapMs: 10,
    chunkChars: 40,
    chunkDelayMs: 1,
  },
};

describePostgres("storybot bench: PostgreSQL beside lowdb", () => {
  it("reports a question's store calls, saving and two-process acknowledgements, and drops its database", async () => {
    const steps: string[] = [];
    const figures = await postgresFigures({
      url: testDatabaseUrl,
      plan: TINY,
      log: silentLogger(),
      step: (what) => steps.push(what),
    });

    for (const store of ["lowdb", "postgres"]) {
      for (const size of TINY.sizes) {
        for (const what of ["storeQuestionMs", "storeWriteMs"]) {
          const p50 = figures[`${what}.p50.${store}.messages${size}`];
          const p99 = figures[`${what}.p99.${store}.messages${size}`];
          expect(p50, `${what} ${store} ${size}`).toBeGreaterThan(0);
          expect(p99, `${what} ${store} ${size}`).toBeGreaterThanOrEqual(p50 as number);
        }
        expect(figures[`storeDbMb.${store}.messages${size}`]).toBeGreaterThan(0);
        expect(figures[`storeOpenMs.${store}.messages${size}`]).toBeGreaterThan(0);
      }
    }
    for (const size of TINY.sizes) {
      expect(figures[`storeSaveMs.lowdb.messages${size}`]).toBeGreaterThan(0);
      expect(figures[`storeSaveLoopBlockMs.lowdb.messages${size}`]).toBeGreaterThanOrEqual(0);
      expect(figures[`postgresFillSeconds.messages${size}`]).toBeGreaterThan(0);
    }
    // The whole-file save is lowdb's alone: PostgreSQL saves per question (storeWriteMs).
    expect(figures).not.toHaveProperty(["storeSaveMs.postgres.messages100"]);
    expect(figures["ackInteractions.count.postgres.processes2"]).toBe(4);
    expect(figures["ackStoredMessages.postgres.processes2"]).toBe(100);
    expect(figures["ackMs.p50.postgres.processes2"]).toBeGreaterThan(0);
    expect(figures["ackMs.p99.steady.postgres.processes2"]).toBeGreaterThan(0);
    expect(figures["ackMs.p99.burst.postgres.processes2"]).toBeGreaterThan(0);
    expect(figures["ackMs.max.postgres.processes2"]).toBeGreaterThanOrEqual(
      figures["ackMs.p99.postgres.processes2"] as number,
    );
    for (const [key, value] of Object.entries(figures)) expect(Number.isFinite(value), key).toBe(true);
    expect(steps.some((step) => step.includes("2 bot processes"))).toBe(true);

    const table = formatBenchTable(figures, "test machine");
    expect(table).toContain("PostgreSQL beside lowdb");
    expect(table).toMatch(/postgres, 300 messages/);
    expect(table).toContain("Acknowledgement with 2 bot processes");
    expect(table).not.toContain("Other figures");
    expect(table).not.toContain(POSTGRES_SKIPPED);

    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "select datname from pg_database where datname like 'storybot_bench_%'",
      );
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 240_000);
});

describe("storybot bench without a PostgreSQL server", () => {
  it("skips the PostgreSQL cells with one warning saying how to run them", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split("\n"));
        done();
      },
    });
    // The command line's default level for the benchmark: warnings show, progress does not.
    const figures = await postgresFigures({ url: undefined, plan: TINY, log: createLogger("warn", sink) });
    expect(figures).toEqual({});
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(POSTGRES_SKIPPED);
    expect(POSTGRES_SKIPPED).toContain("--postgres");
    expect(POSTGRES_SKIPPED).toContain("BENCH_DATABASE_URL");
    expect(formatBenchTable({}, "m")).toContain(POSTGRES_SKIPPED);
  });
});
