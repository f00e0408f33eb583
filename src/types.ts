// Shared shapes of the Discord-free core. Adapters (CLI, Discord) speak only these. What the core is
// given to work with (the store among it) is coreDeps.ts: the store's records use these shapes.

export interface Article {
  /** File name without extension; stable, used in passage ids. */
  id: string;
  title: string;
  standfirst?: string;
  /** Who wrote it: the byline field, else the article's own author line (see corpus/findCredits). */
  byline?: string;
  /** Where and when it was filed, from its opening dateline ("Baltimore, March 26"). */
  dateline?: string;
  url?: string;
  /** The outlet: the source field, else the one its "By Name, Outlet" line names. */
  source?: string;
  /** ISO 8601 date or date-time the outlet gives. */
  published?: string;
  /** ISO 8601 time the article entered the corpus (front matter `ingested`, else file mtime). */
  ingestedAt: string;
  /** Body paragraphs, in order, without title and standfirst. */
  paragraphs: string[];
}

/** A social-media post embedded in an article (a tweet with its author line). */
export interface EmbeddedPost {
  platform: string;
  author: string;
  handle?: string;
  date?: string;
}

export interface Passage {
  /** `<articleId>#<paragraph>`: stable across restarts while the article is unchanged. */
  id: string;
  articleId: string;
  /** Title of the article the passage belongs to. */
  title: string;
  /** 0 is the headline (title and standfirst); body paragraphs count from 1. */
  paragraph: number;
  text: string;
  url?: string;
  /** Set when the passage is an embedded post, so answers can say the claim is the post's, not the outlet's. */
  embeddedPost?: EmbeddedPost;
}

export interface RetrievedPassage extends Passage {
  score: number;
}

export interface Retriever {
  /** Best passages for a question, best first. */
  search(query: string, k: number): Promise<RetrievedPassage[]>;
  /** Adds (or replaces, by article id) articles in place; used by ingest without a restart. */
  addArticles(articles: Article[]): Promise<void>;
  articles(): Article[];
  passages(): Passage[];
  /** What words the whole corpus holds: the evidence behind "the story doesn't say". */
  vocabulary?(): Vocabulary;
}

/** The corpus's terms (keys; see lexicon/wordKeys) and how many passages hold each. */
export interface Vocabulary {
  /** Passages holding the key. */
  documentFrequency(key: string): number;
  /** Keys held by some passage that start with `prefix`, at most `limit`. */
  keysWithPrefix(prefix: string, limit: number): string[];
  /** Passages in the corpus. */
  passages: number;
}

/** One checked citation: `quote` is verbatim from the passage `passageId`. */
export interface Citation {
  n: number;
  passageId: string;
  title: string;
  paragraph: number;
  quote: string;
  url?: string;
  embeddedPost?: EmbeddedPost;
}

export type AnswerMode = "llm" | "extractive";

/**
 * What an answer is: the story answers the question ("answered"); it touches the question without
 * answering it, and the closest passage is quoted with that said ("closest"); it lacks what the
 * question is about ("doesnt_say", citing nothing).
 */
export type Outcome = "answered" | "closest" | "doesnt_say";

export interface Turn {
  role: "user" | "assistant";
  content: string;
}

export interface AnswerResult {
  question: string;
  /** The question rewritten to stand alone (equal to `question` without history). */
  standalone: string;
  answer: string;
  citations: Citation[];
  mode: AnswerMode;
  /** Why the answer is extractive, or anything else the reader should know. */
  notice?: string;
  outcome: Outcome;
  passages: RetrievedPassage[];
}

export interface LlmSettings {
  timeoutMs: number;
  maxRetries: number;
  /** Wait before the first retry, doubling after each; a server's retry-after wins. Default 1,000 ms. */
  retryDelayMs?: number;
  /** Token budget of the passages sent with a question (see answer/passagesForModel); default 6,000. */
  passageTokens?: number;
}

/** A daily allowance of model answers per server (see llm/llmBudget.ts). */
export interface LlmBudget {
  /** Takes one model answer from the scope's allowance for today; false when it is used up. */
  take(scope: string): Promise<boolean>;
}
