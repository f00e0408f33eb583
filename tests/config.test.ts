import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CONFIG_VARIABLES,
  ConfigError,
  parseConfig,
  readEnvironment,
  unknownVariables,
} from "../src/config.ts";
import { PROJECT_ROOT } from "../src/projectRoot.ts";
import { useTempStores } from "./testHelpers.ts";

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig({});
    expect(config.OPENAI_API).toBe("responses");
    expect(config.SUMMARY_TIME).toBe("09:00");
    expect(config.SUMMARY_TIMEZONE).toBe("UTC");
    // Unset: the CLI picks info for the bot and warn for one-off commands.
    expect(config.LOG_LEVEL).toBeUndefined();
    expect(config.ASK_CHANNEL_IDS).toEqual([]);
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.DATA_DIR.endsWith("data")).toBe(true);
    expect(config.LLM_PASSAGE_TOKENS).toBe(6_000);
  });

  it("reads lists and treats empty strings as unset", () => {
    const config = parseConfig({
      ASK_CHANNEL_IDS: "123456789012345678, 223456789012345678",
      OPENAI_API_KEY: "",
    });
    expect(config.ASK_CHANNEL_IDS).toEqual(["123456789012345678", "223456789012345678"]);
    expect(config.OPENAI_API_KEY).toBeUndefined();
  });

  it("names every bad variable on its own line", () => {
    let error: unknown;
    try {
      parseConfig({
        OPENAI_API: "soap",
        SUMMARY_TIME: "25:00",
        SUMMARY_TIMEZONE: "Mars/Olympus",
        ASK_CHANNEL_IDS: "abc",
        LLM_PASSAGE_TOKENS: "lots",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).problems;
    expect(lines.some((l) => l.startsWith("OPENAI_API:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("SUMMARY_TIME:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("SUMMARY_TIMEZONE:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("ASK_CHANNEL_IDS:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("LLM_PASSAGE_TOKENS:"))).toBe(true);
  });
});

describe("blank values", () => {
  it("mean unset for every variable", () => {
    const defaults = parseConfig({});
    for (const name of CONFIG_VARIABLES) {
      for (const blank of ["", "  ", "\t"]) {
        expect(parseConfig({ [name]: blank }), `${name}=${JSON.stringify(blank)}`).toEqual(defaults);
      }
    }
  });

  it("keep the documented defaults of numbers instead of becoming 0", () => {
    const config = parseConfig({ LLM_DAILY_BUDGET: "", LLM_TIMEOUT_MS: " ", HISTORY_MAX_TURNS: "" });
    expect(config.LLM_DAILY_BUDGET).toBe(500);
    expect(config.LLM_TIMEOUT_MS).toBe(30_000);
    expect(config.HISTORY_MAX_TURNS).toBe(50);
  });

  it("still refuse a value that is not blank but wrong", () => {
    expect(() => parseConfig({ LLM_TIMEOUT_MS: "soon" })).toThrow(/LLM_TIMEOUT_MS: must be a whole number/);
    expect(() => parseConfig({ LLM_DAILY_BUDGET: "-1" })).toThrow(/LLM_DAILY_BUDGET/);
  });
});

describe("paths", () => {
  it("resolve against the project, not the working directory, unless absolute", () => {
    expect(parseConfig({}).DATA_DIR).toBe(path.join(PROJECT_ROOT, "data"));
    expect(parseConfig({ DATA_DIR: "./var/storybot" }).DATA_DIR).toBe(
      path.join(PROJECT_ROOT, "var/storybot"),
    );
    expect(parseConfig({ DATA_DIR: "/srv/storybot" }).DATA_DIR).toBe("/srv/storybot");
    expect(parseConfig({}).STORYBOT_ENV_FILE).toBe(path.join(PROJECT_ROOT, ".env"));
  });
});

describe("the env file", () => {
  const { tempDir } = useTempStores("storybot-env-");

  it("fills in what the environment leaves unset or blank; the environment wins", async () => {
    const file = path.join(await tempDir(), "storybot.env");
    writeFileSync(file, "OPENAI_MODEL=from-file\nSUMMARY_TIME=07:30\nDISCORD_GUILD_ID=123456789012345678\n");
    const env = readEnvironment({ STORYBOT_ENV_FILE: file, OPENAI_MODEL: "from-env", SUMMARY_TIME: "" });
    const config = parseConfig(env);
    expect(config.OPENAI_MODEL).toBe("from-env");
    expect(config.SUMMARY_TIME).toBe("07:30");
    expect(config.DISCORD_GUILD_ID).toBe("123456789012345678");
  });

  it("is optional", () => {
    const env = readEnvironment({ STORYBOT_ENV_FILE: "/nonexistent/storybot.env", OPENAI_MODEL: "m" });
    expect(parseConfig(env).OPENAI_MODEL).toBe("m");
  });
});

describe("variables that look mistyped", () => {
  it("are named, with the variable most likely meant", () => {
    expect(
      unknownVariables({
        OPENAI_KEY: "sk-x",
        DISCORD_GUILD: "1",
        LLM_TIMEOUT: "5",
        STORYBOT_SOMETHING: "x",
        PATH: "/usr/bin",
        OPENAI_API_KEY: "sk-y",
        DISCORD_OLD: "",
      }),
    ).toEqual([
      "DISCORD_GUILD is not a storybot variable (did you mean DISCORD_GUILD_ID?); it is ignored",
      "LLM_TIMEOUT is not a storybot variable (did you mean LLM_TIMEOUT_MS?); it is ignored",
      "OPENAI_KEY is not a storybot variable (did you mean OPENAI_API_KEY?); it is ignored",
      "STORYBOT_SOMETHING is not a storybot variable; it is ignored",
    ]);
  });
});

describe("the documentation", () => {
  const tableVariables = (markdown: string) =>
    new Set(
      [...markdown.matchAll(/^\| *((?:`[A-Z0-9_]+`(?:, )?)+) *\|/gm)].flatMap(
        (m) => m[1]?.match(/[A-Z0-9_]+/g) ?? [],
      ),
    );

  it("README's configuration table lists exactly the variables the schema reads", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## Configuration"),
      readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
    );
    expect([...tableVariables(section)].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it(".env.example lists every variable that can live in a .env file", () => {
    const example = readFileSync(path.join(PROJECT_ROOT, ".env.example"), "utf8");
    const names = [...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    // STORYBOT_ENV_FILE says where the .env file is, so it cannot be set inside one.
    expect(names.sort()).toEqual(CONFIG_VARIABLES.filter((n) => n !== "STORYBOT_ENV_FILE").sort());
  });
});
