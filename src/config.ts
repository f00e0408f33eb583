// The one module that reads process.env. Every variable is validated here once; a bad value
// stops start-up with one clear line per variable.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const snowflake = z.string().regex(/^\d{17,20}$/, "must be a Discord id (17-20 digits)");

const idList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const ids = (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const id of ids) {
      if (!snowflake.safeParse(id).success) {
        ctx.addIssue({ code: "custom", message: `"${id}" is not a Discord id (17-20 digits)` });
      }
    }
    return ids;
  });

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour)");

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/Berlin");

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const urlList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const urls = (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const u of urls) {
      if (!url.safeParse(u).success)
        ctx.addIssue({ code: "custom", message: `"${u}" is not an http(s) URL` });
    }
    return urls;
  });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_GUILD_ID: optionalText.pipe(snowflake.optional()),
  DISCORD_API_URL: optionalText.pipe(url.optional()),
  ASK_CHANNEL_IDS: idList,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(url.optional()),
  OPENAI_API: z.enum(["responses", "chat"], { error: "must be responses or chat" }).default("responses"),
  OPENAI_MODEL: optionalText.transform((v) => v ?? "gpt-5-mini"),
  OPENAI_EMBEDDING_MODEL: optionalText,
  LLM_TIMEOUT_MS: positiveInt(30_000),
  LLM_DAILY_BUDGET: z.coerce.number().int().min(0).default(500),
  HISTORY_RETENTION_DAYS: positiveInt(30),
  HISTORY_MAX_TURNS: positiveInt(50),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  DATA_DIR: optionalText.transform((v) => path.resolve(v ?? "data")),
  SUMMARY_CHANNEL_ID: optionalText.pipe(snowflake.optional()),
  SUMMARY_TIME: optionalText.transform((v) => v ?? "09:00").pipe(timeOfDay),
  SUMMARY_TIMEZONE: optionalText.transform((v) => v ?? "UTC").pipe(timeZone),
  RATE_LIMIT_PER_MINUTE: positiveInt(5),
  FEED_URLS: urlList,
  FEED_POLL_MINUTES: positiveInt(30),
  INGEST_ALLOW_LOOPBACK: z.stringbool({ error: "must be true or false" }).default(false),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.problems = problems;
  }
}

/** Validates an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError([...new Set(problems)]);
}

/** Reads `.env` (when present) into process.env without overriding what is set, then validates. */
export function loadConfig(envFile = ".env"): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
