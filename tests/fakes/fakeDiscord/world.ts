import { Permission, permissionsIn } from "./permissions.ts";
import type { FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser, JsonObject } from "./types.ts";

/** Everything the fake Discord knows about: the application, its bot user, people, servers and channels. */
export interface World {
  clock: () => number;
  nextId: () => string;
  applicationId: string;
  bot: FakeUser;
  users: Map<string, FakeUser>;
  guilds: Map<string, FakeGuild>;
  channels: Map<string, FakeChannel>;
}

const EVERYONE_PERMISSIONS =
  Permission.CreateInstantInvite |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.UseExternalEmojis |
  Permission.ChangeNickname |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads;

const MODERATOR_PERMISSIONS =
  Permission.ManageGuild |
  Permission.ManageChannels |
  Permission.ManageMessages |
  Permission.ManageThreads |
  Permission.MentionEveryone |
  Permission.KickMembers;

/** What a bot invited with a sensible scope gets: reading, posting, embeds, threads (no moderation). */
const BOT_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.SendMessagesInThreads |
  Permission.CreatePublicThreads |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.UseExternalEmojis;

export function createUser(world: World, username: string, bot = false): FakeUser {
  const user: FakeUser = { id: world.nextId(), username, globalName: bot ? null : capitalise(username), bot };
  world.users.set(user.id, user);
  return user;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function createGuild(world: World, name: string, owner: FakeUser, id = world.nextId()): FakeGuild {
  const guild: FakeGuild = {
    id,
    name,
    ownerId: owner.id,
    roles: [{ id, name: "@everyone", permissions: EVERYONE_PERMISSIONS, position: 0 }],
    members: new Map(),
    channelIds: [],
  };
  world.guilds.set(id, guild);
  return guild;
}

export function addRole(world: World, guild: FakeGuild, name: string, permissions: bigint): FakeRole {
  const role: FakeRole = { id: world.nextId(), name, permissions, position: guild.roles.length };
  guild.roles.push(role);
  return role;
}

export function addMember(
  world: World,
  guild: FakeGuild,
  user: FakeUser,
  roleIds: string[] = [],
): FakeMember {
  const member: FakeMember = { user, roleIds, joinedAt: new Date(world.clock()).toISOString() };
  guild.members.set(user.id, member);
  return member;
}

export function addTextChannel(world: World, guild: FakeGuild, name: string): FakeChannel {
  const channel = baseChannel(world, world.nextId(), 0, name);
  channel.guildId = guild.id;
  channel.position = guild.channelIds.length;
  world.channels.set(channel.id, channel);
  guild.channelIds.push(channel.id);
  return channel;
}

/** A thread in `parent`; threads started from a message take that message's id, as on Discord. */
export function addThread(
  world: World,
  parent: FakeChannel,
  opts: { name: string; ownerId: string; id?: string; type?: number; autoArchiveDuration?: number },
): FakeChannel {
  const guild = parent.guildId ? world.guilds.get(parent.guildId) : undefined;
  const thread = baseChannel(world, opts.id ?? world.nextId(), opts.type ?? 11, opts.name);
  thread.guildId = parent.guildId ?? "";
  thread.parentId = parent.id;
  thread.ownerId = opts.ownerId;
  thread.autoArchiveDuration = opts.autoArchiveDuration ?? 1440;
  world.channels.set(thread.id, thread);
  guild?.channelIds.push(thread.id);
  return thread;
}

export function openDm(world: World, user: FakeUser): FakeChannel {
  for (const c of world.channels.values()) if (c.type === 1 && c.recipient?.id === user.id) return c;
  const dm = baseChannel(world, world.nextId(), 1, "");
  dm.recipient = user;
  world.channels.set(dm.id, dm);
  return dm;
}

function baseChannel(world: World, id: string, type: number, name: string): FakeChannel {
  return {
    id,
    type,
    name,
    overwrites: [],
    topic: null,
    position: 0,
    createdAt: world.clock(),
    archived: false,
    locked: false,
    autoArchiveDuration: 1440,
    lastMessageId: null,
    messageCount: 0,
    deleted: false,
  };
}

/** The standard cast: a story server with the bot, an owner, an admin (Manage Server via a role), two members. */
export function populateWorld(world: World, extraChannels: string[]) {
  const owner = createUser(world, "owner");
  const admin = createUser(world, "admin");
  const member = createUser(world, "member");
  const other = createUser(world, "other");
  const guild = createGuild(world, "Story Club", owner);
  const moderators = addRole(world, guild, "Moderators", MODERATOR_PERMISSIONS);
  const botRole = addRole(world, guild, world.bot.username, BOT_PERMISSIONS);
  addMember(world, guild, world.bot, [botRole.id]);
  addMember(world, guild, owner);
  addMember(world, guild, admin, [moderators.id]);
  addMember(world, guild, member);
  addMember(world, guild, other);
  const channels: Record<string, FakeChannel> = {};
  for (const name of ["general", "questions", "summaries", "readOnly", ...extraChannels]) {
    channels[name] = addTextChannel(world, guild, name === "readOnly" ? "announcements" : name);
  }
  // Everyone, the bot included, may read #announcements but not post there.
  const readOnly = channels.readOnly;
  if (readOnly) {
    readOnly.overwrites.push(
      { id: guild.id, type: 0, allow: 0n, deny: Permission.SendMessages },
      { id: botRole.id, type: 0, allow: 0n, deny: Permission.SendMessages },
    );
  }
  // A second server sharing the same people, to show that nothing crosses servers.
  const secondGuild = createGuild(world, "Other Server", owner);
  const secondBotRole = addRole(world, secondGuild, world.bot.username, BOT_PERMISSIONS);
  addMember(world, secondGuild, world.bot, [secondBotRole.id]);
  for (const u of [owner, admin, member, other]) addMember(world, secondGuild, u);
  const secondGeneral = addTextChannel(world, secondGuild, "general");
  return {
    guild,
    secondGuild,
    roles: { everyone: guild.roles[0] as FakeRole, moderators, bot: botRole },
    users: { owner, admin, member, other },
    channels,
    secondChannels: { general: secondGeneral },
  };
}

/** Another server with the bot and the same people, and #general and #summaries channels. */
export function addServer(world: World, name: string, people: FakeUser[], id: string) {
  const [owner] = people;
  if (!owner) throw new Error("a server needs an owner");
  const guild = createGuild(world, name, owner, id);
  const botRole = addRole(world, guild, world.bot.username, BOT_PERMISSIONS);
  addMember(world, guild, world.bot, [botRole.id]);
  for (const person of people) addMember(world, guild, person);
  return {
    guild,
    channels: {
      general: addTextChannel(world, guild, "general"),
      summaries: addTextChannel(world, guild, "summaries"),
    },
  };
}

export function memberOf(world: World, guildId: string | undefined, userId: string): FakeMember | undefined {
  if (!guildId) return undefined;
  return world.guilds.get(guildId)?.members.get(userId);
}

/** A user's permissions in a channel (everything in DMs). */
export function permissionsFor(world: World, userId: string, channel: FakeChannel): bigint {
  if (!channel.guildId) return (1n << 51n) - 1n;
  const guild = world.guilds.get(channel.guildId);
  const member = memberOf(world, channel.guildId, userId);
  if (!guild || !member) return 0n;
  const parent = channel.parentId ? world.channels.get(channel.parentId) : undefined;
  return permissionsIn(guild, member, channel, parent);
}

export function userToApi(user: FakeUser): JsonObject {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName,
    discriminator: "0",
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
    flags: 0,
    ...(user.bot ? { verified: true, mfa_enabled: false } : {}),
  };
}

