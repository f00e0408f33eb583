import type { CommandRegistry } from "./commands.ts";
import type { MessageStore } from "./messageStore.ts";
import type { FakeChannel, FakeMessage, FakeRole, FakeUser, JsonObject } from "./types.ts";
import {
  channelToApi,
  memberOf,
  memberToApi,
  permissionsFor,
  roleToApi,
  userToApi,
  type World,
} from "./world.ts";

/** A value a test passes for a slash-command option; users, channels and roles are resolved like Discord does. */
export type OptionValue = string | number | boolean | FakeUser | FakeChannel | FakeRole;

export interface InteractionResponse {
  /** Callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 9 modal … */
  type: number;
  data: JsonObject | undefined;
  /** Fake-clock time the callback arrived. */
  at: number;
}

/**
 * An interaction the fake dispatched (slash command or component click), with what the bot answered.
 * Its getters read live state, so a test can hold it while the bot works.
 */
export class FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly kind: "command" | "component";
  /** Command name, or the clicked component's custom_id. */
  readonly name: string;
  readonly user: FakeUser;
  readonly channelId: string;
  readonly guildId: string | undefined;
  /** Fake-clock creation time: the 3-second and 15-minute limits count from here. */
  readonly createdAt: number;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: JsonObject;
  /** The message a component belongs to. */
  readonly sourceMessageId: string | undefined;
  /** The first accepted callback, or null while unacknowledged. */
  response: InteractionResponse | null = null;
  /** Every callback attempt with the status the fake answered (accepted or rejected). */
  readonly callbackAttempts: Array<{ type: unknown; status: number; errorCode?: number }> = [];
  originalMessageId: string | null = null;
  readonly followUpIds: string[] = [];
  /**
   * performance.now() when the INTERACTION_CREATE frame was written to the socket, and when the request
   * carrying the first accepted callback arrived (before its body was read).
   */
  dispatchedAtReal: number | null = null;
  respondedAtReal: number | null = null;
  /** performance.now() of the latest response, edit or follow-up (for quiet-period waits). */
  changedAtReal: number;
  private readonly store: MessageStore;

  constructor(init: {
    id: string;
    token: string;
    kind: "command" | "component";
    name: string;
    user: FakeUser;
    channelId: string;
    guildId: string | undefined;
    createdAt: number;
    payload: JsonObject;
    sourceMessageId: string | undefined;
    store: MessageStore;
  }) {
    this.id = init.id;
    this.token = init.token;
    this.kind = init.kind;
    this.name = init.name;
    this.user = init.user;
    this.channelId = init.channelId;
    this.guildId = init.guildId;
    this.createdAt = init.createdAt;
    this.payload = init.payload;
    this.sourceMessageId = init.sourceMessageId;
    this.store = init.store;
    this.changedAtReal = performance.now();
  }

  get acknowledged(): boolean {
    return this.response !== null;
  }

  /** Real milliseconds from writing INTERACTION_CREATE to the first accepted callback arriving (for benchmarks). */
  get ackLatencyMs(): number | null {
    return this.dispatchedAtReal === null || this.respondedAtReal === null
      ? null
      : this.respondedAtReal - this.dispatchedAtReal;
  }

  /** The current `@original` response message (the clicked message after a deferred update / update). */
  original(): FakeMessage | undefined {
    return this.originalMessageId ? this.store.get(this.originalMessageId) : undefined;
  }

  followUps(): FakeMessage[] {
    return this.followUpIds.map((id) => this.store.get(id)).filter((m): m is FakeMessage => !!m);
  }

  /** The original response followed by the follow-ups. */
  messages(): FakeMessage[] {
    const original = this.original();
    return original ? [original, ...this.followUps()] : this.followUps();
  }
}

/** Dispatched interactions, by id and by token. */
export class InteractionRegistry {
  private readonly byId = new Map<string, FakeInteraction>();
  private readonly byToken = new Map<string, FakeInteraction>();

