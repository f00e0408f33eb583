// The retriever: BM25 candidates (with query expansion), re-ranked by their best sentence and their
// neighbouring paragraphs, fused with embedding similarity by reciprocal rank when a model is given.
// Per question the work is proportional to the candidates, not to the corpus (except the cosine scan
// of hybrid mode, which a remote embedding call dwarfs anyway).
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { EmbeddingModel } from "ai";
import { splitPassages } from "../corpus/splitPassages.ts";
import type { Logger } from "../log.ts";
import type { Article, Passage, RetrievedPassage, Retriever } from "../types.ts";
import { createEmbeddingIndex } from "./embeddingIndex.ts";
import { expandQuery } from "./expandQuery.ts";
import { fuseRankings } from "./fuseRankings.ts";
import { createLexicalIndex, type LexicalHit } from "./lexicalIndex.ts";
import type { CompiledQuery } from "./scoreSentences.ts";

/** Each improvement over plain BM25 can be switched off, so a benchmark can measure what it buys. */
export interface RetrievalFeatures {
  /** Expand questions with general news synonyms and abbreviations. */
  expansion?: boolean;
  /** Expand questions with WordNet's related words (synonyms, derived, narrower and broader words). */
  wordnet?: boolean;
  /** Re-rank candidates by how much of the question their best sentence covers. */
  sentenceScoring?: boolean;
  /** Add a little of the neighbouring paragraphs' score. */
  neighbours?: boolean;
  /** Fuse with embedding similarity (needs an embedding model). */
  embeddings?: boolean;
}

export interface RetrieverOptions {
  articles: Article[];
  embeddingModel?: EmbeddingModel;
  /** Where embeddings are cached by content hash; without it they are kept in memory only. */
  cacheDir?: string;
  log: Logger;
  features?: RetrievalFeatures;
  /** Passages already split for an article (the loader's parsed-article cache); split here otherwise. */
  passagesOf?: (article: Article) => Passage[] | undefined;
}

// BM25 candidates re-ranked per question: enough that re-ranking can lift a paragraph BM25 put low.
const MIN_CANDIDATES = 50;
const CANDIDATES_PER_RESULT = 5;
// Share of the final score that comes from the best sentence (the rest is BM25, scaled to 0..1).
const SENTENCE_WEIGHT = 0.6;
// Share of the best neighbour's score a passage gets: an answer often follows the paragraph that
// names what the question is about.
const NEIGHBOUR_WEIGHT = 0.15;
// The longest the index holds the event loop while adding articles.
const INDEX_SLICE_MS = 10;

export async function createRetriever(opts: RetrieverOptions): Promise<Retriever> {
  const features: Required<RetrievalFeatures> = {
    expansion: true,
    wordnet: false,
    sentenceScoring: true,
    neighbours: true,
    embeddings: true,
    ...opts.features,
  };
  const lexical = createLexicalIndex();
  const embeddings =
    opts.embeddingModel && features.embeddings
      ? createEmbeddingIndex({
          model: opts.embeddingModel,
          log: opts.log,
          ...(opts.cacheDir !== undefined && { cacheDir: opts.cacheDir }),
        })
      : undefined;

  const articlesById = new Map<string, Article>();
  const passagesByArticle = new Map<string, Passage[]>();
  const passageById = new Map<string, Passage>();
  let allArticles: Article[] = [];
  let allPassages: Passage[] = [];

  async function add(articles: readonly Article[]): Promise<void> {
    const latest = new Map(articles.map((article) => [article.id, article]));
    const split = [...latest.values()].map((article) => ({
      article,
      passages: opts.passagesOf?.(article) ?? splitPassages(article),
    }));
    // Embedding happens first, so a search running meanwhile still sees the old articles whole.
    await embeddings?.add(split.flatMap((s) => s.passages));

    let sliceStart = performance.now();
    for (const { article, passages } of split) {
      // Indexing thousands of articles takes seconds: the event loop gets a turn every few
      // milliseconds, so a running bot keeps acknowledging and answering meanwhile. Each article is
      // swapped whole within a turn, so a search in between sees it either old or new.
      if (performance.now() - sliceStart > INDEX_SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
      const ids = new Set(passages.map((p) => p.id));
      const oldIds = (passagesByArticle.get(article.id) ?? []).map((p) => p.id);
      lexical.remove(oldIds);
      embeddings?.remove(oldIds.filter((id) => !ids.has(id)));
      for (const id of oldIds) passageById.delete(id);
      articlesById.set(article.id, article);
      passagesByArticle.set(article.id, passages);
      for (const passage of passages) passageById.set(passage.id, passage);
      lexical.add(article.id, passages, headlineOf(article));
    }
    allArticles = [...articlesById.values()];
    allPassages = [...passagesByArticle.values()].flat();
  }

  function rerank(hits: readonly LexicalHit[], query: CompiledQuery): LexicalHit[] {
    const top = hits[0]?.score ?? 0;
    if (top <= 0) return [];
    const first = new Map<string, number>();
    for (const hit of hits) {
      let score = hit.score / top;
      if (features.sentenceScoring) {
        score = (1 - SENTENCE_WEIGHT) * score + SENTENCE_WEIGHT * lexical.sentenceCoverage(query, hit.id);
      }
      first.set(hit.id, score);
    }
    const ranked = [...first].map(([id, score]) => {
      const passage = passageById.get(id);
      if (features.neighbours && passage && passage.paragraph > 0) {
        const neighbour = (paragraph: number) =>
          paragraph > 0 ? (first.get(`${passage.articleId}#${paragraph}`) ?? 0) : 0;
        score +=
          NEIGHBOUR_WEIGHT * Math.max(neighbour(passage.paragraph - 1), neighbour(passage.paragraph + 1));
      }
      return { id, score };
    });
    return ranked.sort((a, b) => b.score - a.score);
  }

  let updates = Promise.resolve();
  const retriever: Retriever = {
    async search(query, k) {
      if (k <= 0 || query.trim() === "") return [];
      const compiled = lexical.compile(
        expandQuery(query, { news: features.expansion, wordnet: features.wordnet }),
      );
      // Many results (a model's budget of passages) need no more than a margin of candidates beyond them.
      const limit = Math.max(MIN_CANDIDATES, Math.min(k * CANDIDATES_PER_RESULT, k + MIN_CANDIDATES));
      let ranked: LexicalHit[] = rerank(lexical.search(compiled, limit), compiled);
      const semantic = await embeddings?.rank(query, limit);
      if (semantic) {
        ranked = fuseRankings([ranked.map((hit) => hit.id), semantic]);
      }
      const results: RetrievedPassage[] = [];
      for (const { id, score } of ranked) {
        const passage = passageById.get(id);
        if (passage) results.push({ ...passage, score });
        if (results.length === k) break;
      }
      return results;
    },

    addArticles(articles) {
      // Updates run one after another; a failed one does not block the next.
      const run = updates.then(() => add(articles));
      updates = run.catch(() => {});
      return run;
    },

    articles: () => allArticles,
    passages: () => allPassages,
    vocabulary: () => ({
      documentFrequency: (key) => lexical.documentFrequency(key),
      keysWithPrefix: (prefix, limit) => lexical.termsWithPrefix(prefix, limit),
      passages: lexical.size(),
    }),
  };

  await retriever.addArticles(opts.articles);
  return retriever;
}

/** The article's headline field: title and standfirst (the headline passage also holds its metadata). */
function headlineOf(article: Article): string {
  return article.standfirst ? `${article.title}\n${article.standfirst}` : article.title;
}
