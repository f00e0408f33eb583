import type { Pings } from "./types.ts";

const USER_MENTION = /<@!?(\d{15,21})>/g;
const ROLE_MENTION = /<@&(\d{15,21})>/g;
const EVERYONE = /@(everyone|here)\b/;

const ids = (content: string, pattern: RegExp): string[] => [
  ...new Set([...content.matchAll(pattern)].map((m) => m[1] as string)),
];

/**
 * Who a message pings, by Discord's allowed_mentions rules: without `allowed_mentions` every mention in the
 * content pings (and a reply pings its author); with it, only what `parse`, `users`, `roles` and
 * `replied_user` allow. Permissions (e.g. Mention @everyone) are ignored: this is what the request allowed.
 */
export function computePings(
  content: string,
  allowedMentions: unknown,
  repliesToAuthorId: string | undefined,
): Pings {
  const users = ids(content, USER_MENTION);
  const roles = ids(content, ROLE_MENTION);
  const everyone = EVERYONE.test(content);
  if (allowedMentions === undefined || allowedMentions === null || typeof allowedMentions !== "object") {
    return { everyone, users, roles, repliedUser: repliesToAuthorId !== undefined };
  }
  const am = allowedMentions as { parse?: unknown; users?: unknown; roles?: unknown; replied_user?: unknown };
  const parse = Array.isArray(am.parse) ? am.parse : [];
  const listed = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  return {
    everyone: everyone && parse.includes("everyone"),
    users: parse.includes("users") ? users : users.filter((id) => listed(am.users).includes(id)),
    roles: parse.includes("roles") ? roles : roles.filter((id) => listed(am.roles).includes(id)),
    repliedUser: repliesToAuthorId !== undefined && am.replied_user === true,
  };
}

/** Whether an `allowed_mentions` value lets nothing ping: present, `parse: []`, no user/role lists, no reply ping. */
export function allowsNoMentions(allowedMentions: unknown): boolean {
  if (typeof allowedMentions !== "object" || allowedMentions === null) return false;
  const am = allowedMentions as { parse?: unknown; users?: unknown; roles?: unknown; replied_user?: unknown };
  const empty = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);
  return (
    Array.isArray(am.parse) &&
    am.parse.length === 0 &&
    empty(am.users) &&
    empty(am.roles) &&
    am.replied_user !== true
  );
}
