// BM25 over passages. The vocabulary is MiniSearch's radix tree (SearchableMap), which answers the
// prefix and fuzzy look-ups; postings are typed arrays here (postingList.ts), because a full MiniSearch
// search materialises and sorts every matching document, far over the per-question budget once a
// thousand articles share a vocabulary (news corpora do). Scoring (topPassages.ts) reads the postings
// of the question's rarer terms and only looks up its common ones for the passages still in reach.
//
// Fields: a passage's own text, plus its article's headline (title and standfirst) at a lower boost,
// so that among many articles the one a question is about comes first. The headline passage (0)
// holds the headline as its text and gets no extra headline score.

import SearchableMap from "minisearch/SearchableMap";
import { describePost } from "../corpus/describePost.ts";
import type { Passage } from "../types.ts";
import type { QueryConcept } from "./expandQuery.ts";
import { PassageTerms } from "./passageTerms.ts";
import { grown, MAX_LENGTH, PostingList } from "./postingList.ts";
import { bestSentenceCoverage, type CompiledQuery } from "./scoreSentences.ts";
import { searchTerms, sentenceTerms } from "./searchTerms.ts";
import { bm25, createTopPassages, K1, type ScoredTerm } from "./topPassages.ts";

export interface LexicalHit {
  id: string;
  score: number;
}

export interface LexicalIndex {
  /** Indexes one article's passages (after its old ones were removed); `headline` is its title and standfirst. */
  add(articleId: string, passages: readonly Passage[], headline: string): void;
  remove(ids: readonly string[]): void;
  /** Resolves a question's concepts against the vocabulary: term ids, weights, rarity. */
  compile(concepts: readonly QueryConcept[]): CompiledQuery;
  /** Best passages by BM25, at most `limit`, best first. */
  search(query: CompiledQuery, limit: number): LexicalHit[];
  /** Share of the question its best sentence covers, 0..1 (see scoreSentences). */
  sentenceCoverage(query: CompiledQuery, id: string): number;
  /** Passages holding `term` (a key; see wordKeys) anywhere in the index. */
  documentFrequency(term: string): number;
  /** Terms of the vocabulary held by some passage that start with `prefix`, at most `limit`. */
  termsWithPrefix(prefix: string, limit: number): string[];
  /** Passages in the index. */
  size(): number;
}

const HEADLINE_BOOST = 0.3;
// Prefix search joins forms the stemmer keeps apart ("Israel"/"Israeli"); fuzzy search forgives a typo
// in a longer word the corpus does not have. Both only for the question's own words (expansions are
// guesses already), and at a reduced weight.
const MIN_PREFIX_LENGTH = 4;
const MIN_FUZZY_LENGTH = 6;
const PREFIX_WEIGHT = 0.4;
const FUZZY_WEIGHT = 0.4;
const MAX_VARIANTS = 20;
// The headline postings of a term no headline holds (most terms): shared, and never added to, since a
// term's first headline gives it a list of its own. Three typed arrays for every term of the vocabulary
// took about 3 MB of heap at 1,000 articles.
const NO_POSTINGS = new PostingList();
// Removed passages leave holes in the postings; they are swept out once they are a quarter of them.
const MIN_HOLES_TO_SWEEP = 10_000;

