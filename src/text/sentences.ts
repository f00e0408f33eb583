// Sentence splitting for quotes and extractive answers. Intl.Segmenter does the work; it breaks
// after abbreviations such as "U.S." or "Lt.-Gen.", so those breaks are joined back.
export interface Sentence {
  text: string;
  /** Offset of the sentence's first character in the source text. */
  start: number;
}

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

// Words that end with a period but rarely end a sentence in news copy.
const ABBREVIATION =
  /(?:^|[\s(“"'])(?:[A-Z]\.){1,3}$|(?:^|[\s(“"'])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Rev|St|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z][a-z]?\.-[A-Z][a-z]+)\.$/;

// "2:13 p.m. Eastern Standard Time", "9:08 p.m. Houston time", "5 a.m. EDT": the clock time's zone
// follows it in the same sentence.
const CLOCK_TIME_END = /\d\s?[ap]\.m\.$/i;
const TIME_ZONE_START = /^(?:[A-Z]{2,4}\b|\(|(?:[A-Z][a-z]+\s+){0,3}[Tt]ime\b|local time\b)/;

function timeGoesOn(previous: string, next: string): boolean {
  return CLOCK_TIME_END.test(previous.trimEnd()) && TIME_ZONE_START.test(next);
}

/** Splits text into sentences with their offsets; whitespace around each sentence is trimmed. */
export function splitSentences(text: string): Sentence[] {
  const raw: Sentence[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    const previous = raw.at(-1);
    if (previous && (ABBREVIATION.test(previous.text.trimEnd()) || timeGoesOn(previous.text, segment))) {
      previous.text += segment;
    } else {
      raw.push({ text: segment, start: index });
    }
  }
  const sentences: Sentence[] = [];
  for (const s of raw) {
    const lead = s.text.length - s.text.trimStart().length;
    const trimmed = s.text.trim();
    if (trimmed) sentences.push({ text: trimmed, start: s.start + lead });
  }
  return sentences;
}
