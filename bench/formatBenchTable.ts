// The benchmark's figures as Markdown tables (readable in a terminal, pasteable into the README): one
// section per question the benchmark answers, each target shown with whether it was met. Any figure
// no section claims is listed at the end, so nothing measured is left out.
import os from "node:os";
import { table } from "./markdownTable.ts";
import { postgresSection } from "./postgresTable.ts";

type Figures = Readonly<Record<string, number>>;

export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const memoryGb = Math.round(os.totalmem() / 1024 ** 3);
  return `${model}, ${cpus.length} cores, ${memoryGb} GB RAM, Node ${process.version}, ${os.platform()}`;
}

export function formatBenchTable(figures: Figures, machine: string = describeMachine()): string {
  const used = new Set<string>();
  const get = (name: string): number | undefined => {
    if (!(name in figures)) return undefined;
    used.add(name);
    return figures[name];
  };
  const sizes = (pattern: RegExp) =>
    [...new Set(Object.keys(figures).flatMap((key) => pattern.exec(key)?.[1] ?? []))]
      .map(Number)
      .sort((a, b) => a - b);
  const out: string[] = [];
  const section = (title: string, header: string[], rows: string[][], notes: string[] = []) => {
    if (rows.length === 0) return;
    out.push(`### ${title}`, "", table(header, rows), ...notes.map((note) => `\n${note}`), "");
  };

  const total = get("benchSeconds.total");
  out.push(
    "## storybot bench",
    "",
    `Machine: ${machine}.${total === undefined ? "" : ` Run time: ${num(total)} s.`}`,
    "",
  );

  const ackRows = [
    ["all interactions", "ackInteractions.count", "ackMs.p50", "ackMs.p99", "ackMs.max"],
    ["at a steady pace", "", "", "ackMs.p99.steady", ""],
    ["bursts of concurrent interactions", "", "", "ackMs.p99.burst", ""],
    ["bursts after 5 s idle (new connections)", "", "", "ackMs.p99.burstAfterIdle", ""],
    ['bursts, instant model (worst case, not in "all")', "", "", "ackMs.p99.burst.instantModel", ""],
    ["sender off the bot's loop: all", "", "ackMs.offLoop.p50", "ackMs.offLoop.p99", "ackMs.offLoop.max"],
    ["sender off the bot's loop: steady pace", "", "", "ackMs.offLoop.p99.steady", ""],
    ["sender off the bot's loop: bursts", "", "", "ackMs.offLoop.p99.burst", ""],
  ]
    .filter(([, , , p99]) => p99 !== undefined && p99 in figures)
    .map(([label, ...names]) => [label as string, ...names.map((name) => (name ? num(get(name)) : ""))]);
  const ackP99 = figures["ackMs.p99"];
  const rateLimited = get("ackRestRateLimitWaits.count");
  section(
    "Discord acknowledgement: INTERACTION_CREATE sent → deferral received (real discord.js client and bot, loopback Discord)",
    ["interactions", "count", "p50 ms", "p99 ms", "max ms"],
    ackRows,
    [
      "Every interaction is answered in full by a model that streams its words at a set pace (first word after a latency, then one word per interval), as a remote model does; the instant-model row is the worst case, where answers are nothing but the bot's own CPU work.",
      "Sender on the bot's loop (the first rows): the loopback Discord runs in the bot's process and stamps a frame when it writes it, so a stall of the bot delays the stamp too and is not counted.",
      "Sender off the bot's loop: the bot runs in its own process as `storybot start` does and the loopback Discord in another; a stall before the bot reads a frame counts.",
      target("p99 under 50 ms", ackP99, ackP99 !== undefined && ackP99 < 50),
      ...(figures["ackMs.offLoop.p99"] === undefined
        ? []
        : [
            target(
              "p99 under 50 ms, sender off the bot's loop",
              figures["ackMs.offLoop.p99"],
              (figures["ackMs.offLoop.p99"] as number) < 50,
            ),
          ]),
      ...(rateLimited ? [`discord.js held ${num(rateLimited)} requests back for its rate limits.`] : []),
    ],
  );

  const articleSizes = sizes(/^questionOverheadMs\.p50\.articles(\d+)\./);
  const messageSizes = sizes(/^questionOverheadMs\.p50\.articles\d+\.messages(\d+)$/);
  const atTarget = figures["questionOverheadMs.p50.articles1000.messages100000"];
  section(
    "The bot's own work per question, instant model: p50 / p99 ms",
    ["articles \\ stored messages", ...messageSizes.map(num)],
    articleSizes.map((a) => [
      num(a),
      ...messageSizes.map((m) => {
        const p50 = get(`questionOverheadMs.p50.articles${a}.messages${m}`);
        const p99 = get(`questionOverheadMs.p99.articles${a}.messages${m}`);
        return `${num(p50)} / ${num(p99)}`;
      }),
    ]),
    [
      "History read, follow-up rewrite, retrieval, prompt, streamed answer with citation checks, formatting, history and answer record written; posting to Discord and the model's own time excluded.",
      "Each cell runs in a fresh process, after the same warm-up, in a shuffled order; its store holds the messages and, for each answer among them, the answer record the bot saves.",
      ...longAnswerNotes(figures, get),
      ...(atTarget === undefined
        ? []
        : [
            target("p50 under 3 ms at 1,000 articles and 100,000 messages", atTarget, atTarget < 3),
            target(
              "p99 under 8 ms at 1,000 articles and 100,000 messages",
              figures["questionOverheadMs.p99.articles1000.messages100000"],
              (figures["questionOverheadMs.p99.articles1000.messages100000"] ?? Number.NaN) < 8,
            ),
          ]),
    ],
  );

  const stageKeys = Object.keys(figures).filter((key) => key.startsWith("stageMs.p50."));
  const stageWhere = /\.articles(\d+)\.messages(\d+)$/.exec(stageKeys[0] ?? "");
  section(
    `Where a question's time goes: p50 ms per step${stageWhere ? ` (${num(Number(stageWhere[1]))} articles, ${num(Number(stageWhere[2]))} messages)` : ""}`,
    ["step", "p50 ms"],
    [
      ...stageKeys.map((key) => [key.split(".")[2] ?? key, num(get(key))]),
      ...Object.keys(figures)
        .filter((key) => key.startsWith("gcMsPerQuestion."))
        .map((key) => ["garbage collection, mean per question", num(get(key))]),
    ],
    [
      "Each step gets what it gets in a question: retrieve searches for as many passages as the model's budget may take; evidence is the offline reader's verdict on whether the story lacks what is asked; modelAnswer is the model call as the bot makes it on the passages the budget holds (prompt, AI SDK stream, the checked answer so far worked out each time a sentence or marker ends, final citation check); modelAnswerWithoutProgress is the same call without the answer-so-far, shown for comparison and not a step of its own; historyWrite saves the answer record, updates it with where it was posted, and adds the turns.",
    ],
  );

  section(
    "Database (lowdb): whole-file save behind the answers, load at start-up",
    ["stored messages", "db.json MB", "save ms", "loop blocked ms (max)", "open ms"],
    sizes(/^dbSaveMs\.messages(\d+)$/).map((m) => [
      num(m),
      num(get(`dbFileMb.messages${m}`)),
      num(get(`dbSaveMs.messages${m}`)),
      num(get(`dbSaveLoopBlockMs.messages${m}`)),
      num(get(`dbOpenMs.messages${m}`)),
    ]),
    [
      "Stored messages are conversation turns; the store also holds each answer's record (question, answer, citations with quotes, where it was posted) as the bot saves it. save: one whole-file write, behind the answers; loop blocked: the longest event-loop delay during it; open: reading and checking the file, as at start-up.",
    ],
  );

  const build1000 = figures["indexBuildMs.articles1000"];
  section(
    "Index build and memory: synthetic corpus, one process per size",
    [
      "articles",
      "index build ms",
      "RSS MB",
      "heap used MB",
      "search p50 ms",
      "search p99 ms",
      "first search ms",
    ],
    sizes(/^indexBuildMs\.articles(\d+)$/).map((a) => [
      num(a),
      num(get(`indexBuildMs.articles${a}`)),
      num(get(`rssMb.articles${a}`)),
      num(get(`heapUsedMb.articles${a}`)),
      num(get(`retrieveMs.p50.articles${a}`)),
      num(get(`retrieveMs.p99.articles${a}`)),
      num(get(`retrieveMs.first.articles${a}`)),
    ]),
    [
      "An index-only process: the synthetic corpus indexed, then searched (everything on, 6 results); search p50/p99 after 5 untimed searches, the first of which (code not yet compiled) is the first-search column; memory after a forced collection.",
      ...(build1000 === undefined
        ? []
        : [target("1,000 articles indexed in under 2 s", build1000, build1000 < 2_000)]),
      ...largeSearchTargets(figures),
    ],
  );

  const botRss = Object.keys(figures).filter((key) =>
    /^bot(Rss|HeapUsed|HeapTotal|External)Mb(AfterGc)?\./.test(key),
  );
  section(
    "The running bot: memory after answering",
    ["figure", "MB"],
    botRss.map((key) => [key, num(get(key))]),
    [
      "The bot in its own process as `storybot start` runs it (its Node flags, lowdb store, the synthetic corpus), after answering that many /ask questions through the loopback Discord with the paced model; RSS and heap as they are, then (AfterGc) after a full collection, which separates garbage not yet collected from memory the bot keeps. HeapTotal: the heap V8 has grown to and keeps, used or not; External: memory outside the heap that it accounts for (WordNet's dictionary, buffers).",
      ...botRss
        .filter((key) => key.startsWith("botRssMb.") && key.endsWith(".articles1000"))
        .map((key) =>
          target(
            "running bot at 1,000 articles under 200 MB RSS",
            figures[key],
            (figures[key] as number) < 200,
          ),
        ),
    ],
  );

  section(
    "Start-up to ready: process start → bot logged in to the loopback Discord",
    ["figure", "value"],
    Object.keys(figures)
      .filter((key) => key.startsWith("startup"))
      .map((key) => [key, num(get(key))]),
  );

  section(
    "Throughput: steady-state answers per second through the bot's answer path",
    ["figure", "questions/s"],
    Object.keys(figures)
      .filter((key) => key.startsWith("throughputQps."))
      .map((key) => [key.slice("throughputQps.".length), num(get(key))]),
    [
      "zeroLatency: an instant model, 10 questions in flight. model1s: a model that takes 1 s per answer, 50 questions in flight started 20 ms apart; with nothing serialised but the database, about 50 a second.",
    ],
  );

  const settings = settingNames(figures);
  const speedSize = sizes(/^retrieveMs\.p50\.\w+\.articles(\d+)$/)[0];
  const recallAll = figures["recallAt5.all"];
  section(
    `Retrieval: recall on the development set, search time on ${speedSize === undefined ? "—" : num(speedSize)} synthetic articles`,
    ["setting", "recall@1", "recall@5", "search p50 ms"],
    settings.map((name) => [
      name,
      percent(get(`recallAt1.${name}`)),
      percent(get(`recallAt5.${name}`)),
      num(get(`retrieveMs.p50.${name}.articles${speedSize}`)),
    ]),
    [
      "recall@k: share of the development questions whose expected passage is among the first k retrieved; search p50: one retrieval (6 results) in this process, after 5 untimed ones.",
      ...(recallAll === undefined
        ? []
        : [target("recall@5 at least 95 % (everything on)", recallAll, recallAll >= 0.95, percent)]),
    ],
  );

  const accuracy = figures["extractiveAccuracy.all"];
  section(
    "Offline (extractive) answers on the development set",
    ["figure", "value"],
    ["extractiveAccuracy.all", "doesntSayRate.all", "followupAccuracy.all", "citationProblems.count"]
      .filter((key) => key in figures)
      .map((key) => {
        const value = get(key);
        return [key, key.endsWith(".count") ? num(value) : percent(value)];
      }),
    accuracy === undefined ? [] : [target("accuracy at least 80 %", accuracy, accuracy >= 0.8, percent)],
  );

  out.push(...postgresSection(figures, get));
  section(
    "Other figures",
    ["figure", "value"],
    Object.keys(figures)
      .filter((key) => !used.has(key))
      .map((key) => [key, num(figures[key])]),
  );
  return out.join("\n").trimEnd();
}

