// Questions one per line from stdin, for batch use (`storybot ask < questions.txt`).
import { createInterface } from "node:readline";

/** Non-blank lines of a stream, in order. */
export async function* readLines(input: NodeJS.ReadableStream = process.stdin): AsyncGenerator<string> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() !== "") yield line;
  }
}
