// Per-user sliding-window rate limit, in memory (one process owns the bot). The clock is injected so
// tests control time.

const WINDOW_MS = 60_000;
/** Above this many tracked users, idle ones are swept so the map stays small. */
const SWEEP_AT = 1_000;

export interface RateLimiter {
  /** Records a question by `userId` and returns 0, or, when over the limit, the ms until one is allowed (nothing recorded). */
  take(userId: string): number;
  /**
   * True at most once per window per user: whether a refused channel question gets a public notice.
   * A flood of mentions then costs the channel one notice, not one message per mention (which would
   * also spend the channel's Discord rate limit for everyone).
   */
  noticeDue(userId: string): boolean;
}

export function createRateLimiter(perMinute: number, now: () => number): RateLimiter {
  const hits = new Map<string, number[]>();
  /** userId → when the last public notice went out. */
  const noticed = new Map<string, number>();

  function recent(userId: string, at: number): number[] {
    return (hits.get(userId) ?? []).filter((t) => t > at - WINDOW_MS);
  }

  return {
    take(userId) {
      const at = now();
      if (hits.size > SWEEP_AT) {
        for (const [id, times] of hits) {
          if (times.every((t) => t <= at - WINDOW_MS)) hits.delete(id);
        }
        for (const [id, t] of noticed) if (t <= at - WINDOW_MS) noticed.delete(id);
      }
      const times = recent(userId, at);
      if (times.length >= perMinute) {
        hits.set(userId, times);
        const oldest = times[times.length - perMinute] ?? at;
        return Math.max(1, oldest + WINDOW_MS - at);
      }
      times.push(at);
      hits.set(userId, times);
      return 0;
    },

    noticeDue(userId) {
      const at = now();
      const last = noticed.get(userId);
      if (last !== undefined && last > at - WINDOW_MS) return false;
      noticed.set(userId, at);
      return true;
    },
  };
}

/** The line a rate-limited user sees. */
export function rateLimitMessage(waitMs: number): string {
  return `You're asking quickly — try again in ${Math.ceil(waitMs / 1000)} s.`;
}
