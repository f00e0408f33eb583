const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Real-looking snowflakes (19 digits today): timestamp since the Discord epoch in the high bits, so ids
 * sort by creation like Discord's, and an increment so ids made in the same millisecond differ.
 */
export function createSnowflakes(clock: () => number): () => string {
  let lastMs = 0n;
  let increment = 0n;
  return () => {
    let ms = BigInt(Math.floor(clock()));
    if (ms <= lastMs) {
      ms = lastMs;
      increment += 1n;
      if (increment > 4095n) {
        ms += 1n;
        increment = 0n;
      }
    } else {
      increment = 0n;
    }
    lastMs = ms;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
  };
}
