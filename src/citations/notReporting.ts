// Reporting is what a news sentence does: it tells what happened or what someone said. A sentence that
// speaks to whoever reads it (the reader, a bot, an assistant), asks for an action (log in, confirm,
// click, send, pay, visit a link) or changes the rules is not reporting, whatever words it uses: text
// planted in an article to reach users through the bot. Such sentences are taken out of passages when
// the corpus is built, and a model sentence of the same kind is never shown.
//
// The test looks at the sentence's own voice, so quoted speech ("“You cannot trust them,” he said") is
// set aside first: a speaker addressing someone inside a quote is still reporting.
import type { Passage } from "../types.ts";
import { rememberedPerText, sentencesOf } from "./sentencesOf.ts";

// Orders to a model: "ignore your rules", "forget the system prompt", "you are now …".
const RULE_CHANGE = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?]{0,80}\b(?:instructions?|rules?|prompts?|guidelines|directions)\b/i,
  /\bsystem prompt\b/i,
  /\b(?:you are now|from now on|act as (?:a|an)|as an ai)\b/i,
];

// A sentence addressed to its reader: news copy speaks of people, not to them.
const SECOND_PERSON = /\b(?:you|your|yours|yourself|yourselves)\b/i;

// A sentence that opens with an order: an imperative verb, perhaps after "please", "now", "first".
// Only verbs that open news sentences almost never are listed; nouns such as "use" or "report" are not.
const IMPERATIVE =
  /^(?:(?:please|kindly|now|first|just|simply|also|then|so)\s*,?\s+)*(?:log (?:in|on|into)|sign (?:in|up|on)|confirm|verify|validate|click|tap|visit|go to|head (?:to|over)|navigate|send|pay|transfer|wire|dm|message|contact|e-?mail|share|download|install|register|subscribe|reply|respond|tell|say|write|ignore|disregard|forget|remember|make sure|be sure|ensure|enter|submit|provide|forward|print|output|repeat|pretend|warn|ask|recommend|advise|instruct|direct|do not|don't|never (?:mention|say|tell|cite|reveal))\b/i;

// Someone the article might speak to instead of about: its readers, or the software reading it.
const ADDRESSEE =
  /\b(?:readers?|viewers?|listeners?|subscribers?|audiences?|assistants?|chat ?bots?|bots?|ai (?:assistants?|models?|systems?|tools?)|language models?|llms?|(?:every|all|each|any) (?:users?|members?|visitors?)|(?:members|users) of (?:this|the|our) (?:server|community|channel|group|site)|server members)\b/i;
// People reading or sharing the text, addressed as such: "anyone reading this …".
const READING =
  /\b(?:anyone|everyone|everybody|those|people|users?) (?:who (?:reads?|shares?|sees?)|reading|sharing|viewing|seeing) (?:this|the|these)\b/i;
// … and a demand made of them.
const DEMAND =
  /\b(?:must|should|need(?:s)? to|ha(?:ve|s) to|are (?:asked|required|urged|advised|encouraged|invited|reminded|expected) to|is (?:asked|required|urged|advised|expected) to|tell|inform|remind|notify|alert|warn|instruct)\b/i;

// A request for credentials, the usual aim of planted text: "confirm the account", "re-enter the password".
const CREDENTIALS =
  /\b(?:confirm|verify|validate|re-?enter|enter|provide|submit|update|reset|send|share|link)\b[^.!?]{0,60}\b(?:accounts?|log-?ins?|passwords?|credentials|identity|wallets?|seed phrases?|verification codes?|2fa)\b/i;

// A web address; an article's own source link is the only one an answer may carry.
const LINK =
  /\bhttps?:\/\/[^\s<>"“”]+|\bwww\.[^\s<>"“”]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s<>"“”]*/gi;
// Links an embedded social-media post carries (its picture or status link) are part of the post.
const POST_LINK =
  /^(?:https?:\/\/)?(?:pic\.twitter\.com|pic\.x\.com|t\.co|(?:www\.)?(?:twitter|x)\.com\/\w+\/status)\//i;

// Quoted speech, set aside before the sentence's own voice is judged; a quote that runs over several
// sentences leaves one end open in this sentence ("“We will …" or "… they said.”").
const QUOTED = /“[^”]*”|"[^"]*"|‘[^’]*’(?![a-z])|“[^”]*$|^[^“]*”/g;

export interface ReportingContext {
  /** The article's own source link: the one link a sentence may carry. */
  ownUrl?: string | undefined;
  /**
   * The sentence is someone's own words shown as such (an embedded post): it may speak to "you" and
   * give orders as speech does, but it still may not ask for credentials, change rules or link out.
   */
  speech?: boolean;
}

/** True when a sentence does something other than report: it addresses, instructs or links out. */
export function isNotReporting(sentence: string, context: ReportingContext = {}): boolean {
  if (RULE_CHANGE.some((pattern) => pattern.test(sentence))) return true;
  if (CREDENTIALS.test(sentence)) return true;
  if (foreignLinks(sentence, context.ownUrl).length > 0) return true;
  const voice = sentence.replace(QUOTED, " ").replace(/\s+/g, " ").trim();
  if ((ADDRESSEE.test(voice) || READING.test(voice)) && DEMAND.test(voice)) return true;
  if (context.speech) return false;
  const opening = voice.replace(/^[^\p{L}]+/u, "");
  return IMPERATIVE.test(opening) || SECOND_PERSON.test(voice);
}

