// `storybot ingest PATH|URL ...`: adds articles to the corpus (a running bot's own copy learns them
// through /story add or its feeds; this writes to DATA_DIR/ingested for the next start).
import type { Core } from "../app.ts";
import { userMessage } from "../errors.ts";
import { describeIngestResult, ingest, ingestDepsFor } from "../ingest/ingestSource.ts";

export async function ingestCommand(core: Core, sources: string[]): Promise<number> {
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
