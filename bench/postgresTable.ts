// The PostgreSQL-beside-lowdb section of the benchmark's table, kept apart from formatBenchTable.ts so
// that the comparison can change without touching the shared table. Marks every figure it shows as
// used (through `get`), so none of them falls to "Other figures".
import { table } from "./markdownTable.ts";

/** Said (logged, and in the table) when no database was given. */
export const POSTGRES_SKIPPED =
  "PostgreSQL cells skipped: no database given. To measure them: storybot bench --postgres postgres://USER@HOST/DB " +
  "(or BENCH_DATABASE_URL), a role allowed to create databases; the bench creates its own and drops it afterwards.";

type Figures = Readonly<Record<string, number>>;

export function postgresSection(figures: Figures, get: (name: string) => number | undefined): string[] {
  const sizes = [
    ...new Set(
      Object.keys(figures).flatMap(
        (key) => /^storeQuestionMs\.p50\.\w+\.messages(\d+)$/.exec(key)?.[1] ?? [],
      ),
    ),
  ]
    .map(Number)
    .sort((a, b) => a - b);
  if (sizes.length === 0) return ["### PostgreSQL beside lowdb", "", POSTGRES_SKIPPED, ""];

  const rows: string[][] = [];
  for (const store of ["lowdb", "postgres"]) {
    for (const m of sizes) {
      const at = `${store}.messages${m}`;
      if (!(`storeQuestionMs.p50.${at}` in figures)) continue;
      rows.push([
        `${store}, ${num(m)} messages`,
        pair(get(`storeQuestionMs.p50.${at}`), get(`storeQuestionMs.p99.${at}`)),
        pair(get(`storeWriteMs.p50.${at}`), get(`storeWriteMs.p99.${at}`)),
        pair(get(`storeSaveMs.${at}`), get(`storeSaveLoopBlockMs.${at}`)),
        num(get(`storeDbMb.${at}`)),
        num(get(`storeOpenMs.${at}`)),
      ]);
    }
  }
  const out = [
    "### PostgreSQL beside lowdb: a question's store calls, saving, and two bot processes",
    "",
    table(
      [
        "store, stored messages",
        "question's store calls p50 / p99 ms",
        "its writes p50 / p99 ms",
        "whole-file save / loop blocked ms",
        "size MB",
        "open ms",
      ],
      rows,
    ),
    "",
    "Question's store calls: history read, model allowance, answer record saved and updated, two turns appended, as the bot makes them, one question at a time.",
    "Its writes: the last three, committed on PostgreSQL (the save of a question there); in memory on lowdb, whose save is the whole-file write behind the answers (whole-file save, and the longest the event loop was held up by it).",
    "",
  ];
  const fills = sizes.flatMap((m) => {
    const seconds = get(`postgresFillSeconds.messages${m}`);
    return seconds === undefined ? [] : [`${num(seconds)} s to ${num(m)}`];
  });
  if (fills.length > 0)
    out.push(
      `Filling PostgreSQL (generate_series, batches of 2,000 conversations): ${fills.join(", ")}.`,
      "",
    );
  const acks = get("ackInteractions.count.postgres.processes2");
  if (acks !== undefined) {
    const stored = get("ackStoredMessages.postgres.processes2");
    out.push(
      `Acknowledgement with 2 bot processes (storybot start --shards 2, one PostgreSQL${stored === undefined ? "" : ` holding ${num(stored)} messages`}), ${num(acks)} interactions: ` +
        `p50 ${num(get("ackMs.p50.postgres.processes2"))} ms, p99 ${num(get("ackMs.p99.postgres.processes2"))} ms, max ${num(get("ackMs.max.postgres.processes2"))} ms; ` +
        `p99 at a steady pace ${num(get("ackMs.p99.steady.postgres.processes2"))} ms, in bursts ${num(get("ackMs.p99.burst.postgres.processes2"))} ms ` +
        "(INTERACTION_CREATE sent → deferral received; the model streams from a loopback server).",
      "",
    );
  }
  return out;
}

function pair(p50: number | undefined, p99: number | undefined): string {
  return `${num(p50)} / ${num(p99)}`;
}

function num(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  return value.toLocaleString("en-US", { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });
}