export function createLexicalIndex(): LexicalIndex {
  // Term → id: a Map for exact look-ups (fast), the radix tree for prefix and fuzzy ones.
  const termIds = new Map<string, number>();
  const vocabulary = new SearchableMap<number>();
  const postings: PostingList[] = [];
  const headlinePostings: PostingList[] = [];
  const documentFrequency: number[] = [];
  // Per term id, reused while counting a passage's terms.
  const termCounts: number[] = [];

  // Passage ids by slot (undefined once removed), their terms and sentences; a removed slot's length is -1.
  const passages: (string | undefined)[] = [];
  const passageTerms = new PassageTerms();
  let lengths = new Int32Array(1024);
  // Per slot, the article whose headline score lifts it; -1 for headline passages, which hold the
  // headline already.
  let articleOfSlot = new Int32Array(1024);
  const slotById = new Map<string, number>();
  let livePassages = 0;
  let totalLength = 0;
  let livePostings = 0;
  let holes = 0;

  const articleSlots = new Map<string, number>();
  const headlines: Int32Array[] = [];
  // Per article, a range of slots [first, end) that holds all its live passages: those its headline
  // score lifts (besides its headline passage, and maybe some removed or other articles' passages,
  // which a search tells apart by their article). One add gives an article consecutive slots.
  let articleFirst = new Int32Array(256);
  let articleEnd = new Int32Array(256);
  let headlineLengths = new Int32Array(256);
  let totalHeadlineLength = 0;

  // Scores of the articles one search touches, which those are, and the ones still lifting passages
  // (a shortlist); scores are reset after each search.
  let articleScores = new Float64Array(256);
  let touchedArticles = new Int32Array(256);
  let shortlist = new Int32Array(256);
  // The passages the shortlist's articles lift, as last listed.
  let lifted = new Int32Array(1024);
  const topPassages = createTopPassages();

  function termId(term: string): number {
    let id = termIds.get(term);
    if (id === undefined) {
      id = postings.length;
      termIds.set(term, id);
      vocabulary.set(term, id);
      postings.push(new PostingList());
      headlinePostings.push(NO_POSTINGS);
      documentFrequency.push(0);
      termCounts.push(0);
    }
    return id;
  }

  const idf = (id: number) => {
    const df = documentFrequency[id] ?? 0;
    return Math.log(1 + (livePassages - df + 0.5) / (df + 0.5));
  };

  /** Appends a slot to the postings of each distinct term of `ids`; returns the distinct terms. */
  function post(lists: PostingList[], slot: number, ids: Int32Array): number[] {
    const distinct: number[] = [];
    for (const id of ids) {
      if (termCounts[id] === 0) distinct.push(id);
      termCounts[id] = (termCounts[id] ?? 0) + 1;
    }
    for (const id of distinct) {
      let list = lists[id] as PostingList;
      if (list === NO_POSTINGS) {
        list = new PostingList();
        lists[id] = list;
      }
      list.add(slot, termCounts[id] ?? 1, ids.length);
      termCounts[id] = 0;
    }
    return distinct;
  }

  function setHeadline(article: number, ids: Int32Array) {
    const old = headlines[article];
    if (old) {
      for (const id of new Set(old)) (headlinePostings[id] as PostingList).remove(article);
      totalHeadlineLength -= old.length;
    }
    headlines[article] = ids;
    if (article >= headlineLengths.length) headlineLengths = grown(headlineLengths, article * 2 + 1);
    headlineLengths[article] = ids.length;
    totalHeadlineLength += ids.length;
    post(headlinePostings, article, ids);
  }

  function removeSlot(slot: number) {
    const id = passages[slot];
    if (id === undefined) return;
    const terms = passageTerms.terms(slot);
    const distinct = new Set(terms);
    for (const id of distinct) {
      documentFrequency[id] = (documentFrequency[id] ?? 1) - 1;
      (postings[id] as PostingList).clear(slot);
    }
    livePostings -= distinct.size;
    holes += distinct.size;
    livePassages--;
    totalLength -= terms.length;
    passages[slot] = undefined;
    passageTerms.delete(slot);
    lengths[slot] = -1;
    slotById.delete(id);
  }

  function sweep() {
    for (const list of postings) list.compact(lengths);
    holes = 0;
  }

  // Question term → the vocabulary's term ids it matches, with the weight factor of each.
  function variantsOf(term: string, ownWord: boolean): Map<number, number> {
    const found = new Map<number, number>();
    const exact = termIds.get(term);
    if (exact !== undefined) found.set(exact, 1);
    if (!ownWord) return found;
    if (term.length >= MIN_PREFIX_LENGTH) {
      let count = 0;
      for (const [, id] of vocabulary.atPrefix(term)) {
        if (!found.has(id)) found.set(id, PREFIX_WEIGHT);
        if (++count >= MAX_VARIANTS) break;
      }
    }
    if (exact === undefined && term.length >= MIN_FUZZY_LENGTH) {
      for (const [id] of vocabulary.fuzzyGet(term, 1).values())
        if (!found.has(id)) found.set(id, FUZZY_WEIGHT);
    }
    return found;
  }

  return {
    add(articleId, articlePassages, headline) {
      let article = articleSlots.get(articleId);
      if (article === undefined) {
        article = articleSlots.size;
        articleSlots.set(articleId, article);
      }
      setHeadline(article, Int32Array.from(searchTerms(headline), termId));

      const first = passages.length;
      for (const passage of articlePassages) {
        const old = slotById.get(passage.id);
        if (old !== undefined) removeSlot(old);
        // An embedded post is also found by what it is ("the tweet") and who posted it.
        const text = passage.embeddedPost
          ? `${passage.text}\n${describePost(passage.embeddedPost)}.`
          : passage.text;
        const { terms, sentenceEnds } = sentenceTerms(text);
        const ids = Int32Array.from(terms, termId);
        const slot = passages.length;
        if (slot >= lengths.length) {
          lengths = grown(lengths, slot * 2);
          articleOfSlot = grown(articleOfSlot, slot * 2);
        }
        passages.push(passage.id);
        passageTerms.set(slot, ids, sentenceEnds);
        lengths[slot] = ids.length;
        articleOfSlot[slot] = passage.paragraph === 0 ? -1 : article;
        slotById.set(passage.id, slot);
        for (const id of post(postings, slot, ids)) documentFrequency[id] = (documentFrequency[id] ?? 0) + 1;
        livePostings += new Set(ids).size;
        livePassages++;
        totalLength += ids.length;
      }
      if (article >= articleFirst.length) {
        articleFirst = grown(articleFirst, article * 2 + 1);
        articleEnd = grown(articleEnd, article * 2 + 1);
      }
      // Passages of an earlier add still live (not replaced) stay in the range.
      let stillLive = false;
      for (let slot = articleFirst[article] as number; slot < (articleEnd[article] as number); slot++) {
        if (articleOfSlot[slot] === article && (lengths[slot] as number) >= 0 && slot < first)
          stillLive = true;
      }
      if (!stillLive) articleFirst[article] = first;
      articleEnd[article] = passages.length;
    },

    remove(ids) {
      for (const id of ids) {
        const slot = slotById.get(id);
        if (slot !== undefined) removeSlot(slot);
      }
      if (holes >= MIN_HOLES_TO_SWEEP && holes > livePostings / 4) sweep();
    },

    compile(concepts) {
      const weights = new Map<number, number>();
      const values = new Map<number, { concept: number; value: number }[]>();
      let possible = 0;
      concepts.forEach((concept, index) => {
        let best = 0;
        for (const [term, weight] of concept.terms) {
          for (const [id, factor] of variantsOf(term, weight === 1)) {
            if (!documentFrequency[id]) continue;
            const w = weight * factor;
            weights.set(id, Math.max(w, weights.get(id) ?? 0));
            const value = w * idf(id);
            const list = values.get(id) ?? [];
            const same = list.find((entry) => entry.concept === index);
            if (same) same.value = Math.max(same.value, value);
            else list.push({ concept: index, value });
            values.set(id, list);
            best = Math.max(best, value);
          }
        }
        possible += best;
      });
      return { weights, values, concepts: concepts.length, possible };
    },

    search(query, limit) {
      if (livePassages === 0 || query.weights.size === 0 || limit <= 0) return [];
      if (articleScores.length < headlines.length) {
        articleScores = new Float64Array(headlines.length * 2);
        touchedArticles = new Int32Array(headlines.length * 2);
        shortlist = new Int32Array(headlines.length * 2);
      }
      if (lifted.length < passages.length) lifted = new Int32Array(passages.length * 2);
      // Each term's weight with its rarity and BM25's saturation bound: no passage gains more from it.
      // Scores are summed in this order, highest bound first.
      const terms = [...query.weights]
        .map(([id, weight]) => ({ id, bound: weight * idf(id) * (K1 + 1) }))
        .sort((a, b) => b.bound - a.bound);

      // Headlines first: one posting per article and term, so cheap.
      let bestArticle = 0;
      const averageHeadline = totalHeadlineLength / Math.max(1, headlines.length) || 1;
      // Locals, so that the loops read them from registers rather than from the closure.
      const scores = articleScores;
      const articles = touchedArticles;
      let articleCount = 0;
      const headLengths = headlineLengths;
      for (const { id, bound } of terms) {
        const list = headlinePostings[id] as PostingList;
        const slots = list.slots;
        const counts = list.counts;
        const lengthsHere = list.lengths;
        for (let i = 0; i < list.size; i++) {
          const article = slots[i] as number;
          let score = scores[article] as number;
          if (score === 0) articles[articleCount++] = article;
          let length = lengthsHere[i] as number;
          if (length === MAX_LENGTH) length = headLengths[article] as number;
          score += bm25(bound, counts[i] as number, length, averageHeadline);
          scores[article] = score;
          if (score > bestArticle) bestArticle = score;
        }
      }

      // Then passages, each starting from its share of its article's headline score. The articles whose
      // share could lift a passage shrink as the search goes (its minimum only rises), so each look
      // starts from the previous one's.
      const shortlisted = shortlist;
      shortlisted.set(articles.subarray(0, articleCount));
      let shortlistSize = articleCount;
      const top = topPassages({
        terms: terms.map(({ id, bound }): ScoredTerm => ({ list: postings[id] as PostingList, bound })),
        lengths,
        slotCount: passages.length,
        averageLength: totalLength / livePassages || 1,
        base: {
          groupOf: articleOfSlot,
          groupScores: scores,
          share: HEADLINE_BOOST,
          bound: HEADLINE_BOOST * bestArticle,
          atLeast(minimum, most) {
            let kept = 0;
            let passageCount = 0;
            for (let a = 0; a < shortlistSize; a++) {
              const article = shortlisted[a] as number;
              if (HEADLINE_BOOST * (scores[article] as number) < minimum) continue;
              shortlisted[kept++] = article;
              passageCount += (articleEnd[article] as number) - (articleFirst[article] as number);
            }
            shortlistSize = kept;
            if (passageCount > most) return undefined;
            let found = 0;
            for (let a = 0; a < shortlistSize; a++) {
              const article = shortlisted[a] as number;
              for (
                let slot = articleFirst[article] as number;
                slot < (articleEnd[article] as number);
                slot++
              ) {
                if (articleOfSlot[slot] === article && (lengths[slot] as number) >= 0) lifted[found++] = slot;
              }
            }
            return lifted.subarray(0, found);
          },
        },
        limit,
      });
      for (let a = 0; a < articleCount; a++) scores[articles[a] as number] = 0;
      return top.map(({ slot, score }) => ({ id: passages[slot] as string, score }));
    },

    documentFrequency(term) {
      const id = termIds.get(term);
      return id === undefined ? 0 : (documentFrequency[id] ?? 0);
    },

    termsWithPrefix(prefix, limit) {
      const found: string[] = [];
      if (limit <= 0) return found;
      for (const [term, id] of vocabulary.atPrefix(prefix)) {
        if (!documentFrequency[id]) continue;
        found.push(term);
        if (found.length >= limit) break;
      }
      return found;
    },

    size: () => livePassages,

    sentenceCoverage(query, id) {
      const slot = slotById.get(id);
      if (slot === undefined || passages[slot] === undefined) return 0;
      return bestSentenceCoverage(passageTerms.terms(slot), passageTerms.sentenceEnds(slot), query);
    },
  };
}
