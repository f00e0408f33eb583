import type { FakeContext } from "./context.ts";
import {
  DiscordHttpError,
  unknownCommand,
  unknownGuild,
  unknownMember,
  unknownUser,
} from "./discordError.ts";
import type { RouteContext, Router } from "./router.ts";
import type { FakeGuild } from "./types.ts";
import { channelToApi, guildToApi, memberToApi, openDm, roleToApi, userToApi } from "./world.ts";

/** Gateway discovery, users, the application, its commands (global and per guild), and guild reads. */
export function registerApplicationRoutes(
  router: Router,
  ctx: FakeContext,
  gatewayUrl: () => string,
  recommendedShards = 1,
): void {
  const { world } = ctx;
  router.add("GET", "/gateway/bot", () => ({
    status: 200,
    body: {
      url: gatewayUrl(),
      shards: recommendedShards,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    },
  }));
  router.add("GET", "/gateway", () => ({ status: 200, body: { url: gatewayUrl() } }), { auth: false });
  router.add("GET", "/users/@me", () => ({ status: 200, body: userToApi(world.bot) }));
  router.add("GET", "/users/:userId", (req) => {
    const user = world.users.get(req.params.userId as string);
    if (!user) throw unknownUser();
    return { status: 200, body: userToApi(user) };
  });
  router.add("POST", "/users/@me/channels", (req) => {
    const user = world.users.get(String(req.body.recipient_id));
    if (!user) throw unknownUser();
    return { status: 200, body: channelToApi(openDm(world, user)) };
  });
  const application = () => ({
    status: 200,
    body: {
      id: world.applicationId,
      name: world.bot.username,
      icon: null,
      description: "",
      bot_public: true,
      bot_require_code_grant: false,
      flags: 0,
      owner: userToApi([...world.users.values()].find((u) => u.username === "owner") ?? world.bot),
      team: null,
      verify_key: "0".repeat(64),
      bot: userToApi(world.bot),
    },
  });
  router.add("GET", "/applications/@me", application);
  router.add("GET", "/oauth2/applications/@me", application);

  const checkApp = (req: RouteContext) => {
    if (req.params.applicationId !== world.applicationId)
      throw new DiscordHttpError(
        403,
        20012,
        "You are not authorized to perform this action on this application",
      );
  };
  const guildOf = (req: RouteContext): FakeGuild => {
    const guild = world.guilds.get(req.params.guildId as string);
    if (!guild || !guild.members.has(world.bot.id)) throw unknownGuild();
    return guild;
  };
  for (const prefix of ["/applications/:applicationId", "/applications/:applicationId/guilds/:guildId"]) {
    const scope = (req: RouteContext): string | undefined => {
      checkApp(req);
      return req.params.guildId ? guildOf(req).id : undefined;
    };
    router.add("GET", `${prefix}/commands`, (req) => ({ status: 200, body: ctx.commands.list(scope(req)) }));
    router.add("PUT", `${prefix}/commands`, (req) => {
      const guildId = scope(req);
      return { status: 200, body: ctx.commands.overwrite(req.rawBody, guildId) };
    });
    router.add("POST", `${prefix}/commands`, (req) => {
      const { command, created } = ctx.commands.upsert(req.body, scope(req));
      return { status: created ? 201 : 200, body: command };
    });
    router.add("GET", `${prefix}/commands/:commandId`, (req) => {
      const command = ctx.commands.list(scope(req)).find((c) => c.id === req.params.commandId);
      if (!command) throw unknownCommand();
      return { status: 200, body: command };
    });
    router.add("PATCH", `${prefix}/commands/:commandId`, (req) => {
      const guildId = scope(req);
      const existing = ctx.commands.list(guildId).find((c) => c.id === req.params.commandId);
      if (!existing) throw unknownCommand();
      const { command } = ctx.commands.upsert(
        { ...existing, ...req.body, name: req.body.name ?? existing.name },
        guildId,
      );
      return { status: 200, body: command };
    });
    router.add("DELETE", `${prefix}/commands/:commandId`, (req) => {
      if (!ctx.commands.remove(req.params.commandId as string, scope(req))) throw unknownCommand();
      return { status: 204 };
    });
  }

  router.add("GET", "/guilds/:guildId", (req) => {
    const {
      members: _m,
      channels: _c,
      threads: _t,
      voice_states: _v,
      presences: _p,
      ...guild
    } = guildToApi(world, guildOf(req));
    return { status: 200, body: guild };
  });
  router.add("GET", "/guilds/:guildId/channels", (req) => {
    const guild = guildOf(req);
    const channels = guild.channelIds
      .map((id) => world.channels.get(id))
      .filter((c) => c && !c.deleted && c.type !== 11 && c.type !== 12);
    return { status: 200, body: channels.map((c) => channelToApi(c as NonNullable<typeof c>)) };
  });
  router.add("GET", "/guilds/:guildId/threads/active", (req) => {
    const guild = guildOf(req);
    const threads = guild.channelIds
      .map((id) => world.channels.get(id))
      .filter((c) => c && !c.deleted && !c.archived && (c.type === 11 || c.type === 12));
    return {
      status: 200,
      body: { threads: threads.map((c) => channelToApi(c as NonNullable<typeof c>)), members: [] },
    };
  });
  router.add("GET", "/guilds/:guildId/roles", (req) => ({
    status: 200,
    body: guildOf(req).roles.map(roleToApi),
  }));
  router.add("GET", "/guilds/:guildId/members/:userId", (req) => {
    const member = guildOf(req).members.get(req.params.userId as string);
    if (!member) throw unknownMember();
    return { status: 200, body: memberToApi(member) };
  });
  router.add("GET", "/guilds/:guildId/members", (req) => {
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 1) || 1));
    const after = req.query.after ?? "0";
    const members = [...guildOf(req).members.values()]
      .filter((m) => BigInt(m.user.id) > BigInt(after))
      .sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1))
      .slice(0, limit);
    return { status: 200, body: members.map((m) => memberToApi(m)) };
  });
}
