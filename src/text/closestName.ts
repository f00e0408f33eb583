// "Did you mean …?" for names typed by hand (configuration variables, commands).

/**
 * The likely intended candidate: the shortest one holding every word of `name` (OPENAI_KEY →
 * OPENAI_API_KEY), else the nearest by edit distance when it is close enough to be a typo.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const words = name.split("_").filter(Boolean);
  const holding = candidates
    .filter((candidate) => words.every((word) => candidate.split("_").includes(word)))
    .sort((a, b) => a.length - b.length);
  if (holding[0]) return holding[0];
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  // Close means a third of the name may differ: OPENAI_KEY → OPENAI_API_KEY, not → DATA_DIR.
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
