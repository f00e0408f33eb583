import { fileErrorCause } from "./fileErrorCause.ts";

/** An error whose message is safe and useful to show a user as it is. Everything else is logged and answered with an apology. */
export class UserError extends Error {
  override name = "UserError";
}

/** A command given without what it needs (an empty question, a missing setting): exit code 2. */
export class UsageError extends UserError {
  override name = "UsageError";
}

export const APOLOGY = "Sorry, something went wrong while answering. Please try again in a moment.";

export function userMessage(error: unknown): string {
  if (error instanceof UserError) return error.message;
  // A full or read-only disk is said as such (no path: this may reach Discord users).
  const cause = fileErrorCause(error);
  if (cause) return `Sorry, storybot could not use its data files: ${cause}.`;
  return APOLOGY;
}
