// `storybot chat`: an interactive conversation in the terminal, remembered like a Discord thread.
import { createInterface } from "node:readline/promises";
import { converse } from "../answer/converse.ts";
import type { Core } from "../app.ts";
import { userMessage } from "../errors.ts";
import { formatAnswer } from "./formatAnswer.ts";

const SESSION = "chat";
const OWNER = { scope: "cli", userId: SESSION };

export async function chatCommand(core: Core): Promise<number> {
  // The chat remembers, so it needs the database: when another storybot holds it, say so and stop
  // (exit 1) before the first question, not with an apology after each one.
  await core.store.history(`cli:${SESSION}`, 1);
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  if (interactive) {
    process.stdout.write(
      `Ask about the story (${core.retriever.articles().length} articles). /forget clears the conversation, /exit leaves.\n`,
    );
  }
  rl.setPrompt(interactive ? "› " : "");
  // Input can end while an answer is being worked out; a closed readline takes no prompt.
  let closed = false;
  rl.once("close", () => {
    closed = true;
  });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/exit" || text === "/quit") break;
    if (text === "/forget") {
      await core.store.forget(OWNER);
      process.stdout.write("Conversation forgotten.\n");
    } else if (text !== "") {
      try {
        await converse(core, {
          question: text,
          conversation: { key: `cli:${SESSION}`, owner: OWNER },
          show: (result) => {
            process.stdout.write(`${formatAnswer(result)}\n\n`);
          },
        });
      } catch (error) {
        core.log.debug({ err: error }, "question failed");
        process.stdout.write(`${userMessage(error)}\n\n`);
      }
    }
    if (!closed) rl.prompt();
  }
  rl.close();
  return 0;
}
