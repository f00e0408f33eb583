/** Plain JSON object as parsed from a request body or built for a payload. */
export type JsonObject = Record<string, unknown>;

/** A user of the fake Discord (people and the bot). */
export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
}

export interface FakeMember {
  user: FakeUser;
  roleIds: string[];
  joinedAt: string;
}

export interface PermissionOverwrite {
  /** Role or user id. */
  id: string;
  /** 0 = role, 1 = member. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface FakeChannel {
  id: string;
  /** Discord channel type: 0 text, 1 DM, 11 public thread, 12 private thread. */
  type: number;
  name: string;
  guildId?: string;
  parentId?: string;
  /** Threads: who started it. */
  ownerId?: string;
  /** DMs: the other person. */
  recipient?: FakeUser;
  overwrites: PermissionOverwrite[];
  topic: string | null;
  position: number;
  createdAt: number;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  lastMessageId: string | null;
  messageCount: number;
  deleted: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: FakeRole[];
  members: Map<string, FakeMember>;
  /** Channel ids of this guild, in creation order (threads included). */
  channelIds: string[];
}

/** What a message would ping, given its content, reply and allowed_mentions (permissions are ignored). */
export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
  repliedUser: boolean;
}

/** One state of a message: its creation or an edit. `at` is on the fake clock. */
export interface MessageVersion {
  content: string;
  embeds: JsonObject[];
  components: JsonObject[];
  flags: number;
  at: number;
}

/**
 * A message held by the fake, as the bot or a test user posted it. Read it, don't mutate it.
 * `embeds`/`components` are the JSON the bot sent.
 */
export interface FakeMessage {
  id: string;
  channelId: string;
  guildId?: string;
  author: FakeUser;
  content: string;
  embeds: JsonObject[];
  components: JsonObject[];
  attachments: JsonObject[];
  /** Message flags: 64 ephemeral, 128 loading (a deferred reply not yet edited), 4 suppress embeds … */
  flags: number;
  /** Message type: 0 default, 19 reply, 20 slash command response. */
  type: number;
  createdAt: number;
  editedAt: number | null;
  /** The message this one replies to. */
  reference?: { messageId: string; channelId: string; guildId?: string };
  /** Set on interaction responses and follow-ups. */
  interactionId?: string;
  webhookId?: string;
  /** The thread started from this message, if any. */
  threadId?: string;
  /** The `allowed_mentions` of the latest create/edit request (undefined when the request had none). */
  allowedMentions: unknown;
  /** Who the message pings after the latest create/edit. */
  pings: Pings;
  /** Every state of the message, oldest first (creation, then each edit). */
  versions: MessageVersion[];
  ephemeral: boolean;
  /** Deferred reply still showing "thinking…". */
  loading: boolean;
  deleted: boolean;
  reactions: string[];
  /** performance.now() of the last change (for quiet-period waits). */
  changedAtReal: number;
}

/** One HTTP request the bot made, with the fake's answer. */
export interface RecordedRequest {
  method: string;
  /** The request URL as sent (still encoded, with the query). */
  url: string;
  /** Path after /api/v10, URL-decoded (`%40original` becomes `@original`), without the query. */
  path: string;
  query: Record<string, string>;
  /** The matched route template, e.g. `PATCH /webhooks/:applicationId/:token/messages/:messageId`, or null. */
  route: string | null;
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body. */
  body: unknown;
  files: Array<{ field: string; filename: string; contentType: string; size: number }>;
  /** Whether the request creates or edits message content (so `allowedMentions` applies to it). */
  sendsMessage: boolean;
  /** The request's `allowed_mentions` (undefined when absent). */
  allowedMentions: unknown;
  /** Fake-clock time the request arrived. */
  at: number;
  /** performance.now() when the request arrived, before its body was read (for latency figures). */
  arrivedAtReal: number;
  status: number;
  /** The JSON the fake answered with (undefined for 204). */
  response: unknown;
  /** Discord error code of a failed request. */
  errorCode?: number;
}

/** A request matcher: "METHOD /path/:param/*" (method optional), a RegExp tested on "METHOD /path", or a predicate. */
export type RouteMatcher = string | RegExp | ((request: RecordedRequest) => boolean);
