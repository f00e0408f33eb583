import { computePings } from "./pings.ts";
import type { FakeChannel, FakeMessage, FakeUser, JsonObject } from "./types.ts";
import { MESSAGE_FLAG } from "./validateMessage.ts";
import { channelToApi, userToApi, type World } from "./world.ts";

export interface NewMessage {
  channel: FakeChannel;
  author: FakeUser;
  content?: string;
  embeds?: JsonObject[];
  components?: JsonObject[];
  attachments?: JsonObject[];
  flags?: number;
  type?: number;
  reference?: FakeMessage;
  interactionId?: string;
  webhookId?: string;
  allowedMentions?: unknown;
  /** Test users' own messages: ping the replied author (Discord's client default). */
  pingRepliedAuthor?: boolean;
}

export type MessageChange = { kind: "create" | "update" | "delete"; message: FakeMessage };

/** The messages of every channel, in memory, with their edit history. */
export class MessageStore {
  readonly byId = new Map<string, FakeMessage>();
  private readonly byChannel = new Map<string, FakeMessage[]>();
  private readonly world: World;
  private readonly onChange: (change: MessageChange) => void;

  constructor(world: World, onChange: (change: MessageChange) => void) {
    this.world = world;
    this.onChange = onChange;
  }

  create(input: NewMessage): FakeMessage {
    const now = this.world.clock();
    const content = input.content ?? "";
    const embeds = input.embeds ?? [];
    const components = input.components ?? [];
    const flags = input.flags ?? 0;
    const reference = input.reference;
    const replyAuthor = reference && (input.pingRepliedAuthor ?? true) ? reference.author.id : undefined;
    const message: FakeMessage = {
      id: this.world.nextId(),
      channelId: input.channel.id,
      ...(input.channel.guildId ? { guildId: input.channel.guildId } : {}),
      author: input.author,
      content,
      embeds,
      components,
      attachments: input.attachments ?? [],
      flags,
      type: input.type ?? (reference ? 19 : 0),
      createdAt: now,
      editedAt: null,
      ...(reference
        ? {
            reference: {
              messageId: reference.id,
              channelId: reference.channelId,
              ...(reference.guildId ? { guildId: reference.guildId } : {}),
            },
          }
        : {}),
      ...(input.interactionId ? { interactionId: input.interactionId } : {}),
      ...(input.webhookId ? { webhookId: input.webhookId } : {}),
      allowedMentions: input.allowedMentions,
      pings: computePings(content, input.allowedMentions, reference ? replyAuthor : undefined),
      versions: [{ content, embeds, components, flags, at: now }],
      ephemeral: (flags & MESSAGE_FLAG.Ephemeral) !== 0,
      loading: (flags & MESSAGE_FLAG.Loading) !== 0,
      deleted: false,
      reactions: [],
      changedAtReal: performance.now(),
    };
    this.byId.set(message.id, message);
    const list = this.byChannel.get(message.channelId) ?? [];
    list.push(message);
    this.byChannel.set(message.channelId, list);
    if (!message.ephemeral) {
      input.channel.lastMessageId = message.id;
      input.channel.messageCount += 1;
    }
    this.onChange({ kind: "create", message });
    return message;
  }

