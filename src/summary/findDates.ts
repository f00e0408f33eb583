// Date expressions in news prose, and how each becomes a calendar date. Only what the text says is
// used: a full date as written; a month, a day without a year or a weekday only against a known
// reference date (the article's), and then with a note saying how it was resolved.

export type DateMention =
  | { kind: "day"; index: number; text: string; year?: number; month: number; day: number }
  | {
      kind: "months";
      index: number;
      text: string;
      from: { year?: number; month: number };
      to?: { year?: number; month: number };
    }
  | { kind: "weekday"; index: number; text: string; weekday: number }
  | { kind: "sameDay"; index: number; text: string };

/** The date a text is read against, and where it comes from (shown in every resolution note). */
export interface ReferenceDate {
  /** YYYY-MM-DD */
  date: string;
  /** "the article date 2026-02-03", or "2026-02-03, the latest date the article gives …". */
  label: string;
}

export interface ResolvedDate {
  /** YYYY-MM-DD, YYYY-MM for a month, or the words as given when they cannot be resolved. */
  date: string;
  resolved?: string;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

// Full month names, or the usual abbreviations with their full stop ("Feb.", "Sept."). Case matters:
// "may" and "march" are also verbs.
const MONTH = `(?:${MONTH_NAMES.join("|")}|(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\\.)(?![A-Za-z])`;
const YEAR = `(?:,?\\s+(\\d{4}))?(?!\\d)`;
const PART = `(?:(?:early|mid|late)[\\s-]+)?`;

const MONTH_DAY = new RegExp(`(${MONTH})\\s+(\\d{1,2})(?:st|nd|rd|th)?${YEAR}`, "g");
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH})${YEAR}`, "g");
const ISO_DAY = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const MONTHS = new RegExp(
  `${PART}(${MONTH})${YEAR}(?:\\s+(?:and|to|through|until|[–-])\\s+${PART}(${MONTH})${YEAR})?`,
  "g",
);
// A month alone is a date only after a word that makes it one ("in January", "since March").
const MONTH_CUE = /\b(?:in|since|until|by|from|during|through|last|next|of|between|early|mid|late)[\s-]+$/i;
const WEEKDAY = new RegExp(`\\b(${WEEKDAYS.join("|")})(?![A-Za-z])`, "g");
const SAME_DAY =
  /\b(?:(?:later|earlier)\s+)?(?:that|the)\s+same\s+day\b|\b(?:later|earlier)\s+that\s+day\b/gi;
// Words that put a weekday after the reference date rather than before it.
const FUTURE_CUE =
  /\b(?:will|shall|set to|scheduled|slated|due to|expected|planned|plans to|to be held|upcoming|next|ahead of|is to|are to|going to)\b/i;

function monthOf(name: string): number {
  const prefix = name.slice(0, 3).toLowerCase();
  return MONTH_NAMES.findIndex((m) => m.slice(0, 3).toLowerCase() === prefix) + 1;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function optionalYear(text: string | undefined): { year?: number } {
  return text ? { year: Number(text) } : {};
}

/** Every date expression of a sentence, in order of appearance, overlapping ones dropped. */
export function findDateMentions(sentence: string): DateMention[] {
  const found: (DateMention & { end: number })[] = [];
  const taken = (start: number, end: number) => found.some((m) => start < m.end && end > m.index);
  const add = (mention: DateMention, length: number) => {
    if (!taken(mention.index, mention.index + length))
      found.push({ ...mention, end: mention.index + length });
  };

  for (const m of sentence.matchAll(ISO_DAY)) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)) {
      add({ kind: "day", index: m.index, text: m[0], year, month, day }, m[0].length);
    }
  }
  for (const pattern of [MONTH_DAY, DAY_MONTH]) {
    for (const m of sentence.matchAll(pattern)) {
      const dayFirst = pattern === DAY_MONTH;
      const month = monthOf((dayFirst ? m[2] : m[1]) ?? "");
      const day = Number(dayFirst ? m[1] : m[2]);
      const year = optionalYear(m[3]);
      if (day < 1 || day > daysIn(year.year ?? 2000, month)) continue;
      add({ kind: "day", index: m.index, text: m[0], month, day, ...year }, m[0].length);
    }
  }
  for (const m of sentence.matchAll(MONTHS)) {
    const qualified = /^(?:early|mid|late)/.test(m[0]);
    if (!qualified && !m[2] && !MONTH_CUE.test(sentence.slice(0, m.index))) continue;
    const from = { month: monthOf(m[1] ?? ""), ...optionalYear(m[2]) };
    const to = m[3] ? { month: monthOf(m[3]), ...optionalYear(m[4]) } : undefined;
    add({ kind: "months", index: m.index, text: m[0], from, ...(to && { to }) }, m[0].length);
  }
  for (const m of sentence.matchAll(WEEKDAY)) {
    if (/^s\b/.test(sentence.slice(m.index + m[0].length))) continue; // "Tuesdays": a habit, not a day
    add({ kind: "weekday", index: m.index, text: m[0], weekday: WEEKDAYS.indexOf(m[1] ?? "") }, m[0].length);
  }
  for (const m of sentence.matchAll(SAME_DAY))
    add({ kind: "sameDay", index: m.index, text: m[0] }, m[0].length);

  return found.sort((a, b) => a.index - b.index).map(({ end: _end, ...mention }) => mention as DateMention);
}

/** The latest full date (with its year) written in a text, as YYYY-MM-DD. */
export function latestFullDate(texts: readonly string[]): string | undefined {
  let latest: string | undefined;
  for (const text of texts) {
    for (const m of findDateMentions(text)) {
      if (m.kind !== "day" || m.year === undefined) continue;
      const iso = isoDay(m.year, m.month, m.day);
      if (!latest || iso > latest) latest = iso;
    }
  }
  return latest;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

export function isoDay(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

function isoMonth(year: number, month: number): string {
  return `${year}-${pad(month)}`;
}

function parts(date: string): { year: number; month: number; day: number } {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  return { year, month, day };
}

/** The year that puts `month` nearest to the reference month (earlier on a tie). */
function nearestYear(month: number, reference: string): number {
  const ref = parts(reference);
  const candidates = [ref.year - 1, ref.year, ref.year + 1];
  const distance = (year: number) => Math.abs(year * 12 + month - (ref.year * 12 + ref.month));
  return candidates.reduce((best, year) => (distance(year) < distance(best) ? year : best));
}

/**
 * Resolves one mention. `context` is the clause before the mention (it decides whether a weekday
 * lies ahead of the reference date); `previous` is the date of the event just before it, for
 * "that same day". Undefined when the mention gives no date at all.
 */
export function resolveMention(
  mention: DateMention,
  reference: ReferenceDate | undefined,
  context: string,
  previous: ResolvedDate | undefined,
): ResolvedDate | undefined {
  switch (mention.kind) {
    case "day": {
      if (mention.year !== undefined) return { date: isoDay(mention.year, mention.month, mention.day) };
      if (!reference) return { date: mention.text };
      const year = nearestYear(mention.month, reference.date);
      return {
        date: isoDay(year, mention.month, mention.day),
        resolved: `${mention.text} taken as ${year}, the year nearest ${reference.label}`,
      };
    }
    case "months": {
      const { from, to } = mention;
      if (from.year !== undefined && (!to || to.year !== undefined))
        return { date: isoMonth(from.year, from.month) };
      if (!reference) return { date: mention.text };
      const fromYear = from.year ?? nearestYear(from.month, reference.date);
      const toYear = to ? (to.year ?? (to.month >= from.month ? fromYear : fromYear + 1)) : fromYear;
      const span = to
        ? `${MONTH_NAMES[from.month - 1]} ${fromYear} to ${MONTH_NAMES[to.month - 1]} ${toYear}`
        : `${MONTH_NAMES[from.month - 1]} ${fromYear}`;
      return {
        date: isoMonth(fromYear, from.month),
        resolved: `“${mention.text}” taken as ${span}, the month${to ? "s" : ""} nearest ${reference.label}`,
      };
    }
    case "weekday": {
      if (!reference) return { date: mention.text };
      const ref = parts(reference.date);
      const refDay = new Date(Date.UTC(ref.year, ref.month - 1, ref.day));
      const ahead = FUTURE_CUE.test(context);
      const shift = ahead
        ? (mention.weekday - refDay.getUTCDay() + 7) % 7
        : -((refDay.getUTCDay() - mention.weekday + 7) % 7);
      refDay.setUTCDate(refDay.getUTCDate() + shift);
      const date = refDay.toISOString().slice(0, 10);
      const how = shift === 0 ? "the same day as" : ahead ? "the first after" : "the last before";
      return {
        date,
        resolved: `${mention.text} resolved against ${reference.label}: ${how} it${ahead && shift !== 0 ? " (the text speaks of it as ahead)" : ""}`,
      };
    }
    case "sameDay":
      if (!previous) return undefined;
      return {
        date: previous.date,
        resolved: `“${mention.text}” read as the day of the event before it (${previous.date})`,
      };
  }
}
