// The summary of the story for a reader whose last summary was at `since`: what is new first, then
// the story so far, every sentence cited and checked exactly as answers are.
import { checkCitations } from "../citations/checkCitations.ts";
import type { CoreDeps } from "../coreDeps.ts";
import { LlmError } from "../llm/callLlm.ts";
import type { AnswerMode, Citation } from "../types.ts";
import { type DraftSummary, extractiveSummary } from "./extractiveSummary.ts";
import { llmSummary, passagesForModel } from "./llmSummary.ts";
import { findNewArticles } from "./newArticles.ts";
import { openingLine } from "./openingLine.ts";
import { rankStory } from "./storySentences.ts";

export interface SummaryResult {
  /** Markdown-light text with [n] markers; its first line says what is new (or that nothing is). */
  summary: string;
  citations: Citation[];
  /** Ids of the articles published or ingested after `since`, newest first (all of them without `since`). */
  newArticles: string[];
  mode: AnswerMode;
  /** Why the summary is extractive. */
  notice?: string;
}

export interface SummaryOptions {
  since?: Date;
  signal?: AbortSignal;
}

const NO_MODEL_NOTICE = "No language model is configured, so this summary quotes the story's own sentences.";

export async function buildSummary(deps: CoreDeps, options: SummaryOptions = {}): Promise<SummaryResult> {
  const articles = deps.retriever.articles();
  const fresh = findNewArticles(articles, options.since);
  const opening = openingLine(fresh.length, options.since);
  const ranked = rankStory(articles, deps.retriever.passages());
  const newArticles = fresh.map((a) => a.id);

  let notice = NO_MODEL_NOTICE;
  if (deps.model && ranked.length > 0) {
    try {
      const draft = await llmSummary(
        { model: deps.model, llm: deps.llm, log: deps.log },
        {
          passages: passagesForModel(ranked, fresh),
          newArticleIds: new Set(newArticles),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      return {
        ...checked({ text: `${opening}\n${draft.text}`, passages: draft.passages }),
        newArticles,
        mode: "llm",
      };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      deps.log.warn({ err: error }, "language model failed; summarising from the story's sentences");
      const reason = error instanceof LlmError ? error.reason : "failed";
      notice = `The language model ${reason}, so this summary quotes the story's own sentences.`;
    }
  }
  const draft = extractiveSummary({ opening, newArticles: fresh, ranked });
  return { ...checked(draft), newArticles, mode: "extractive", notice };
}

function checked(draft: DraftSummary): { summary: string; citations: Citation[] } {
  const { answer, citations } = checkCitations(draft.text, draft.passages);
  return { summary: answer, citations };
}
