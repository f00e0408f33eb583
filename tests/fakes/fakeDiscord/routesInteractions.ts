import { attachmentsFor, type FakeContext } from "./context.ts";
import {
  alreadyAcknowledged,
  DiscordHttpError,
  emptyMessage,
  FormErrors,
  invalidWebhookToken,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from "./discordError.ts";
import type { FakeInteraction } from "./interactions.ts";
import type { RouteContext, Router } from "./router.ts";
import type { FakeMessage, JsonObject } from "./types.ts";
import { isEmptyMessage, MESSAGE_FLAG, validateMessagePayload } from "./validateMessage.ts";

const asObject = (v: unknown): JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};

/** Callback types each interaction kind accepts. */
const ALLOWED_CALLBACKS = { command: [4, 5, 9], component: [4, 5, 6, 7, 9] } as const;

/** Interaction callbacks and the interaction webhook (`@original`, follow-ups), with Discord's deadlines. */
export function registerInteractionRoutes(router: Router, ctx: FakeContext): void {
  router.add(
    "POST",
    "/interactions/:interactionId/:token/callback",
    (req) => {
      const interaction = ctx.interactions.get(req.params.interactionId as string);
      try {
        if (!interaction || interaction.token !== req.params.token) throw unknownInteraction();
        return respond(ctx, interaction, req);
      } catch (error) {
        if (error instanceof DiscordHttpError)
          interaction?.callbackAttempts.push({
            type: req.body.type,
            status: error.status,
            errorCode: error.code,
          });
        throw error;
      }
    },
    {
      auth: false,
      messagePayload: (body) => (body.type === 4 || body.type === 7 ? asObject(body.data) : null),
    },
  );

  const webhook = "/webhooks/:applicationId/:token";
  router.add("POST", webhook, (req) => followUp(ctx, req), { auth: false, messagePayload: (b) => b });
  router.add(
    "GET",
    `${webhook}/messages/:messageId`,
    (req) => ({
      status: 200,
      body: ctx.store.toApi(webhookMessage(ctx, req)),
    }),
    { auth: false },
  );
  router.add("PATCH", `${webhook}/messages/:messageId`, (req) => editWebhookMessage(ctx, req), {
    auth: false,
    messagePayload: (b) => b,
  });
  router.add(
    "DELETE",
    `${webhook}/messages/:messageId`,
    (req) => {
      ctx.store.delete(webhookMessage(ctx, req));
      return { status: 204 };
    },
    { auth: false },
  );
}