export function memberToApi(member: FakeMember, withUser = true): JsonObject {
  return {
    ...(withUser ? { user: userToApi(member.user) } : {}),
    nick: null,
    avatar: null,
    banner: null,
    roles: member.roleIds,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function roleToApi(role: FakeRole): JsonObject {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function channelToApi(channel: FakeChannel): JsonObject {
  if (channel.type === 1) {
    return {
      id: channel.id,
      type: 1,
      last_message_id: channel.lastMessageId,
      flags: 0,
      recipients: channel.recipient ? [userToApi(channel.recipient)] : [],
    };
  }
  const common: JsonObject = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (channel.type === 11 || channel.type === 12) {
    return {
      ...common,
      parent_id: channel.parentId,
      owner_id: channel.ownerId,
      message_count: channel.messageCount,
      total_message_sent: channel.messageCount,
      member_count: 1,
      thread_metadata: {
        archived: channel.archived,
        locked: channel.locked,
        auto_archive_duration: channel.autoArchiveDuration,
        archive_timestamp: new Date(channel.createdAt).toISOString(),
        create_timestamp: new Date(channel.createdAt).toISOString(),
        ...(channel.type === 12 ? { invitable: true } : {}),
      },
    };
  }
  return {
    ...common,
    position: channel.position,
    parent_id: null,
    topic: channel.topic,
    nsfw: false,
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
  };
}

/** The full GUILD_CREATE payload discord.js needs to cache the server, its channels, roles and members. */
export function guildToApi(world: World, guild: FakeGuild): JsonObject {
  const live = guild.channelIds
    .map((id) => world.channels.get(id))
    .filter((c): c is FakeChannel => !!c && !c.deleted);
  const joinedAt = guild.members.get(world.bot.id)?.joinedAt ?? new Date(world.clock()).toISOString();
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: guild.roles.map(roleToApi),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.channelIds[0] ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: "en-US",
    nsfw_level: 0,
    max_members: 500000,
    max_video_channel_users: 25,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.values()].map((m) => memberToApi(m)),
    channels: live.filter((c) => c.type !== 11 && c.type !== 12).map((c) => withoutGuildId(channelToApi(c))),
    threads: live.filter((c) => (c.type === 11 || c.type === 12) && !c.archived).map((c) => channelToApi(c)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function withoutGuildId(channel: JsonObject): JsonObject {
  const { guild_id: _omit, ...rest } = channel;
  return rest;
}
