import type { FakeChannel, FakeGuild, FakeMember } from "./types.ts";

/** Discord permission bits used by the fake (a subset; values from Discord's documentation). */
export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** Every permission, as Discord reports it for administrators and owners. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/**
 * A member's permissions in a channel, by Discord's algorithm: @everyone and role permissions, Administrator
 * and ownership grant everything, then the channel's overwrites (@everyone, roles, member). Threads use their
 * parent's overwrites.
 */
export function permissionsIn(
  guild: FakeGuild,
  member: FakeMember,
  channel: FakeChannel | undefined,
  parent?: FakeChannel,
): bigint {
  if (guild.ownerId === member.user.id) return ALL_PERMISSIONS;
  const everyone = guild.roles.find((r) => r.id === guild.id);
  let base = everyone?.permissions ?? 0n;
  for (const role of guild.roles) if (member.roleIds.includes(role.id)) base |= role.permissions;
  if (base & Permission.Administrator) return ALL_PERMISSIONS;
  const source = channel && (channel.type === 11 || channel.type === 12) ? parent : channel;
  if (!source) return base;
  const everyoneOw = source.overwrites.find((o) => o.type === 0 && o.id === guild.id);
  if (everyoneOw) base = (base & ~everyoneOw.deny) | everyoneOw.allow;
  let allow = 0n;
  let deny = 0n;
  for (const ow of source.overwrites) {
    if (ow.type === 0 && ow.id !== guild.id && member.roleIds.includes(ow.id)) {
      allow |= ow.allow;
      deny |= ow.deny;
    }
  }
  base = (base & ~deny) | allow;
  const memberOw = source.overwrites.find((o) => o.type === 1 && o.id === member.user.id);
  if (memberOw) base = (base & ~memberOw.deny) | memberOw.allow;
  return base;
}
