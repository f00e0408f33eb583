/** An error whose message is safe and useful to show a user as it is. Everything else is logged and answered with an apology. */
export class UserError extends Error {
  override name = "UserError";
}

export const APOLOGY = "Sorry, something went wrong while answering. Please try again in a moment.";

export function userMessage(error: unknown): string {
  return error instanceof UserError ? error.message : APOLOGY;
}
