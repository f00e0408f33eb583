import { DiscordHttpError } from "./discordError.ts";
import type { Limiter } from "./router.ts";

/** A 429 as Discord sends it: JSON `retry_after`, Retry-After and X-RateLimit-* headers (real time, for the client). */
export function rateLimited(
  retryAfterSeconds: number,
  opts: { global?: boolean; scope?: "user" | "shared" | "global"; bucket?: string; limit?: number } = {},
): DiscordHttpError {
  const global = opts.global ?? false;
  const headers: Record<string, string> = {
    "retry-after": String(retryAfterSeconds),
    "x-ratelimit-limit": String(opts.limit ?? 5),
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String((Date.now() + retryAfterSeconds * 1000) / 1000),
    "x-ratelimit-reset-after": String(retryAfterSeconds),
    "x-ratelimit-bucket": opts.bucket ?? "fakebucket0000000000000000000000",
    "x-ratelimit-scope": opts.scope ?? (global ? "global" : "user"),
    ...(global ? { "x-ratelimit-global": "true" } : {}),
  };
  const error = new DiscordHttpError(429, 0, "You are being rate limited.", undefined, headers);
  // Discord's 429 body has no `errors` and carries retry_after and global.
  return Object.assign(error, {
    toJSON: () => ({
      message: "You are being rate limited.",
      retry_after: retryAfterSeconds,
      global,
      code: 0,
    }),
  });
}

/**
 * Discord-like buckets for message edits: `count` edits per `perMs` per interaction token (webhook edits)
 * and per channel (channel message edits). Successful responses carry the bucket headers, so discord.js
 * paces itself as it does against Discord; a request over the limit gets a 429.
 */
export function createEditLimiter(limit: { count: number; perMs: number }): Limiter {
  const windows = new Map<string, { start: number; used: number }>();
  return (request) => {
    if (request.method !== "PATCH") return undefined;
    const parts = request.path.split("/").filter(Boolean);
    let key: string | undefined;
    if (parts[0] === "webhooks" && parts[3] === "messages") key = `webhook:${parts[2]}`;
    else if (parts[0] === "channels" && parts[2] === "messages" && parts.length === 4)
      key = `channel:${parts[1]}`;
    if (!key) return undefined;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now >= window.start + limit.perMs) {
      window = { start: now, used: 0 };
      windows.set(key, window);
    }
    const resetAfter = (window.start + limit.perMs - now) / 1000;
    const bucket = `edits${key.length}${key.slice(-12).replace(/\W/g, "")}`;
    if (window.used >= limit.count)
      return { headers: {}, refuse: rateLimited(resetAfter, { bucket, limit: limit.count }) };
    window.used += 1;
    return {
      headers: {
        "x-ratelimit-limit": String(limit.count),
        "x-ratelimit-remaining": String(limit.count - window.used),
        "x-ratelimit-reset": String((window.start + limit.perMs) / 1000),
        "x-ratelimit-reset-after": String(resetAfter),
        "x-ratelimit-bucket": bucket,
      },
    };
  };
}
