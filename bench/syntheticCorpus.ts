// A synthetic news corpus for the benchmark, the same for the same seed: articles with a cast of
// people, places and organisations, paragraphs of news-like sentences, and questions whose answer is
// in a known paragraph, so that retrieval has real work at any corpus size.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Article } from "../src/types.ts";

export interface SyntheticStory {
  articles: Article[];
  /** Questions about facts stated in the articles, spread over them. */
  questions: string[];
}

// Proper names come from syllables, so a large corpus has a long tail of people, places and
// organisations as real news does, instead of the same few words in every article.
const SYLLABLES = [
  "ka",
  "ri",
  "mo",
  "sa",
  "len",
  "dar",
  "vi",
  "to",
  "na",
  "bel",
  "or",
  "un",
  "ha",
  "zen",
  "li",
  "pe",
  "ros",
  "ta",
  "mir",
  "go",
  "an",
  "el",
  "fa",
  "do",
  "ki",
  "lu",
  "ser",
  "ya",
  "bo",
  "nis",
  "ca",
  "tor",
  "me",
  "ja",
  "ul",
  "quo",
];
const ROLES = [
  "Foreign Minister",
  "Defense Minister",
  "Prime Minister",
  "Special Envoy",
  "spokesperson",
  "Air Force Commander",
  "Finance Minister",
  "opposition leader",
  "Ambassador",
  "Interior Minister",
  "army chief",
  "mayor",
  "governor",
  "central bank governor",
  "negotiator",
  "trade commissioner",
  "police chief",
  "health minister",
];
const ORG_KINDS = [
  "Authority",
  "Council",
  "Commission",
  "Agency",
  "Institute",
  "Front",
  "Alliance",
  "Ministry",
];
const TOPIC_ADJ = [
  "nuclear",
  "naval",
  "fiscal",
  "border",
  "grain",
  "energy",
  "maritime",
  "electoral",
  "military",
  "refugee",
  "banking",
  "water",
  "fuel",
  "mining",
  "rail",
  "telecom",
  "security",
  "customs",
  "fishing",
  "aviation",
];
const TOPIC_NOUN = [
  "talks",
  "ceasefire",
  "sanctions",
  "pipeline",
  "strike",
  "election",
  "budget",
  "exchange",
  "deal",
  "shipments",
  "exercise",
  "crisis",
  "dispute",
  "output",
  "outage",
  "rollout",
  "subsidies",
  "plan",
  "test",
  "reform",
];
const SAY = ["said", "warned", "told reporters", "insisted", "confirmed", "announced", "argued", "stressed"];
const OUTCOMES = [
  "could not be relied upon",
  "would resume within days",
  "was close to collapse",
  "had been postponed",
  "would be signed next week",
  "was moving in the right direction",
  "needed outside guarantees",
  "would be reviewed by parliament",
  "remained the only option",
  "had been agreed in principle",
];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const ADJ = ["tense", "positive", "productive", "difficult", "lengthy", "brief", "frank", "constructive"];
const EVENTS = [
  "an explosion near the harbour",
  "a protest outside parliament",
  "a cyberattack on the grid",
  "heavy flooding",
  "a collision at sea",
  "a fire at a refinery",
  "clashes at the border crossing",
  "a strike by dock workers",
];

export type Random = () => number;

/** mulberry32: a small, fast PRNG; the same seed gives the same sequence on every machine. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

interface Person {
  name: string;
  role: string;
}

/** Pools drawn once per corpus: few common words, a long tail of rare ones. */
interface Vocabulary {
  first: string[];
  last: string[];
  places: string[];
  orgs: string[];
  topics: string[];
  /** Lower-case words drawn by rank (Zipf), for the texture of background sentences. */
  common: (random: Random) => string;
}

function coined(random: Random, syllables: number): string {
  return Array.from({ length: syllables }, () => pick(random, SYLLABLES)).join("");
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function vocabulary(random: Random): Vocabulary {
  const names = (count: number, low: number, high: number) =>
    Array.from({ length: count }, () => capital(coined(random, between(random, low, high))));
  const words = Array.from({ length: 8_000 }, () => coined(random, between(random, 2, 4)));
  // Cumulative Zipf weights (rank r has weight 1/r), searched by bisection.
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) cumulative.push((total += 1 / r));
  return {
    first: names(300, 2, 2),
    last: names(5_000, 2, 3),
    places: names(1_500, 2, 3),
    orgs: Array.from({ length: 400 }, () => `the ${capital(coined(random, 2))} ${pick(random, ORG_KINDS)}`),
    topics: Array.from({ length: 400 }, () => `${pick(random, TOPIC_ADJ)} ${pick(random, TOPIC_NOUN)}`),
    common(r) {
      const target = r() * total;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const mid = (low + high) >> 1;
        if ((cumulative[mid] as number) < target) low = mid + 1;
        else high = mid;
      }
      return words[low] as string;
    },
  };
}

