// A failed command ends with one line on stderr: the message of an error meant for users, else the
// error's first line. The stack goes to the log at debug level only (LOG_LEVEL=debug), so a user
// never sees one unless they ask. Exit code 2 for a usage or configuration error, 1 for the rest.
import { UsageError } from "../errors.ts";
import type { Logger } from "../log.ts";

export function reportFailure(error: unknown, log: Logger): number {
  const message = error instanceof Error ? error.message : String(error);
  log.debug({ err: error }, "command failed");
  process.stderr.write(`storybot: ${message.split("\n")[0]?.trim() || "failed"}\n`);
  return error instanceof UsageError ? 2 : 1;
}
