// Questions typed at a terminal: a prompt before each, until an empty line or end of input (Ctrl-D).
// The prompt goes to stderr, so stdout holds nothing but the answers.
import { createInterface } from "node:readline/promises";

export async function* promptLines(
  prompt: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): AsyncGenerator<string> {
  const rl = createInterface({ input, output, terminal: true });
  let closed = false;
  rl.once("close", () => {
    closed = true;
  });
  try {
    while (!closed) {
      const line = await rl.question(prompt).catch(() => undefined);
      if (line === undefined || line.trim() === "") return;
      yield line;
    }
  } finally {
    rl.close();
  }
}
