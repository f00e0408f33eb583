import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig({});
    expect(config.OPENAI_API).toBe("responses");
    expect(config.SUMMARY_TIME).toBe("09:00");
    expect(config.SUMMARY_TIMEZONE).toBe("UTC");
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.ASK_CHANNEL_IDS).toEqual([]);
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.DATA_DIR.endsWith("data")).toBe(true);
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
  });
});
