// Measures how long the lowdb store takes to open db.json at realistic sizes: the read and parse
// block the event loop for all of it. Run: node scripts/measureDbOpen.ts [messages…]
// Each message is one exchange (a question turn, an answer turn, and its answer record with three
// citations), about the shape the bot writes.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { silentLogger } from "../src/log.ts";
import { DatabaseFile } from "../src/store/databaseFile.ts";
import { emptyState } from "../src/store/dbSchema.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { AnswerRecord } from "../src/store/store.ts";

const TURNS_PER_CONVERSATION = 50;
const counts = process.argv.slice(2).map(Number);
const sizes = counts.length ? counts : [6_000, 12_000, 24_000];

const words =
  "the council said on tuesday that the harbour plan would go ahead despite objections from residents".split(
    " ",
  );
function prose(chars: number, seed: number): string {
  let text = "";
  for (let i = seed; text.length < chars; i++) text += `${words[i % words.length]} `;
  return text.slice(0, chars);
}

for (const messages of sizes) {
  const dir = await mkdtemp(path.join(tmpdir(), "storybot-open-"));
  try {
    const state = emptyState();
    const now = Date.now();
    const exchanges = TURNS_PER_CONVERSATION / 2;
    for (let c = 0; c * exchanges < messages; c++) {
      const key = `guild:1:user:${c}`;
      const turns = [];
      for (let e = 0; e < exchanges && c * exchanges + e < messages; e++) {
        const at = new Date(now - (messages - c * exchanges - e) * 1000).toISOString();
        const question = prose(120, c + e);
        const answer = prose(700, c * 7 + e);
        turns.push(
          { role: "user" as const, content: question, at },
          { role: "assistant" as const, content: answer, at },
        );
        const record: AnswerRecord = {
          id: `${c}-${e}-0000-0000-000000000000`,
          conversationKey: key,
          scope: "guild:1",
          userId: String(c),
          question,
          answer,
          citations: [1, 2, 3].map((n) => ({
            n,
            passageId: `article-${n}#p${e}`,
            title: "Harbour plan",
            paragraph: e,
            quote: prose(180, n + e),
          })),
          mode: "llm",
          at,
          messageId: String(10n ** 17n + BigInt(c * exchanges + e)),
          channelId: "123456789012345678",
          feedback: {},
        };
        state.answers.set(record.id, record);
      }
      const first = turns[0]?.at ?? new Date(now).toISOString();
      state.conversations.set(key, {
        key,
        scope: "guild:1",
        userId: String(c),
        createdAt: first,
        updatedAt: first,
        turns,
      });
    }
    const file = path.join(dir, "db.json");
    await new DatabaseFile(file, undefined, 2 ** 29).write(state);
    const bytes = (await stat(file)).size;
    const log = silentLogger();
    global.gc?.();
    // The read and parse alone (what blocks the event loop), then the whole open.
    const readStarted = performance.now();
    await new DatabaseFile(file, undefined, 2 ** 29).read();
    const readMs = performance.now() - readStarted;
    global.gc?.();
    const started = performance.now();
    // Raised past the default limit so that larger files can be measured too.
    const store = await openStore({
      maxFileBytes: 2 ** 29,
      dataDir: dir,
      log,
      clock: () => new Date(now),
      retention: { maxAgeDays: 3650, maxTurnsPerConversation: TURNS_PER_CONVERSATION },
    });
    const openMs = performance.now() - started;
    const saveStarted = performance.now();
    await store.saveNow();
    const saveMs = performance.now() - saveStarted;
    await store.close();
    console.log(
      `${messages} messages, ${(bytes / 2 ** 20).toFixed(1)} MiB: read+parse ${readMs.toFixed(0)} ms, open ${openMs.toFixed(0)} ms, whole save ${saveMs.toFixed(0)} ms`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
