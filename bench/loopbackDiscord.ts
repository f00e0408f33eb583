// A minimal Discord (REST + gateway) on 127.0.0.1 for timing the real discord.js client and the real
// bot: just enough of the protocol to log in, receive /ask interactions and accept their deferrals,
// edits and follow-ups. It stamps the moment each INTERACTION_CREATE leaves and the moment its
// acknowledgement arrives, on the same clock.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type WebSocket, WebSocketServer } from "ws";

export interface SentInteraction {
  id: string;
  /** Milliseconds from the event leaving the gateway to the acknowledgement callback arriving. */
  acked: Promise<number>;
  /** Settles when the final answer (the message with its buttons) or a failure line has been posted. */
  done: Promise<void>;
}

export interface LoopbackDiscord {
  /** For DISCORD_API_URL. */
  readonly apiUrl: string;
  readonly token: string;
  readonly guildId: string;
  readonly channelId: string;
  /** Resolves once a client has identified and been sent READY and the guild. */
  connected(): Promise<void>;
  /** Sends an /ask interaction from that user over the gateway. */
  ask(question: string, userId: string): SentInteraction;
  /** Answers that ended in a failure line rather than an answer, and requests to routes it does not know. */
  problems(): string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface Pending {
  sentAt: number;
  ack: (ms: number) => void;
  fail: (error: Error) => void;
  finish: () => void;
}

const API_PREFIX = "/api/v10";
const HEARTBEAT_INTERVAL_MS = 41_250;
// Fixed timestamps: nothing in the benchmark depends on them.
const TIMESTAMP = "2026-03-01T12:00:00.000Z";
const DISCORD_EPOCH = 1_420_070_400_000n;

export async function startLoopbackDiscord(): Promise<LoopbackDiscord> {
  let counter = 0n;
  const base = (BigInt(Date.parse(TIMESTAMP)) - DISCORD_EPOCH) << 22n;
  const snowflake = () => String(base + ++counter);
  const token = `bench.${randomBytes(12).toString("hex")}`;
  const applicationId = snowflake();
  const guildId = snowflake();
  const channelId = snowflake();
  const commandId = snowflake();
  const botUser = {
    id: applicationId,
    username: "storybot",
    discriminator: "0",
    global_name: null,
    avatar: null,
    bot: true,
  };

  const pending = new Map<string, Pending>();
  const messageIds = new Map<string, string>();
  const problems: string[] = [];
  const sockets = new Set<WebSocket>();
  let sequence = 0;
  let socket: WebSocket | undefined;
  const isConnected = deferred<void>();

  const server = createServer((request, response) => {
    // Stamped before the body is read: the callback has arrived.
    const arrivedAt = performance.now();
    readBody(request)
      .then((body) => route(request, body, arrivedAt, response))
      .catch((error: unknown) => {
        problems.push(`loopback Discord failed on ${request.method} ${request.url}: ${String(error)}`);
        send(response, 500, { message: "internal error", code: 0 });
      });
  });
  const gateway = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, stream, head) => {
    gateway.handleUpgrade(request, stream, head, (ws) => gateway.emit("connection", ws, request));
  });
  gateway.on("connection", (ws: WebSocket) => {
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS }, s: null, t: null }));
    ws.on("message", (data) => onGatewayMessage(ws, JSON.parse(String(data)) as { op: number; d: unknown }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  function dispatch(ws: WebSocket, event: string, data: Json): void {
    ws.send(JSON.stringify({ op: 0, t: event, s: ++sequence, d: data }));
  }

  function onGatewayMessage(ws: WebSocket, payload: { op: number; d: unknown }): void {
    if (payload.op === 1) {
      ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    } else if (payload.op === 2) {
      socket = ws;
      dispatch(ws, "READY", {
        v: 10,
        user: { ...botUser, verified: true, mfa_enabled: false, flags: 0 },
        guilds: [{ id: guildId, unavailable: true }],
        session_id: randomBytes(8).toString("hex"),
        resume_gateway_url: `ws://127.0.0.1:${port}`,
        shard: [0, 1],
        application: { id: applicationId, flags: 0 },
      });
      dispatch(ws, "GUILD_CREATE", guildPayload());
      isConnected.resolve();
    }
  }

  function guildPayload(): Json {
    return {
      id: guildId,
      name: "Benchmark",
      icon: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: guildId,
          name: "@everyone",
          permissions: "2248473465835073",
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      joined_at: TIMESTAMP,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [{ user: botUser, roles: [], joined_at: TIMESTAMP, deaf: false, mute: false, flags: 0 }],
      channels: [
        {
          id: channelId,
          type: 0,
          name: "news",
          position: 0,
          permission_overwrites: [],
          parent_id: null,
          topic: null,
          nsfw: false,
          last_message_id: null,
          rate_limit_per_user: 0,
        },
      ],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      premium_tier: 0,
      preferred_locale: "en-US",
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      description: null,
      banner: null,
      splash: null,
      discovery_splash: null,
      vanity_url_code: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
    };
  }

  function interactionPayload(id: string, interactionToken: string, question: string, userId: string): Json {
    const user = {
      id: userId,
      username: `reader${userId.slice(-4)}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
    };
    return {
      id,
      application_id: applicationId,
      type: 2,
      token: interactionToken,
      version: 1,
      guild_id: guildId,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: guildId, name: "news", permissions: "2248473465835073" },
      member: {
        user,
        roles: [],
        joined_at: TIMESTAMP,
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        nick: null,
        avatar: null,
        premium_since: null,
        communication_disabled_until: null,
        permissions: "2248473465835073",
      },
      data: {
        id: commandId,
        name: "ask",
        type: 1,
        guild_id: guildId,
        options: [{ name: "question", type: 3, value: question }],
      },
      app_permissions: "2248473465835073",
      locale: "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": guildId },
      context: 0,
      attachment_size_limit: 10_485_760,
    };
  }

  function message(content: unknown, body: Json, id = snowflake()): Json {
    return {
      id,
      type: 20,
      channel_id: channelId,
      guild_id: guildId,
      author: botUser,
      content: typeof content === "string" ? content : "",
      timestamp: TIMESTAMP,
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: Array.isArray(body.components) ? body.components : [],
      pinned: false,
      flags: typeof body.flags === "number" ? body.flags : 0,
      webhook_id: applicationId,
      application_id: applicationId,
    };
  }

  /** The final answer carries the buttons; an ephemeral follow-up is a failure line. */
  function noteProgress(interactionToken: string, body: Json): void {
    const entry = pending.get(interactionToken);
    if (!entry) return;
    const flags = typeof body.flags === "number" ? body.flags : 0;
    if (flags & 64) {
      problems.push(`an interaction got a failure line instead of an answer: ${String(body.content)}`);
      entry.finish();
    } else if (Array.isArray(body.components) && body.components.length > 0) {
      entry.finish();
    }
  }

  function route(request: IncomingMessage, body: Json, arrivedAt: number, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", origin);
    const method = request.method ?? "GET";
    const parts = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length).split("/") : [];
    const [, first, second, third, fourth, fifth] = parts;
    const key = `${method} /${first ?? ""}`;

    if (method === "GET" && first === "gateway") {
      send(response, 200, {
        url: `ws://127.0.0.1:${port}`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    } else if (key === "GET /applications" && second === "@me") {
      send(response, 200, { id: applicationId, name: "storybot", flags: 0, bot_public: true });
    } else if (key === "PUT /applications") {
      const commands = Array.isArray(body) ? body : [];
      send(
        response,
        200,
        commands.map((command: Json) => ({ ...command, id: snowflake(), application_id: applicationId })),
      );
    } else if (key === "POST /interactions" && fourth === "callback" && third) {
      const entry = pending.get(third);
      if (entry) {
        if (body.type === 5) entry.ack(arrivedAt - entry.sentAt);
        else
          entry.fail(new Error(`interaction answered with type ${String(body.type)} instead of a deferral`));
      }
      send(response, 204);
    } else if (key === "PATCH /webhooks" && third && fourth === "messages" && fifth) {
      const id = messageIds.get(third) ?? snowflake();
      messageIds.set(third, id);
      noteProgress(third, body);
      send(response, 200, message(body.content, body, id));
    } else if (key === "POST /webhooks" && third) {
      noteProgress(third, body);
      send(response, 200, message(body.content, body));
    } else if ((key === "DELETE /webhooks" || key === "GET /webhooks") && third) {
      if (method === "DELETE") send(response, 204);
      else send(response, 200, message("", {}, messageIds.get(third)));
    } else if (key === "POST /channels" && third === "messages") {
      send(response, 200, message(body.content, body));
    } else {
      problems.push(`unexpected request ${method} ${url.pathname}`);
      send(response, 404, { message: "404: Not Found", code: 0 });
    }
  }

  return {
    apiUrl: `${origin}/api`,
    token,
    guildId,
    channelId,
    connected: () => isConnected.promise,

    ask(question, userId) {
      const ws = socket;
      if (!ws) throw new Error("no client is connected to the loopback Discord");
      const id = snowflake();
      const interactionToken = `itoken.${id}`;
      const acked = deferred<number>();
      const done = deferred<void>();
      const entry: Pending = {
        sentAt: 0,
        ack: acked.resolve,
        fail: (error) => {
          acked.reject(error);
          entry.finish();
        },
        finish: () => {
          pending.delete(interactionToken);
          done.resolve();
        },
      };
      pending.set(interactionToken, entry);
      const frame = JSON.stringify({
        op: 0,
        t: "INTERACTION_CREATE",
        s: ++sequence,
        d: interactionPayload(id, interactionToken, question, userId),
      });
      entry.sentAt = performance.now();
      ws.send(frame);
      return { id, acked: acked.promise, done: done.promise };
    },

    problems: () => [...problems],

    async close() {
      for (const ws of sockets) ws.terminate();
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

async function readBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  const text = Buffer.concat(chunks).toString("utf8");
  if (/^multipart\//.test(request.headers["content-type"] ?? "")) {
    // Messages with files carry their JSON in the payload_json part.
    const json = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(text)?.[1];
    return json ? (JSON.parse(json) as Json) : {};
  }
  return JSON.parse(text) as Json;
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const json = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
  });
  response.end(json);
}
