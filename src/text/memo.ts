// A bounded cache for pure functions that run on every question (stemming, a passage's terms): work
// done once per distinct input instead of once per answer. When full it starts over, which keeps
// memory bounded without the bookkeeping of an LRU.

/** `compute`, remembered by the string `keyOf` gives for each input. */
export function memo<In, Out>(
  compute: (input: In) => Out,
  keyOf: (input: In) => string,
  max = 20_000,
): (input: In) => Out {
  const cache = new Map<string, Out>();
  return (input) => {
    const key = keyOf(input);
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= max) cache.clear();
      value = compute(input);
      cache.set(key, value);
    }
    return value;
  };
}
