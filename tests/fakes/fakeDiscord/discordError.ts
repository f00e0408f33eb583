import type { JsonObject } from "./types.ts";

/** An error the fake answers with, in Discord's JSON shape `{ code, message, errors? }`. */
export class DiscordHttpError extends Error {
  readonly status: number;
  readonly code: number;
  readonly errors: JsonObject | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: number,
    message: string,
    errors?: JsonObject,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.headers = headers ?? {};
  }

  toJSON(): JsonObject {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

export const unknownChannel = (): DiscordHttpError => new DiscordHttpError(404, 10003, "Unknown Channel");
export const unknownMessage = (): DiscordHttpError => new DiscordHttpError(404, 10008, "Unknown Message");
export const unknownWebhook = (): DiscordHttpError => new DiscordHttpError(404, 10015, "Unknown Webhook");
export const unknownInteraction = (): DiscordHttpError =>
  new DiscordHttpError(404, 10062, "Unknown interaction");
export const unknownUser = (): DiscordHttpError => new DiscordHttpError(404, 10013, "Unknown User");
export const unknownGuild = (): DiscordHttpError => new DiscordHttpError(404, 10004, "Unknown Guild");
export const unknownMember = (): DiscordHttpError => new DiscordHttpError(404, 10007, "Unknown Member");
export const unknownCommand = (): DiscordHttpError =>
  new DiscordHttpError(404, 10063, "Unknown application command");
export const alreadyAcknowledged = (): DiscordHttpError =>
  new DiscordHttpError(400, 40060, "Interaction has already been acknowledged.");
export const invalidWebhookToken = (): DiscordHttpError =>
  new DiscordHttpError(401, 50027, "Invalid Webhook Token");
export const missingAccess = (): DiscordHttpError => new DiscordHttpError(403, 50001, "Missing Access");
export const missingPermissions = (): DiscordHttpError =>
  new DiscordHttpError(403, 50013, "Missing Permissions");
export const emptyMessage = (): DiscordHttpError =>
  new DiscordHttpError(400, 50006, "Cannot send an empty message");
export const notAuthor = (): DiscordHttpError =>
  new DiscordHttpError(403, 50005, "Cannot edit a message authored by another user");
export const unauthorized = (): DiscordHttpError => new DiscordHttpError(401, 0, "401: Unauthorized");
export const notFound = (): DiscordHttpError => new DiscordHttpError(404, 0, "404: Not Found");

/** Collects field errors into Discord's nested `errors` object (`{ embeds: { 0: { title: { _errors: [...] } } } }`). */
export class FormErrors {
  readonly tree: JsonObject = {};
  count = 0;

  add(path: Array<string | number>, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (next && typeof next === "object") {
        node = next as JsonObject;
      } else {
        const created: JsonObject = {};
        node[k] = created;
        node = created;
      }
    }
    const list = (node._errors as unknown[] | undefined) ?? [];
    list.push({ code, message });
    node._errors = list;
    this.count += 1;
  }

  /** Throws 400 code 50035 "Invalid Form Body" when any error was added. */
  throwIfAny(): void {
    if (this.count > 0) throw new DiscordHttpError(400, 50035, "Invalid Form Body", this.tree);
  }
}
