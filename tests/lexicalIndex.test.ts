// Replacing articles in the lexical index (old passages removed, new ones added at new slots) leaves it
// scoring every question as an index built from the final articles does.
import { describe, expect, it } from "vitest";
import { syntheticStory } from "../bench/syntheticCorpus.ts";
import { splitPassages } from "../src/corpus/splitPassages.ts";
import { expandQuery } from "../src/retrieval/expandQuery.ts";
import { createLexicalIndex, type LexicalHit, type LexicalIndex } from "../src/retrieval/lexicalIndex.ts";
import type { Article } from "../src/types.ts";

const headlineOf = (article: Article) =>
  article.standfirst ? `${article.title}\n${article.standfirst}` : article.title;

function add(index: LexicalIndex, article: Article) {
  index.add(article.id, splitPassages(article), headlineOf(article));
}

/**
 * Scores must agree; ids only where no other passage has (nearly) the same score, since ties may be
 * ordered differently: `beyond` holds the expected hits past the last compared, to see ties there too.
 */
function expectSameRanking(actual: LexicalHit[], expected: LexicalHit[], beyond: LexicalHit[]) {
  expect(actual.map((hit) => hit.score)).toEqual(expected.map((hit) => expect.closeTo(hit.score, 9)));
  const all = [...expected, ...beyond];
  const tied = (i: number) =>
    all.some((other, j) => j !== i && Math.abs(other.score - (all[i] as LexicalHit).score) < 1e-9);
  expected.forEach((hit, i) => {
    if (!tied(i)) expect(actual[i]?.id).toBe(hit.id);
  });
}

describe("lexical index", () => {
  it("after articles are replaced, searches score as an index built from the final articles", () => {
    const story = syntheticStory(80, 11);
    const final = story.articles.map((article, i) =>
      i % 3 === 0
        ? { ...article, paragraphs: (story.articles[(i + 7) % story.articles.length] as Article).paragraphs }
        : article,
    );
    const updated = createLexicalIndex();
    for (const article of story.articles) add(updated, article);
    final.forEach((article, i) => {
      if (i % 3 !== 0) return;
      updated.remove(splitPassages(story.articles[i] as Article).map((passage) => passage.id));
      add(updated, article);
    });
    const fresh = createLexicalIndex();
    for (const article of final) add(fresh, article);

    expect(updated.size()).toBe(fresh.size());
    for (const question of story.questions) {
      const concepts = expandQuery(question, { news: true, wordnet: false });
      const expected = fresh.search(fresh.compile(concepts), 60);
      expect(expected.length).toBeGreaterThan(0);
      expectSameRanking(
        updated.search(updated.compile(concepts), 30),
        expected.slice(0, 30),
        expected.slice(30),
      );
    }
  });
});
