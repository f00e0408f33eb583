import { attachmentsFor, type FakeContext } from "./context.ts";
import {
  DiscordHttpError,
  emptyMessage,
  FormErrors,
  missingAccess,
  missingPermissions,
  notAuthor,
  unknownChannel,
  unknownMessage,
} from "./discordError.ts";
import { Permission } from "./permissions.ts";
import type { RouteContext, Router } from "./router.ts";
import type { FakeChannel, FakeMessage, JsonObject } from "./types.ts";
import { isEmptyMessage, MESSAGE_FLAG, validateMessagePayload } from "./validateMessage.ts";
import { addThread, channelToApi, permissionsFor } from "./world.ts";

const isThread = (c: FakeChannel): boolean => c.type === 11 || c.type === 12;

/** Channel, message, typing, thread and reaction routes, checked against the bot's permissions. */
export function registerChannelRoutes(router: Router, ctx: FakeContext): void {
  const visibleChannel = (req: RouteContext): FakeChannel => {
    const channel = ctx.world.channels.get(req.params.channelId as string);
    if (!channel || channel.deleted) throw unknownChannel();
    if (!(permissionsFor(ctx.world, ctx.world.bot.id, channel) & Permission.ViewChannel))
      throw missingAccess();
    return channel;
  };
  const requirePermission = (channel: FakeChannel, permission: bigint): void => {
    if (!(permissionsFor(ctx.world, ctx.world.bot.id, channel) & permission)) throw missingPermissions();
  };
  const messageIn = (channel: FakeChannel, id: string): FakeMessage => {
    const message = ctx.store.get(id);
    if (!message || message.channelId !== channel.id || message.ephemeral) throw unknownMessage();
    return message;
  };

  router.add("GET", "/channels/:channelId", (req) => ({
    status: 200,
    body: channelToApi(visibleChannel(req)),
  }));

  router.add("GET", "/channels/:channelId/messages", (req) => {
    const channel = visibleChannel(req);
    const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 50) || 50));
    const all = ctx.store.list(channel.id);
    const byId = (a: FakeMessage, b: FakeMessage) => (BigInt(a.id) < BigInt(b.id) ? 1 : -1);
    let picked: FakeMessage[];
    const { before, after, around } = req.query;
    if (before)
      picked = all
        .filter((m) => BigInt(m.id) < BigInt(before))
        .sort(byId)
        .slice(0, limit);
    else if (after)
      picked = all
        .filter((m) => BigInt(m.id) > BigInt(after))
        .sort(byId)
        .reverse()
        .slice(0, limit)
        .reverse();
    else if (around) {
      const sorted = [...all].sort(byId);
      const index = Math.max(
        0,
        sorted.findIndex((m) => BigInt(m.id) <= BigInt(around)),
      );
      picked = sorted.slice(
        Math.max(0, index - Math.floor(limit / 2)),
        Math.max(0, index - Math.floor(limit / 2)) + limit,
      );
    } else picked = all.sort(byId).slice(0, limit);
    return { status: 200, body: picked.map((m) => ctx.store.toApi(m)) };
  });

  router.add("GET", "/channels/:channelId/messages/:messageId", (req) => {
    const channel = visibleChannel(req);
    return { status: 200, body: ctx.store.toApi(messageIn(channel, req.params.messageId as string)) };
  });

  router.add(
    "POST",
    "/channels/:channelId/messages",
    (req) => {
      const channel = visibleChannel(req);
      requirePermission(
        channel,
        isThread(channel) ? Permission.SendMessagesInThreads : Permission.SendMessages,
      );
      if (isThread(channel) && channel.locked) throw new DiscordHttpError(400, 50083, "Thread is archived");
      const errors = validateMessagePayload(req.body);
      const reference = referencedMessage(ctx, channel, req.body.message_reference, errors);
      errors.throwIfAny();
      const attachments = attachmentsFor(ctx, req.files);
      const fields = {
        content: typeof req.body.content === "string" ? req.body.content : "",
        embeds: Array.isArray(req.body.embeds) ? (req.body.embeds as JsonObject[]) : [],
        components: Array.isArray(req.body.components) ? (req.body.components as JsonObject[]) : [],
        attachments,
      };
      if (isEmptyMessage(fields, req.body)) throw emptyMessage();
      if (isThread(channel)) channel.archived = false;
      const flags = typeof req.body.flags === "number" ? req.body.flags : 0;
      const message = ctx.store.create({
        channel,
        author: ctx.world.bot,
        ...fields,
        flags:
          flags &
          (MESSAGE_FLAG.SuppressEmbeds | MESSAGE_FLAG.SuppressNotifications | MESSAGE_FLAG.ComponentsV2),
        ...(reference ? { reference } : {}),
        allowedMentions: req.body.allowed_mentions,
      });
      return { status: 200, body: ctx.store.toApi(message) };
    },
    { messagePayload: (b) => b },
  );

  router.add(
    "PATCH",
    "/channels/:channelId/messages/:messageId",
    (req) => {
      const channel = visibleChannel(req);
      const message = messageIn(channel, req.params.messageId as string);
      if (message.author.id !== ctx.world.bot.id) throw notAuthor();
      validateMessagePayload(req.body).throwIfAny();
      const attachments = attachmentsFor(ctx, req.files);
      const after = {
        content: "content" in req.body ? String(req.body.content ?? "") : message.content,
        embeds: "embeds" in req.body ? ((req.body.embeds as unknown[] | null) ?? []) : message.embeds,
        components:
          "components" in req.body ? ((req.body.components as unknown[] | null) ?? []) : message.components,
        attachments: [...message.attachments, ...attachments],
      };
      if (isEmptyMessage(after)) throw emptyMessage();
      ctx.store.edit(message, req.body, attachments);
      return { status: 200, body: ctx.store.toApi(message) };
    },
    { messagePayload: (b) => b },
  );

  router.add("DELETE", "/channels/:channelId/messages/:messageId", (req) => {
    const channel = visibleChannel(req);
    const message = messageIn(channel, req.params.messageId as string);
    if (message.author.id !== ctx.world.bot.id) requirePermission(channel, Permission.ManageMessages);
    ctx.store.delete(message);
    return { status: 204 };
  });

  router.add("POST", "/channels/:channelId/typing", (req) => {
    const channel = visibleChannel(req);
    requirePermission(
      channel,
      isThread(channel) ? Permission.SendMessagesInThreads : Permission.SendMessages,
    );
    return { status: 204 };
  });

  router.add("POST", "/channels/:channelId/messages/:messageId/threads", (req) => {
    const channel = visibleChannel(req);
    if (channel.type !== 0)
      throw new DiscordHttpError(400, 50024, "Cannot execute action on this channel type");
    requirePermission(channel, Permission.CreatePublicThreads);
    const message = messageIn(channel, req.params.messageId as string);
    if (message.threadId)
      throw new DiscordHttpError(400, 160004, "A thread has already been created for this message");
    const name = checkThreadName(req.body.name);
    const thread = addThread(ctx.world, channel, {
      name,
      ownerId: ctx.world.bot.id,
      id: message.id,
      ...(typeof req.body.auto_archive_duration === "number"
        ? { autoArchiveDuration: req.body.auto_archive_duration }
        : {}),
    });
    message.threadId = thread.id;
    ctx.announceThread(thread);
    return { status: 201, body: channelToApi(thread) };
  });

  router.add("POST", "/channels/:channelId/threads", (req) => {
    const channel = visibleChannel(req);
    if (channel.type !== 0)
      throw new DiscordHttpError(400, 50024, "Cannot execute action on this channel type");
    const type = typeof req.body.type === "number" ? req.body.type : 12;
    requirePermission(
      channel,
      type === 12 ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads,
    );
    const thread = addThread(ctx.world, channel, {
      name: checkThreadName(req.body.name),
      ownerId: ctx.world.bot.id,
      type,
    });
    ctx.announceThread(thread);
    return { status: 201, body: channelToApi(thread) };
  });

  router.add("PUT", "/channels/:channelId/thread-members/@me", (req) => {
    const channel = visibleChannel(req);
    if (!isThread(channel))
      throw new DiscordHttpError(400, 50024, "Cannot execute action on this channel type");
    return { status: 204 };
  });

  for (const method of ["PUT", "DELETE"] as const) {
    router.add(method, "/channels/:channelId/messages/:messageId/reactions/:emoji/@me", (req) => {
      const channel = visibleChannel(req);
      const message = messageIn(channel, req.params.messageId as string);
      const emoji = req.params.emoji as string;
      if (method === "PUT") {
        requirePermission(channel, Permission.AddReactions);
        if (!message.reactions.includes(emoji)) message.reactions.push(emoji);
      } else {
        message.reactions = message.reactions.filter((e) => e !== emoji);
      }
      return { status: 204 };
    });
  }
}

function checkThreadName(name: unknown): string {
  if (typeof name !== "string" || name.length < 1 || name.length > 100) {
    const errors = new FormErrors();
    errors.add(["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
    errors.throwIfAny();
  }
  return name as string;
}

/** Resolves `message_reference`; an unknown message fails unless `fail_if_not_exists` is false. */
function referencedMessage(
  ctx: FakeContext,
  channel: FakeChannel,
  ref: unknown,
  errors: FormErrors,
): FakeMessage | undefined {
  if (typeof ref !== "object" || ref === null) return undefined;
  const r = ref as JsonObject;
  const target = ctx.store.get(String(r.message_id));
  const sameChannel = target && target.channelId === String(r.channel_id ?? channel.id) && !target.ephemeral;
  if (target && sameChannel) return target;
  if (r.fail_if_not_exists === false) return undefined;
  errors.add(["message_reference"], "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
  return undefined;
}
