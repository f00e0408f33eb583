// Who wrote an article, for whom, and where and when it was filed, when its file has no such fields:
// news copy names its writers in a line of its own, first or last ("By Jane Doe, Reuters"; "Jane Doe
// is a reporter for …"; "The X Staff is a team of journalists in …"), and opens with a dateline
// ("BALTIMORE, March 26 -"). Only such lines count; anything else leaves the detail unknown.

export interface Credits {
  byline?: string;
  /** The outlet a "By Name, Outlet" line names. */
  source?: string;
  /** "Baltimore, March 26": where and when the story was filed, from its dateline. */
  dateline?: string;
}

const MAX_LINE = 200;
const NAME = String.raw`\p{Lu}[\p{L}\p{M}.'’-]*`;
const NAMES = String.raw`${NAME}(?:\s+(?:${NAME}|and|&|de|van|von|der|al|bin|da|di|le|la))*`;
const BY_LINE = new RegExp(String.raw`^[Bb]y\s+(${NAMES})\s*(?:[,|·—–-]\s*(${NAMES})\s*\.?)?\s*$`, "u");
const BY_LEAD = new RegExp(String.raw`^[Bb]y\s+(${NAMES})\s*(?:[,|·—–-]|$)`, "u");
const ROLE =
  "journalists?|reporters?|correspondents?|writers?|editors?|columnists?|contributors?|staffers?|freelancers?";
const ABOUT_LINE = new RegExp(
  String.raw`^(\p{Lu}.{1,80}?)\s+(?:is|are)\s+(?:a|an|the|our)\s+(?:[\p{L}-]+\s+){0,4}?(?:${ROLE})\b`,
  "u",
);
const MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
const DATELINE = new RegExp(
  String.raw`^(\p{Lu}[\p{Lu}\p{M} .'’-]{2,40}),\s+((?:${MONTH})[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?)\s*(?:\([^)]{1,30}\)\s*)?[-–—]\s`,
  "u",
);

/** What the first and last paragraphs tell of the article's writers and filing. */
export function findCredits(paragraphs: readonly string[]): Credits {
  const credits: Credits = {};
  const first = paragraphs[0]?.trim();
  const last = paragraphs.length > 1 ? paragraphs.at(-1)?.trim() : undefined;
  for (const line of [first, last]) {
    if (line === undefined || line.length > MAX_LINE || credits.byline) continue;
    const whole = BY_LINE.exec(line);
    const lead = whole ?? BY_LEAD.exec(line);
    if (lead?.[1]) credits.byline = lead[1].trim();
    if (whole?.[2]) credits.source = whole[2].trim();
  }
  if (!credits.byline && last !== undefined && last.length <= MAX_LINE) {
    const about = ABOUT_LINE.exec(last);
    if (about?.[1]) credits.byline = about[1].trim();
  }
  const dateline = first === undefined ? null : DATELINE.exec(first);
  if (dateline?.[1] && dateline[2]) credits.dateline = `${titleCase(dateline[1].trim())}, ${dateline[2]}`;
  return credits;
}

/** "BALTIMORE" → "Baltimore", "NEW YORK" → "New York". */
function titleCase(place: string): string {
  return place
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}
