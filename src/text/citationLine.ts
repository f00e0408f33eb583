// A citation as one line of plain text, for the terminal: `[1] Title, ¶3: “quote” https://…`.
import type { Citation } from "../types.ts";

export function citationLine(c: Citation): string {
  const where = c.paragraph === 0 ? "headline" : `¶${c.paragraph}`;
  const from = c.embeddedPost ? ` (embedded post by ${c.embeddedPost.author})` : "";
  return `[${c.n}] ${c.title}, ${where}${from}: “${c.quote}”${c.url ? ` ${c.url}` : ""}`;
}
