import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { JsonObject } from "./types.ts";
import { guildToApi, memberToApi, userToApi, type World } from "./world.ts";

/** Gateway intent bits the fake looks at. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

/** Privileged intents switched on for the application (Discord's developer portal). */
export interface GrantedIntents {
  messageContent: boolean;
  guildMembers: boolean;
  guildPresences: boolean;
}

interface DispatchFrame {
  op: 0;
  t: string;
  s: number;
  d: JsonObject;
}

/** A gateway session: survives a dropped connection (resume), ends on INVALID_SESSION or a 1000/1001 close. */
export interface GatewaySession {
  id: string;
  intents: number;
  seq: number;
  socket: WebSocket | null;
  invalid: boolean;
  /** READY and every GUILD_CREATE have been sent. */
  ready: boolean;
  /** The latest events, for replay on resume. */
  buffer: DispatchFrame[];
  /** [shard id, shard count] from IDENTIFY ([0, 1] without one): which servers' events it gets. */
  shard: [number, number];
}

/** The shard a server's events go to, by Discord's formula: (guild_id >> 22) % shard count. */
export function guildShard(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** One WebSocket connection the client opened, for assertions. */
export interface GatewayConnection {
  path: string;
  query: Record<string, string>;
  /** "identify", "resume" or null when neither came. */
  start: "identify" | "resume" | null;
  closeCode: number | null;
}

const BUFFER_LIMIT = 5000;

export interface GatewayOptions {
  world: World;
  token: string;
  heartbeatIntervalMs: number;
  grantedIntents: GrantedIntents;
  resumeUrl: () => string;
  problem: (message: string) => void;
  changed: () => void;
}

/**
 * The WebSocket gateway: HELLO, heartbeat ACKs, IDENTIFY → READY + GUILD_CREATE, RESUME → replay + RESUMED,
 * INVALID_SESSION, dispatches with sequence numbers. JSON encoding, no compression (what discord.js asks for
 * when zlib-sync is not installed).
 */
export class Gateway {
  readonly sessions: GatewaySession[] = [];
  readonly connections: GatewayConnection[] = [];
  identifyCount = 0;
  resumeCount = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly opts: GatewayOptions;
  /** Sockets we are closing on purpose, with whether their session stays resumable. */
  private readonly closingByServer = new Map<WebSocket, boolean>();

  constructor(opts: GatewayOptions) {
    this.opts = opts;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const record: GatewayConnection = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      start: null,
      closeCode: null,
    };
    this.connections.push(record);
    let session: GatewaySession | null = null;
    ws.on("close", (code) => {
      record.closeCode = code;
      const resumable = this.closingByServer.get(ws);
      this.closingByServer.delete(ws);
      if (session && session.socket === ws) {
        session.socket = null;
        // A client closing with 1000/1001 ends its session, as on Discord.
        if (resumable === false || (resumable === undefined && (code === 1000 || code === 1001)))
          session.invalid = true;
      }
      this.opts.changed();
    });
    const { v, encoding, compress } = record.query;
    if (v !== "10" || encoding !== "json" || compress !== undefined) {
      this.opts.problem(
        `gateway connection with unsupported query ${url.search} (the fake speaks v=10, encoding=json, no compress)`,
      );
      ws.close(4012, "Unsupported gateway query");
      return;
    }
    send(ws, {
      op: 10,
      d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ["fake-gateway"] },
      s: null,
      t: null,
    });
    ws.on("message", (data, isBinary) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        if (isBinary) throw new Error("binary frame");
        payload = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
      } catch {
        this.opts.problem("gateway frame that is not JSON text");
        ws.close(4002, "Error while decoding payload.");
        return;
      }
      const d = (payload.d ?? {}) as JsonObject;
      switch (payload.op) {
        case 1:
          send(ws, { op: 11, d: null, s: null, t: null });
          return;
        case 2:
          if (session) return void ws.close(4005, "Already authenticated.");
          record.start = "identify";
          session = this.identify(ws, d);
          return;
        case 6:
          if (session) return void ws.close(4005, "Already authenticated.");
          record.start = "resume";
          session = this.resume(ws, d);
          return;
        case 3:
        case 4:
          if (!session) return void ws.close(4003, "Not authenticated.");
          return;
        case 8:
          if (!session) return void ws.close(4003, "Not authenticated.");
          this.sendMemberChunk(session, d);
          return;
        default:
          this.opts.problem(`gateway op ${String(payload.op)} is unknown`);
          ws.close(4001, "Unknown opcode.");
      }
    });
  }

  private identify(ws: WebSocket, d: JsonObject): GatewaySession | null {
    if (!this.tokenMatches(d.token)) {
      this.opts.problem("IDENTIFY with a wrong token");
      ws.close(4004, "Authentication failed.");
      return null;
    }
    const intents = typeof d.intents === "number" ? d.intents : 0;
    const granted = this.opts.grantedIntents;
    const disallowed =
      ((intents & Intent.MessageContent) !== 0 && !granted.messageContent) ||
      ((intents & Intent.GuildMembers) !== 0 && !granted.guildMembers) ||
      ((intents & Intent.GuildPresences) !== 0 && !granted.guildPresences);
    if (disallowed) {
      ws.close(4014, "Disallowed intent(s).");
      return null;
    }
    const shard = parseShard(d.shard);
    if (!shard) {
      ws.close(4010, "Invalid shard.");
      return null;
    }
    const world = this.opts.world;
    const session: GatewaySession = {
      id: randomHex(16),
      intents,
      seq: 0,
      socket: ws,
      invalid: false,
      ready: false,
      buffer: [],
      shard,
    };
    this.sessions.push(session);
    const guilds = [...world.guilds.values()].filter(
      (g) => g.members.has(world.bot.id) && guildShard(g.id, shard[1]) === shard[0],
    );
    this.push(session, "READY", {
      v: 10,
      user: userToApi(world.bot),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: "normal",
      resume_gateway_url: this.opts.resumeUrl(),
      shard,
      application: { id: world.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
      _trace: ["fake-gateway"],
    });
    // Every guild listed in READY must follow as GUILD_CREATE, or discord.js waits 15 s before `ready`.
    for (const guild of guilds) this.push(session, "GUILD_CREATE", guildToApi(world, guild));
    session.ready = true;
    this.identifyCount += 1;
    this.opts.changed();
    return session;
  }

  private resume(ws: WebSocket, d: JsonObject): GatewaySession | null {
    const session = this.sessions.find((s) => s.id === d.session_id);
    const seq = typeof d.seq === "number" ? d.seq : -1;
    const oldest = session?.buffer[0]?.s ?? 1;
    if (!session || session.invalid || !this.tokenMatches(d.token) || seq > session.seq || seq < oldest - 1) {
      if (session) session.invalid = true;
      // d: false = not resumable; the client reconnects and identifies again.
      send(ws, { op: 9, d: false, s: null, t: null });
      return null;
    }
    if (session.socket && session.socket !== ws) {
      this.closingByServer.set(session.socket, true);
      session.socket.close(4000, "Session resumed elsewhere");
    }
    session.socket = ws;
    for (const frame of session.buffer) if (frame.s > seq) send(ws, frame);
    send(ws, { op: 0, t: "RESUMED", s: null, d: { _trace: ["fake-gateway"] } });
    this.resumeCount += 1;
    this.opts.changed();
    return session;
  }

  private sendMemberChunk(session: GatewaySession, d: JsonObject): void {
    const guild = this.opts.world.guilds.get(String(d.guild_id));
    if (!guild) return;
    const ids = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === "string"
        ? [d.user_ids]
        : null;
    const query = typeof d.query === "string" ? d.query.toLowerCase() : "";
    const members = [...guild.members.values()].filter((m) =>
      ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
    );
    this.push(session, "GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members: members.map((m) => memberToApi(m)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: ids ? ids.filter((id) => !guild.members.has(id)) : [],
      ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
    });
  }

  private tokenMatches(token: unknown): boolean {
    return typeof token === "string" && token.replace(/^Bot\s+/i, "") === this.opts.token;
  }

  /**
   * Appends a dispatch to a session (sequence number, replay buffer) and sends it when connected;
   * `onWrite` runs just before the serialised frame is handed to the socket.
   */
  private push(session: GatewaySession, t: string, d: JsonObject, onWrite?: () => void): Promise<void> {
    session.seq += 1;
    const frame: DispatchFrame = { op: 0, t, s: session.seq, d };
    session.buffer.push(frame);
    if (session.buffer.length > BUFFER_LIMIT) session.buffer.shift();
    const socket = session.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    const text = JSON.stringify(frame);
    onWrite?.();
    return new Promise((resolve) => socket.send(text, () => resolve()));
  }

  /** Live sessions: connected, or disconnected but resumable. */
  liveSessions(): GatewaySession[] {
    return this.sessions.filter((s) => !s.invalid);
  }

  /**
   * Sends an event to every live session of the shard it belongs to (a server's events to that
   * server's shard, anything else, DMs included, to shard 0, as Discord routes them); `build` shapes it
   * per session (intents) or returns null to skip that session. Resolves when the frames are written;
   * `onWrite` runs as each is handed to its socket.
   */
  async dispatch(
    t: string,
    build: (session: GatewaySession) => JsonObject | null,
    onWrite?: () => void,
  ): Promise<number> {
    const writes: Promise<void>[] = [];
    for (const session of this.liveSessions()) {
      const d = build(session);
      if (d && receives(session, d)) writes.push(this.push(session, t, d, onWrite));
    }
    await Promise.all(writes);
    return writes.length;
  }

  connectedSessions(): GatewaySession[] {
    return this.liveSessions().filter((s) => s.ready && s.socket?.readyState === WebSocket.OPEN);
  }

  /** Closes every client connection; with `resumable` the sessions stay and buffer events for RESUME. */
  async disconnect(code: number, resumable: boolean): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const session of this.liveSessions()) {
      const socket = session.socket;
      if (!resumable) session.invalid = true;
      if (!socket) continue;
      this.closingByServer.set(socket, resumable);
      closing.push(new Promise((resolve) => socket.once("close", () => resolve())));
      socket.close(code, "Disconnected by the fake");
    }
    await Promise.all(closing);
  }

  /** Sends op 7 RECONNECT: the client closes and resumes. */
  requestReconnect(): void {
    for (const s of this.connectedSessions())
      if (s.socket) send(s.socket, { op: 7, d: null, s: null, t: null });
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** [id, count] from IDENTIFY's `shard`; [0, 1] when absent; undefined when invalid. */
function parseShard(shard: unknown): [number, number] | undefined {
  if (shard === undefined || shard === null) return [0, 1];
  if (!Array.isArray(shard) || shard.length !== 2) return undefined;
  const [id, count] = shard;
  if (!Number.isInteger(id) || !Number.isInteger(count) || count < 1 || id < 0 || id >= count)
    return undefined;
  return [id, count];
}

function receives(session: GatewaySession, d: JsonObject): boolean {
  const [id, count] = session.shard;
  return typeof d.guild_id === "string" ? guildShard(d.guild_id, count) === id : id === 0;
}

function send(ws: WebSocket, payload: object): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}
