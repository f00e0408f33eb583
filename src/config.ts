// The one module that reads process.env. Every variable is validated here once; a bad value
// stops start-up with one clear line per variable. A blank value means unset, for every variable:
// `.env.example` lists them all with empty values, and copying it must change nothing.
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import { fromProjectRoot } from "./projectRoot.ts";
import { closestName } from "./text/closestName.ts";

const snowflake = z.string().regex(/^\d{17,20}$/, "must be a Discord id (17-20 digits)");

const commaList = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const idList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const ids = commaList(v);
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
    const urls = commaList(v);
    for (const u of urls) {
      if (!url.safeParse(u).success)
        ctx.addIssue({ code: "custom", message: `"${u}" is not an http(s) URL` });
    }
    return urls;
  });

const wholeNumber = z.coerce.number({ error: "must be a whole number" }).int("must be a whole number");
const positiveInt = (fallback: number) => wholeNumber.positive("must be at least 1").default(fallback);

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" });

const shardIds = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const ids = commaList(v);
    for (const id of ids) {
      if (!/^\d+$/.test(id))
        ctx.addIssue({ code: "custom", message: `"${id}" is not a shard id (0, 1, 2, …)` });
    }
    return [...new Set(ids.map(Number))];
  });

const envSchema = z.object({
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: url.optional(),
  ASK_CHANNEL_IDS: idList,
  RATE_LIMIT_PER_MINUTE: positiveInt(5),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_API: z.enum(["responses", "chat"], { error: "must be responses or chat" }).default("responses"),
  OPENAI_MODEL: z.string().default("gpt-5-mini"),
  OPENAI_EMBEDDING_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: positiveInt(30_000),
  LLM_PASSAGE_TOKENS: positiveInt(6_000),
  LLM_MAX_RETRIES: wholeNumber.min(0).max(10, "must be 10 or less").default(2),
  LLM_DAILY_BUDGET: wholeNumber.min(0, "must be 0 (no limit) or more").default(500),
  HISTORY_RETENTION_DAYS: positiveInt(30),
  HISTORY_MAX_TURNS: positiveInt(50),
  DATA_DIR: z.string().default("data").transform(fromProjectRoot),
  SUMMARY_CHANNEL_ID: snowflake.optional(),
  SUMMARY_TIME: timeOfDay.default("09:00"),
  SUMMARY_TIMEZONE: timeZone.default("UTC"),
  DATABASE_URL: postgresUrl.optional(),
  // Splitting the gateway shards across machines (`start --shards`): how many in all, and which here.
  SHARD_COUNT: wholeNumber.positive("must be at least 1").optional(),
  SHARD_IDS: shardIds,
  FEED_URLS: urlList,
  FEED_POLL_MINUTES: positiveInt(30),
  INGEST_ALLOW_LOOPBACK: z.stringbool({ error: "must be true or false" }).default(false),
  // Unset: `storybot start` logs at info, one-off commands at warn (their output is the answer).
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  // Unset: pretty on a terminal, JSON otherwise (a service's journal, a pipe, a file).
  LOG_FORMAT: z.enum(["pretty", "json"], { error: "must be pretty or json" }).optional(),
  // Read before everything else (see readEnvironment); listed so it is validated and documented.
  STORYBOT_ENV_FILE: z.string().default(".env").transform(fromProjectRoot),
});

export type Config = z.infer<typeof envSchema>;

/** Every variable the configuration reads, in the order of the schema. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export class ConfigError extends Error {
  override name = "ConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.problems = problems;
  }
}

/** The environment without blank values: an empty or all-space value means unset. */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const trimmed = value?.trim();
    if (trimmed) kept[name] = trimmed;
  }
  return kept;
}

/** Validates an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(withoutBlanks(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError([...new Set(problems)]);
}

/**
 * The process environment with the env file (STORYBOT_ENV_FILE, default the project's `.env`)
 * filled in underneath: a variable set (and not blank) in the environment wins over the file.
 */
export function readEnvironment(
  env: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  const file = fromProjectRoot(env.STORYBOT_ENV_FILE?.trim() || ".env");
  if (!existsSync(file)) return { ...env };
  let fromFile: Record<string, string | undefined>;
  try {
    fromFile = parseEnv(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError([`STORYBOT_ENV_FILE: cannot read ${file}: ${(error as Error).message}`]);
  }
  const merged = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value?.trim()) merged[name] = value;
  return merged;
}

/** Reads the environment and the env file, then validates. */
export function loadConfig(): Config {
  return parseConfig(readEnvironment());
}

// Prefixes of storybot's own variables: a name with one of them that the schema does not know is
// almost always a typo (OPENAI_KEY, DISCORD_GUILD), which would otherwise be silently ignored.
const OWN_PREFIXES = ["STORYBOT_", "OPENAI_", "DISCORD_", "LLM_", "HISTORY_", "SUMMARY_"];

/** One line per set variable that looks like storybot's but is not, with the likely intended name. */
export function unknownVariables(env: Record<string, string | undefined>): string[] {
  const known = new Set(CONFIG_VARIABLES);
  return Object.keys(withoutBlanks(env))
    .filter((name) => OWN_PREFIXES.some((prefix) => name.startsWith(prefix)) && !known.has(name))
    .sort()
    .map((name) => {
      const guess = closestName(name, CONFIG_VARIABLES);
      return `${name} is not a storybot variable${guess ? ` (did you mean ${guess}?)` : ""}; it is ignored`;
    });
}