function respond(ctx: FakeContext, interaction: FakeInteraction, req: RouteContext) {
  if (interaction.response) throw alreadyAcknowledged();
  if (ctx.clock() - interaction.createdAt > ctx.interactionDeadlineMs) throw unknownInteraction();
  const type = typeof req.body.type === "number" ? req.body.type : -1;
  const allowed: readonly number[] = ALLOWED_CALLBACKS[interaction.kind];
  if (!allowed.includes(type)) {
    const errors = new FormErrors();
    errors.add(
      ["type"],
      "INTERACTION_RESPONSE_TYPE_INVALID",
      `Interaction response type must be one of (${allowed.join(", ")}).`,
    );
    errors.throwIfAny();
  }
  const data = asObject(req.body.data);
  const channel = ctx.world.channels.get(interaction.channelId);
  if (!channel) throw unknownInteraction();
  const bot = ctx.world.bot;
  const flags = typeof data.flags === "number" ? data.flags : 0;
  const common = {
    channel,
    author: bot,
    interactionId: interaction.id,
    webhookId: ctx.world.applicationId,
  };
  if (type === 4 || type === 7) validateMessagePayload(data).throwIfAny();
  const attachments = attachmentsFor(ctx, req.files);
  if (type === 4) {
    const fields = messageFields(data, attachments);
    if (isEmptyMessage(fields, data)) throw emptyMessage();
    const message = ctx.store.create({
      ...common,
      ...fields,
      flags:
        flags &
        (MESSAGE_FLAG.Ephemeral |
          MESSAGE_FLAG.SuppressEmbeds |
          MESSAGE_FLAG.SuppressNotifications |
          MESSAGE_FLAG.ComponentsV2),
      type: interaction.kind === "command" ? 20 : 0,
      allowedMentions: data.allowed_mentions,
    });
    interaction.originalMessageId = message.id;
  } else if (type === 5) {
    // The "thinking…" placeholder: a loading message that the first edit (or follow-up) fills in.
    const message = ctx.store.create({
      ...common,
      flags: MESSAGE_FLAG.Loading | (flags & MESSAGE_FLAG.Ephemeral),
      type: interaction.kind === "command" ? 20 : 0,
    });
    interaction.originalMessageId = message.id;
  } else if (type === 6 || type === 7) {
    const source = interaction.sourceMessageId ? ctx.store.get(interaction.sourceMessageId) : undefined;
    if (!source) throw unknownMessage();
    if (type === 7) {
      checkNotEmptyAfterEdit(source, data, attachments);
      ctx.store.edit(source, data, attachments);
    }
    interaction.originalMessageId = source.id;
  } else if (type === 9) {
    const errors = new FormErrors();
    if (typeof data.custom_id !== "string" || data.custom_id.length === 0)
      errors.add(["data", "custom_id"], "BASE_TYPE_REQUIRED", "This field is required");
    if (typeof data.title !== "string" || data.title.length === 0 || data.title.length > 45)
      errors.add(["data", "title"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.");
    if (!Array.isArray(data.components) || data.components.length < 1 || data.components.length > 5)
      errors.add(["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    errors.throwIfAny();
  }
  interaction.response = { type, data: req.body.data === undefined ? undefined : data, at: ctx.clock() };
  interaction.respondedAtReal = req.record.arrivedAtReal;
  interaction.changedAtReal = performance.now();
  interaction.callbackAttempts.push({ type, status: req.query.with_response === "true" ? 200 : 204 });
  if (req.query.with_response !== "true") return { status: 204 };
  const original = interaction.original();
  return {
    status: 200,
    body: {
      interaction: {
        id: interaction.id,
        type: interaction.kind === "command" ? 2 : 3,
        response_message_id: original?.id,
        response_message_loading: original?.loading ?? false,
        response_message_ephemeral: original?.ephemeral ?? false,
      },
      resource: { type, ...(original && type !== 6 ? { message: ctx.store.toApi(original) } : {}) },
    },
  };
}

function messageFields(data: JsonObject, attachments: JsonObject[]) {
  return {
    content: typeof data.content === "string" ? data.content : "",
    embeds: Array.isArray(data.embeds) ? (data.embeds as JsonObject[]) : [],
    components: Array.isArray(data.components) ? (data.components as JsonObject[]) : [],
    attachments,
  };
}

/** An edit may not leave a message with nothing in it (Discord answers 50006). */
function checkNotEmptyAfterEdit(message: FakeMessage, body: JsonObject, newAttachments: JsonObject[]): void {
  const after = {
    content: "content" in body ? (typeof body.content === "string" ? body.content : "") : message.content,
    embeds: "embeds" in body ? (Array.isArray(body.embeds) ? body.embeds : []) : message.embeds,
    components:
      "components" in body ? (Array.isArray(body.components) ? body.components : []) : message.components,
    attachments: [
      ...(Array.isArray(body.attachments)
        ? message.attachments.filter((a) =>
            (body.attachments as JsonObject[]).some((k) => String(k.id) === String(a.id)),
          )
        : message.attachments),
      ...newAttachments,
    ],
  };
  if (isEmptyMessage(after)) throw emptyMessage();
}

/** The interaction behind a webhook URL: unknown or older than the token lifetime (15 min) is refused. */
function webhookInteraction(ctx: FakeContext, req: RouteContext): FakeInteraction {
  if (req.params.applicationId !== ctx.world.applicationId) throw unknownWebhook();
  const interaction = ctx.interactions.withToken(req.params.token as string);
  if (!interaction) throw invalidWebhookToken();
  if (ctx.clock() - interaction.createdAt > ctx.webhookTokenLifetimeMs) throw invalidWebhookToken();
  return interaction;
}

function webhookMessage(ctx: FakeContext, req: RouteContext): FakeMessage {
  const interaction = webhookInteraction(ctx, req);
  const id = req.params.messageId === "@original" ? interaction.originalMessageId : req.params.messageId;
  if (!id || !interaction.response) throw unknownMessage();
  if (id !== interaction.originalMessageId && !interaction.followUpIds.includes(id)) throw unknownMessage();
  const message = ctx.store.get(id);
  if (!message) throw unknownMessage();
  return message;
}

function editWebhookMessage(ctx: FakeContext, req: RouteContext) {
  const message = webhookMessage(ctx, req);
  validateMessagePayload(req.body).throwIfAny();
  const attachments = attachmentsFor(ctx, req.files);
  checkNotEmptyAfterEdit(message, req.body, attachments);
  ctx.store.edit(message, req.body, attachments);
  touch(ctx, message.id);
  return { status: 200, body: ctx.store.toApi(message) };
}

function followUp(ctx: FakeContext, req: RouteContext) {
  const interaction = webhookInteraction(ctx, req);
  // The interaction's webhook exists only once the interaction has been acknowledged.
  if (!interaction.response) throw unknownWebhook();
  validateMessagePayload(req.body).throwIfAny();
  const attachments = attachmentsFor(ctx, req.files);
  const fields = messageFields(req.body, attachments);
  if (isEmptyMessage(fields, req.body)) throw emptyMessage();
  const original = interaction.original();
  let message: FakeMessage;
  if (original?.loading && interaction.response.type === 5) {
    // Discord: the first follow-up after a deferred reply edits the "thinking…" message instead.
    message = ctx.store.edit(original, req.body, attachments);
  } else {
    const channel = ctx.world.channels.get(interaction.channelId);
    if (!channel) throw unknownWebhook();
    const flags = typeof req.body.flags === "number" ? req.body.flags : 0;
    message = ctx.store.create({
      channel,
      author: ctx.world.bot,
      ...fields,
      flags:
        flags &
        (MESSAGE_FLAG.Ephemeral |
          MESSAGE_FLAG.SuppressEmbeds |
          MESSAGE_FLAG.SuppressNotifications |
          MESSAGE_FLAG.ComponentsV2),
      type: 0,
      interactionId: interaction.id,
      webhookId: ctx.world.applicationId,
      allowedMentions: req.body.allowed_mentions,
    });
    interaction.followUpIds.push(message.id);
  }
  interaction.changedAtReal = performance.now();
  return req.query.wait === "true" ? { status: 200, body: ctx.store.toApi(message) } : { status: 204 };
}

function touch(ctx: FakeContext, messageId: string): void {
  const interaction = ctx.interactions.ofMessage(messageId);
  if (interaction) interaction.changedAtReal = performance.now();
}