function longAnswerNotes(figures: Figures, get: (name: string) => number | undefined): string[] {
  return Object.keys(figures)
    .filter((key) => key.startsWith("questionOverheadMs.p50.longAnswer."))
    .map((key) => {
      const where = key.slice("questionOverheadMs.p50.longAnswer.".length);
      const p99 = get(`questionOverheadMs.p99.longAnswer.${where}`);
      return `Long answers (every passage cited, a few hundred words) at ${where}: p50 ${num(get(key))} / p99 ${num(p99)} ms.`;
    });
}

function largeSearchTargets(figures: Figures): string[] {
  const p50 = figures["retrieveMs.p50.articles50000"];
  const p99 = figures["retrieveMs.p99.articles50000"];
  if (p50 === undefined || p99 === undefined) return [];
  return [
    target("search at 50,000 articles p50 under 5 ms", p50, p50 < 5),
    target("search at 50,000 articles p99 under 15 ms", p99, p99 < 15),
  ];
}

function settingNames(figures: Figures): string[] {
  return Object.keys(figures).flatMap((key) => /^recallAt5\.(\w+)$/.exec(key)?.[1] ?? []);
}

function target(
  what: string,
  value: number | undefined,
  met: boolean,
  show: (value: number | undefined) => string = num,
): string {
  return `Target: ${what}: **${met ? "met" : "missed"}** (${show(value)}).`;
}

function num(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  return value.toLocaleString("en-US", { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });
}

function percent(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  return `${(value * 100).toFixed(1)} %`;
}