  add(interaction: FakeInteraction): void {
    this.byId.set(interaction.id, interaction);
    this.byToken.set(interaction.token, interaction);
  }

  get(id: string): FakeInteraction | undefined {
    return this.byId.get(id);
  }

  withToken(token: string): FakeInteraction | undefined {
    return this.byToken.get(token);
  }

  /** The interaction whose response or follow-up is this message. */
  ofMessage(messageId: string): FakeInteraction | undefined {
    for (const i of this.byId.values())
      if (i.originalMessageId === messageId || i.followUpIds.includes(messageId)) return i;
    return undefined;
  }

  all(): FakeInteraction[] {
    return [...this.byId.values()];
  }
}

export function interactionToken(): string {
  // Real tokens are long URL-safe strings starting with the base64 of "interaction:".
  const random = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64url");
  return `aW50ZXJhY3Rpb246${random}`;
}

export interface InteractionContext {
  user: FakeUser;
  channel: FakeChannel;
  /** Overrides the member's computed permissions in the channel. */
  memberPermissions?: bigint | string;
  locale?: string;
}

/** The fields every interaction carries; discord.js drops interactions without entitlements and owners. */
export function interactionBase(
  world: World,
  ctx: InteractionContext,
  id: string,
  token: string,
  type: number,
): JsonObject {
  const { user, channel } = ctx;
  const guildId = channel.guildId;
  const member = memberOf(world, guildId, user.id);
  const permissions =
    ctx.memberPermissions !== undefined
      ? BigInt(ctx.memberPermissions)
      : permissionsFor(world, user.id, channel);
  const base: JsonObject = {
    id,
    application_id: world.applicationId,
    type,
    token,
    version: 1,
    channel: { ...channelToApi(channel), ...(guildId ? { permissions: permissions.toString() } : {}) },
    channel_id: channel.id,
    locale: ctx.locale ?? "en-US",
    app_permissions: permissionsFor(world, world.bot.id, channel).toString(),
    entitlements: [],
    authorizing_integration_owners: { "0": guildId ?? "0" },
    context: guildId ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (guildId && member) {
    base.guild_id = guildId;
    base.guild = { id: guildId, locale: "en-US", features: [] };
    base.guild_locale = "en-US";
    base.member = { ...memberToApi(member), permissions: permissions.toString() };
  } else {
    base.user = userToApi(user);
  }
  return base;
}

const isUser = (v: OptionValue): v is FakeUser => typeof v === "object" && "username" in v;
const isChannel = (v: OptionValue): v is FakeChannel => typeof v === "object" && "overwrites" in v;
const isRole = (v: OptionValue): v is FakeRole =>
  typeof v === "object" && "permissions" in v && "position" in v;

/**
 * Builds `data.options` and `data.resolved` for a slash command. With a registered command, option types come
 * from its schema and what a Discord client would refuse to send (missing required option, unknown option, a
 * value outside the choices) throws; without one, types are inferred from the values.
 */
export function buildCommandData(
  world: World,
  commands: CommandRegistry,
  name: string,
  values: Record<string, OptionValue>,
  where: { guildId: string | undefined; subcommand?: string; subcommandGroup?: string },
): JsonObject {
  const registered = commands.find(name, where.guildId);
  const resolved: Record<string, Record<string, JsonObject>> = {};
  let schema = registered ? ((registered.options as JsonObject[] | undefined) ?? []) : undefined;
  const wrappers: Array<{ type: number; name: string }> = [];
  if (where.subcommandGroup) wrappers.push({ type: 2, name: where.subcommandGroup });
  if (where.subcommand) wrappers.push({ type: 1, name: where.subcommand });
  for (const w of wrappers) {
    if (!schema) continue;
    const found = schema.find((o) => o.name === w.name && o.type === w.type);
    if (!found)
      throw new Error(`/${name} has no ${w.type === 2 ? "subcommand group" : "subcommand"} "${w.name}"`);
    schema = (found.options as JsonObject[] | undefined) ?? [];
  }
  if (schema && !where.subcommand && schema.some((o) => o.type === 1 || o.type === 2))
    throw new Error(`/${name} needs a subcommand (pass { subcommand })`);
  const options: JsonObject[] = [];
  for (const [key, value] of Object.entries(values)) {
    const spec = schema?.find((o) => o.name === key);
    if (schema && !spec) throw new Error(`/${name} has no option "${key}"`);
    const type = typeof spec?.type === "number" ? spec.type : inferType(value);
    options.push({
      name: key,
      type,
      value: optionValue(world, name, key, type, value, spec, resolved, where.guildId),
    });
  }
  for (const spec of schema ?? []) {
    if (spec.required === true && !(String(spec.name) in values))
      throw new Error(`/${name} requires option "${String(spec.name)}"`);
  }
  let nested = options;
  for (const w of [...wrappers].reverse()) nested = [{ type: w.type, name: w.name, options: nested }];
  return {
    id: registered?.id ?? world.nextId(),
    name,
    type: 1,
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    ...(nested.length > 0 ? { options: nested } : {}),
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}

function inferType(value: OptionValue): number {
  if (typeof value === "string") return 3;
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  if (isUser(value)) return 6;
  if (isChannel(value)) return 7;
  return 8;
}

function optionValue(
  world: World,
  command: string,
  key: string,
  type: number,
  value: OptionValue,
  spec: JsonObject | undefined,
  resolved: Record<string, Record<string, JsonObject>>,
  guildId: string | undefined,
): string | number | boolean {
  const fail = (why: string): never => {
    throw new Error(`/${command} option "${key}": ${why}`);
  };
  const put = (kind: string, id: string, data: JsonObject): string => {
    resolved[kind] ??= {};
    (resolved[kind] as Record<string, JsonObject>)[id] = data;
    return id;
  };
  if (spec && Array.isArray(spec.choices) && !spec.choices.some((c) => (c as JsonObject).value === value))
    fail(`${String(value)} is not one of the choices`);
  switch (type) {
    case 3:
      if (typeof value !== "string") return fail("expects a string");
      if (typeof spec?.max_length === "number" && value.length > spec.max_length)
        fail(`longer than ${spec.max_length}`);
      if (typeof spec?.min_length === "number" && value.length < spec.min_length)
        fail(`shorter than ${spec.min_length}`);
      return value;
    case 4:
    case 10:
      if (typeof value !== "number" || (type === 4 && !Number.isInteger(value)))
        return fail("expects a number");
      return value;
    case 5:
      if (typeof value !== "boolean") return fail("expects a boolean");
      return value;
    case 6:
    case 9: {
      const user = typeof value === "string" ? world.users.get(value) : isUser(value) ? value : undefined;
      if (user) {
        const member = memberOf(world, guildId, user.id);
        if (member) {
          const { user: _u, ...rest } = memberToApi(member);
          put("members", user.id, { ...rest, permissions: "0" });
        }
        return put("users", user.id, userToApi(user));
      }
      if (type === 9 && typeof value === "object" && isRole(value))
        return put("roles", value.id, roleToApi(value));
      return fail("expects a user");
    }
    case 7: {
      const channel =
        typeof value === "string" ? world.channels.get(value) : isChannel(value) ? value : undefined;
      if (!channel) return fail("expects a channel");
      const permissions = permissionsFor(world, world.bot.id, channel).toString();
      return put("channels", channel.id, { ...channelToApi(channel), permissions });
    }
    case 8: {
      const role =
        typeof value === "string"
          ? [...world.guilds.values()].flatMap((g) => g.roles).find((r) => r.id === value)
          : typeof value === "object" && isRole(value)
            ? value
            : undefined;
      if (!role) return fail("expects a role");
      return put("roles", role.id, roleToApi(role));
    }
    default:
      return fail(`option type ${type} is not supported by the fake`);
  }
}