// What each test of isNotReporting must find somewhere in a text before it can find it in one of the
// text's sentences: sentencesOf gives stretches of the text that begin and end beside white space, a
// sentence's closing punctuation or the text's own ends, so a pattern found in a sentence is found in
// the text; and a sentence's own voice (quotes set aside) keeps each of its words whole, so a word found
// there is a word of the text. A text in which none of these turns up has no sentence that fails the
// test, and is passed without being split: most passages are plain reporting, and splitting and judging
// every passage sent with a question was most of what the citation checks cost.
const LINK_ANYWHERE = new RegExp(LINK.source, "i");
// Every way LINK matches holds a slash or "www.": looked for first, as it is far quicker.
const SLASH_OR_WWW = /\/|www\./i;
// One word of each way ADDRESSEE, READING and DEMAND can match.
const ADDRESSEE_WORD =
  /\b(?:readers?|viewers?|listeners?|subscribers?|audiences?|assistants?|chatbots?|bots?|ai|language|llms?|users?|members?|visitors?)\b/i;
const READING_WORD = /\b(?:reads?|shares?|sees?|reading|sharing|viewing|seeing)\b/i;
const DEMAND_WORD =
  /\b(?:must|should|needs?|ha(?:ve|s)|are|is|tell|inform|remind|notify|alert|warn|instruct)\b/i;
// The first word of an order as IMPERATIVE reads it (or of the words it lets come first), where a
// sentence's own voice can open: at the start of the text, or after a run of non-letters holding a
// character that can end a sentence or close a quote (anything but spaces, tabs, commas and digits).
const ORDER_OPENING =
  /(?:^|[^A-Za-z \t,0-9])[^A-Za-z]*(?:please|kindly|now|first|just|simply|also|then|so|log|sign|confirm|verify|validate|click|tap|visit|go|head|navigate|send|pay|transfer|wire|dm|message|contact|e-?mail|share|download|install|register|subscribe|reply|respond|tell|say|write|ignore|disregard|forget|remember|make|be|ensure|enter|submit|provide|forward|print|output|repeat|pretend|warn|ask|recommend|advise|instruct|direct|do|don't|never)(?![A-Za-z0-9_])/i;

function mightFlagASentence(text: string, speech: boolean): boolean {
  if (RULE_CHANGE.some((pattern) => pattern.test(text))) return true;
  if (CREDENTIALS.test(text) || (SLASH_OR_WWW.test(text) && LINK_ANYWHERE.test(text))) return true;
  if ((ADDRESSEE_WORD.test(text) || READING_WORD.test(text)) && DEMAND_WORD.test(text)) return true;
  if (speech) return false;
  return ORDER_OPENING.test(text) || SECOND_PERSON.test(text);
}

// Remembered per text: the passages of one question are often those of the last few. Only whether the
// text is speech matters (a link counts whoever's it is).
const mightFlagByText = rememberedPerText(mightFlagASentence, (speech) => (speech ? "speech" : ""), 5_000);

/**
 * False when no sentence of `text` can be one isNotReporting flags in `context`, found without
 * splitting the text; true when one may be (only judging its sentences tells).
 */
export function mayNotReport(text: string, context: ReportingContext = {}): boolean {
  return mightFlagByText(text, context.speech === true);
}

/** Links in `text` that are neither the article's own source nor an embedded post's own link. */
function foreignLinks(text: string, ownUrl: string | undefined): string[] {
  const ownHost = hostOf(ownUrl);
  return (text.match(LINK) ?? []).filter((link) => {
    if (POST_LINK.test(link)) return false;
    return ownHost === undefined || hostOf(/^https?:\/\//i.test(link) ? link : `http://${link}`) !== ownHost;
  });
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./, "").toLowerCase();
  } catch {
    return undefined;
  }
}

/** The context as part of a cache key. */
function contextKey(context: ReportingContext): string {
  return `${context.ownUrl ?? ""}\u0000${context.speech ? "speech" : ""}`;
}

const verdictsByText = rememberedPerText(
  (text: string, context: ReportingContext) =>
    mayNotReport(text, context)
      ? sentencesOf(text).map((s) => isNotReporting(s.text, context))
      : sentencesOf(text).map(() => false),
  contextKey,
  2_000,
);

/**
 * isNotReporting of each of sentencesOf(text), remembered for the texts of recent passages (the
 * prompt's copy, the guard and the quotes all judge the same ones).
 */
export function notReportingSentences(text: string, context: ReportingContext = {}): readonly boolean[] {
  return verdictsByText(text, context);
}

const reportingByText = rememberedPerText(
  (text: string, context: ReportingContext) =>
    text
      .split("\n")
      .map((line) => {
        if (!mayNotReport(line, context)) return line;
        const sentences = sentencesOf(line);
        const planted = notReportingSentences(line, context);
        if (!planted.includes(true)) return line;
        return sentences
          .filter((_, i) => !planted[i])
          .map((s) => s.text)
          .join(" ");
      })
      .filter((line) => line.trim() !== "")
      .join("\n"),
  contextKey,
  20_000,
);

/** `text` with its not-reporting sentences taken out (the rest verbatim, in order, line breaks kept). */
export function reportingText(text: string, context: ReportingContext = {}): string {
  // Every question passes its passages through this: remembered, so each text is judged once.
  return reportingByText(text, context);
}

/** The passages with their not-reporting sentences taken out; passages left empty are dropped. */
export function onlyReporting<P extends Passage>(passages: readonly P[]): P[] {
  return passages.flatMap((p) => {
    const text = reportingText(p.text, { ownUrl: p.url, speech: p.embeddedPost !== undefined });
    if (text === p.text) return [p];
    return text ? [{ ...p, text }] : [];
  });
}