  /** Applies a PATCH body (content, embeds, components, flags, allowed_mentions, attachments) to a message. */
  edit(message: FakeMessage, body: JsonObject, newAttachments: JsonObject[] = []): FakeMessage {
    const now = this.world.clock();
    if ("content" in body) message.content = typeof body.content === "string" ? body.content : "";
    if ("embeds" in body) message.embeds = Array.isArray(body.embeds) ? (body.embeds as JsonObject[]) : [];
    if ("components" in body)
      message.components = Array.isArray(body.components) ? (body.components as JsonObject[]) : [];
    if (Array.isArray(body.attachments)) {
      const keep = new Set(body.attachments.map((a) => String((a as JsonObject).id)));
      message.attachments = message.attachments.filter((a) => keep.has(String(a.id)));
    }
    message.attachments.push(...newAttachments);
    if (typeof body.flags === "number") {
      // Only embed suppression can be toggled on edit; other flags stay as they were.
      message.flags =
        (message.flags & ~MESSAGE_FLAG.SuppressEmbeds) | (body.flags & MESSAGE_FLAG.SuppressEmbeds);
    }
    message.flags &= ~MESSAGE_FLAG.Loading;
    message.loading = false;
    message.allowedMentions = body.allowed_mentions;
    const replyAuthor = message.reference ? this.byId.get(message.reference.messageId)?.author.id : undefined;
    message.pings = computePings(message.content, body.allowed_mentions, replyAuthor);
    message.editedAt = now;
    message.versions.push({
      content: message.content,
      embeds: message.embeds,
      components: message.components,
      flags: message.flags,
      at: now,
    });
    message.changedAtReal = performance.now();
    this.onChange({ kind: "update", message });
    return message;
  }

  delete(message: FakeMessage): void {
    message.deleted = true;
    message.changedAtReal = performance.now();
    this.onChange({ kind: "delete", message });
  }

  get(id: string): FakeMessage | undefined {
    const m = this.byId.get(id);
    return m && !m.deleted ? m : undefined;
  }

  /** A channel's messages, oldest first; ephemeral ones only when asked for (others can't see them). */
  list(channelId: string, includeEphemeral = false): FakeMessage[] {
    return (this.byChannel.get(channelId) ?? []).filter(
      (m) => !m.deleted && (includeEphemeral || !m.ephemeral),
    );
  }

  all(): FakeMessage[] {
    return [...this.byId.values()];
  }

  /** The message as Discord's API returns it. */
  toApi(message: FakeMessage, withReferenced = true): JsonObject {
    const mentioned = message.pings.users
      .map((id) => this.world.users.get(id))
      .filter((u): u is FakeUser => !!u)
      .map(userToApi);
    const referenced = message.reference ? this.byId.get(message.reference.messageId) : undefined;
    if (message.pings.repliedUser && referenced && !message.pings.users.includes(referenced.author.id))
      mentioned.push(userToApi(referenced.author));
    const interaction = message.interactionId ? this.interactionMetadata?.(message.interactionId) : undefined;
    const thread = message.threadId ? this.world.channels.get(message.threadId) : undefined;
    return {
      id: message.id,
      type: message.type,
      channel_id: message.channelId,
      ...(message.guildId ? { guild_id: message.guildId } : {}),
      author: userToApi(message.author),
      content: message.content,
      timestamp: new Date(message.createdAt).toISOString(),
      edited_timestamp: message.editedAt === null ? null : new Date(message.editedAt).toISOString(),
      tts: false,
      mention_everyone: message.pings.everyone,
      mentions: mentioned,
      mention_roles: message.pings.roles,
      attachments: message.attachments,
      embeds: message.embeds,
      components: message.components,
      reactions: message.reactions.map((emoji) => ({ emoji: { id: null, name: emoji }, count: 1, me: true })),
      pinned: false,
      flags: message.flags,
      ...(message.webhookId
        ? { webhook_id: message.webhookId, application_id: this.world.applicationId }
        : {}),
      ...(interaction ? { interaction_metadata: interaction } : {}),
      ...(message.reference
        ? {
            message_reference: {
              type: 0,
              message_id: message.reference.messageId,
              channel_id: message.reference.channelId,
              ...(message.reference.guildId ? { guild_id: message.reference.guildId } : {}),
            },
          }
        : {}),
      ...(message.type === 19 && withReferenced
        ? { referenced_message: referenced && !referenced.deleted ? this.toApi(referenced, false) : null }
        : {}),
      ...(thread && !thread.deleted ? { thread: channelToApi(thread) } : {}),
    };
  }

  /** Set by the interaction registry so responses carry `interaction_metadata`. */
  interactionMetadata: ((interactionId: string) => JsonObject | undefined) | undefined;
}
