// `storybot ingest PATH|URL ...`: adds articles to the corpus (a running bot's own copy learns them
// through /story add or its feeds; this writes to data/articles for the next start).
import type { Core } from "../app.ts";
import { UserError, userMessage } from "../errors.ts";
import { describeIngestResult, ingest, ingestDepsFor } from "../ingest/ingestSource.ts";

export async function ingestCommand(core: Core, sources: string[]): Promise<number> {
  if (sources.length === 0) throw new UserError("Name at least one file or URL to ingest.");
  const deps = ingestDepsFor(core);
  let failed = false;
  for (const source of sources) {
    try {
      const result = await ingest(deps, source);
      process.stdout.write(`${describeIngestResult(result, core.retriever.articles())}\n`);
    } catch (error) {
      failed = true;
      core.log.debug({ err: error, source }, "ingest failed");
      process.stderr.write(`storybot: ${source}: ${userMessage(error)}\n`);
    }
  }
  return failed ? 1 : 0;
}
