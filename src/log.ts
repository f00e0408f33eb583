// pino logger. Secrets never reach a log line: known secret keys are redacted wherever they appear.
import { pino } from "pino";

export type Logger = pino.Logger;

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

export function createLogger(level = "info", destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: SECRET_PATHS, censor: "[secret]" }, base: null };
  // Logs go to stderr so that stdout stays clean for the CLI's answers and --json lines.
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
