// pino logger. Secrets never reach a log line: known secret keys are redacted wherever they appear.
// Logs go to stderr so that stdout stays clean for the CLI's answers and --json lines: readable
// lines on a terminal, one JSON object a line anywhere else (a journal, a pipe, a log collector).
import { createRequire } from "node:module";
import { pino } from "pino";

// pino-pretty (and its dependencies) is loaded only for a pretty log: a service logging JSON never
// needs its code, which stays in the heap once loaded.
const require = createRequire(import.meta.url);

export type Logger = pino.Logger;
export type LogFormat = "pretty" | "json";

const SECRET_PATHS = [
  "token",
  "apiKey",
  "authorization",
  "*.token",
  "*.apiKey",
  "*.authorization",
  "*.DISCORD_TOKEN",
  "*.OPENAI_API_KEY",
  "headers.authorization",
  "*.headers.authorization",
];

/** The format asked for, else pretty when stderr is a terminal and JSON when it is not. */
export function chooseLogFormat(asked: LogFormat | undefined, stderrIsTerminal: boolean): LogFormat {
  return asked ?? (stderrIsTerminal ? "pretty" : "json");
}

/**
 * A logger writing to `destination` (JSON lines; tests read them), else to stderr in `format`
 * (default: see chooseLogFormat).
 */
export function createLogger(
  level = "info",
  destination?: pino.DestinationStream,
  format?: LogFormat,
): Logger {
  const options = { level, redact: { paths: SECRET_PATHS, censor: "[secret]" }, base: null };
  if (destination) return pino(options, destination);
  const terminal = process.stderr.isTTY === true;
  if (chooseLogFormat(format, terminal) === "json") return pino(options, pino.destination(2));
  // In-process and synchronous (no transport worker): a line is on screen before the next one is
  // printed by the CLI itself, and nothing is lost when a one-off command exits.
  const { PinoPretty } = require("pino-pretty") as typeof import("pino-pretty");
  const pretty = PinoPretty({
    destination: 2,
    sync: true,
    colorize: terminal,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname",
  });
  return pino(options, pretty);
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
