// `storybot sources [--json]`: the articles the bot answers from.
import type { Core } from "../app.ts";

export async function sourcesCommand(core: Core, options: { json: boolean }): Promise<number> {
  const articles = core.retriever.articles();
  for (const a of articles) {
    if (options.json) {
      const { paragraphs, ...meta } = a;
      process.stdout.write(`${JSON.stringify({ ...meta, paragraphs: paragraphs.length })}\n`);
    } else {
      const when = a.published ? ` (${a.published.slice(0, 10)})` : "";
      const source = a.source ? ` — ${a.source}` : "";
      process.stdout.write(`${a.id}: ${a.title}${source}${when}${a.url ? ` ${a.url}` : ""}\n`);
    }
  }
  if (articles.length === 0) process.stderr.write("storybot: no articles in the corpus yet.\n");
  return 0;
}
