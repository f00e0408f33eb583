// Splits text at Discord's message limit without ever cutting inside a citation marker ("[12]") or a
// line (source lines are short lines, so they always travel whole).

/** Discord's limit for a message's content. */
export const MESSAGE_LIMIT = 2000;

// Coarsest boundary first: paragraph, line, sentence end, any space. Each pattern matches the
// separator; the cut goes after it.
const BOUNDARIES = [/\n\s*\n/g, /\n/g, /(?<=[.!?…"”)\]])[ \t]+/g, /[ \t]+/g];

/** Splits `text` into chunks of at most `max` characters, at the most natural boundary available. */
export function splitMessage(text: string, max = MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk) chunks.push(chunk);
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/** Where to cut `text` so that the first part (trimmed) fits in `max`. */
function cutPoint(text: string, max: number): number {
  // A boundary in the first half would make a needlessly short message: prefer a finer one further on.
  const fallbacks: number[] = [];
  for (const pattern of BOUNDARIES) {
    const cut = lastBoundary(text, max, pattern);
    if (cut === undefined) continue;
    if (cut >= max / 2) return cut;
    fallbacks.push(cut);
  }
  if (fallbacks.length > 0) return Math.max(...fallbacks);
  return hardCut(text, max);
}

/** End of the last separator matching `pattern` whose text before it fits in `max`. */
function lastBoundary(text: string, max: number, pattern: RegExp): number | undefined {
  let best: number | undefined;
  for (const match of text.slice(0, max + 1).matchAll(pattern)) {
    if (match.index === 0) continue;
    if (match.index > max) break;
    if (insideMarker(text, match.index)) continue;
    best = match.index + match[0].length;
  }
  return best;
}

/** No boundary at all (one enormous word): cut at `max`, moved back out of any citation marker. */
function hardCut(text: string, max: number): number {
  let cut = max;
  while (cut > 1 && insideMarker(text, cut)) cut--;
  // Never split a UTF-16 surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}

/** True when position `i` falls inside "[digits...]" (between its "[" and its "]"). */
function insideMarker(text: string, i: number): boolean {
  const open = /\[[\d\s,;]*$/.exec(text.slice(Math.max(0, i - 16), i));
  if (!open) return false;
  return /^[\d\s,;]*\]/.test(text.slice(i, i + 16));
}