interface Cast {
  people: Person[];
  places: string[];
  org: string;
  topic: string;
}

/** One sentence and, when it states a checkable fact, the question it answers. */
interface Sentence {
  text: string;
  question?: string;
}

function sentence(random: Random, cast: Cast, words: Vocabulary): Sentence {
  const who = pick(random, cast.people);
  const other = pick(random, cast.people);
  const place = pick(random, cast.places);
  const day = pick(random, DAYS);
  switch (between(random, 0, 6)) {
    case 0:
      return {
        text: `${who.role} ${who.name} ${pick(random, SAY)} on ${day} that the ${cast.topic} ${pick(random, OUTCOMES)}.`,
        question: `What did ${who.name} say about the ${cast.topic}?`,
      };
    case 1: {
      const hours = between(random, 2, 9);
      return {
        text: `The meeting between ${who.name} and ${other.name} in ${place} lasted over ${hours} hours and was described as ${pick(random, ADJ)}.`,
        question: `How long did ${who.name} and ${other.name} meet in ${place}?`,
      };
    }
    case 2: {
      const people = between(random, 3, 240);
      const event = pick(random, EVENTS);
      return {
        text: `At least ${people} people were hurt in ${place} after ${event}, according to ${cast.org}.`,
        question: `How many people were hurt after ${event} in ${place}?`,
      };
    }
    case 3:
      return {
        text: `${cast.org.replace(/^the /, "The ")} said the ${cast.topic} would be discussed again in ${place} on ${day}, officials familiar with the plan said.`,
        question: `Where will the ${cast.topic} be discussed again?`,
      };
    case 4:
      return {
        text: `"We have made our position clear," ${who.name} told ${other.name}, adding that ${cast.org} had been informed.`,
      };
    case 5:
      return {
        text: `Analysts in ${place} said the ${cast.topic} could shift the ${words.common(random)} ${words.common(random)} in the region, though ${words.common(random)} markets reacted calmly.`,
      };
    default:
      return {
        text: `The ${who.role.toLowerCase()} is expected to travel to ${place} later this week to meet ${other.role.toLowerCase()} ${other.name}.`,
        question: `Where is ${who.name} expected to travel?`,
      };
  }
}

function castFor(random: Random, words: Vocabulary): Cast {
  const people = Array.from({ length: between(random, 2, 4) }, () => ({
    name: `${pick(random, words.first)} ${pick(random, words.last)}`,
    role: pick(random, ROLES),
  }));
  return {
    people,
    places: Array.from({ length: between(random, 1, 3) }, () => pick(random, words.places)),
    org: pick(random, words.orgs),
    topic: pick(random, words.topics),
  };
}

/** `count` articles of about 600 words (10–16 paragraphs) and about two questions per article. */
export function syntheticStory(count: number, seed: number): SyntheticStory {
  const random = createRandom(seed);
  const words = vocabulary(random);
  const articles: Article[] = [];
  const questions: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let a = 0; a < count; a++) {
    const cast = castFor(random, words);
    const lead = cast.people[0] as Person;
    const id = `synthetic-${String(a + 1).padStart(5, "0")}`;
    const paragraphs: string[] = [];
    const facts: string[] = [];
    const paragraphCount = between(random, 10, 16);
    for (let p = 0; p < paragraphCount; p++) {
      const sentences = Array.from({ length: between(random, 2, 3) }, () => sentence(random, cast, words));
      paragraphs.push(sentences.map((s) => s.text).join(" "));
      for (const s of sentences) if (s.question) facts.push(s.question);
    }
    const published = new Date(start + a * 3_600_000).toISOString();
    articles.push({
      id,
      title: `${lead.name} warns over ${cast.topic} as talks in ${cast.places[0]} stall`,
      standfirst: `${lead.role} says ${cast.org} must act on the ${cast.topic}.`,
      url: `https://news.example/${id}`,
      source: "Synthetic Wire",
      published,
      ingestedAt: published,
      paragraphs,
    });
    for (let q = 0; q < 2 && facts.length > 0; q++) questions.push(pick(random, facts));
  }
  return { articles, questions };
}

/** Writes articles in the corpus's plain-text format (title, standfirst, one paragraph a line). */
export async function writeCorpus(dir: string, articles: readonly Article[]): Promise<void> {
  await Promise.all(
    articles.map((article) =>
      writeFile(
        path.join(dir, `${article.id}.txt`),
        [article.title, article.standfirst ?? "", ...article.paragraphs].join("\n") + "\n",
      ),
    ),
  );
}
