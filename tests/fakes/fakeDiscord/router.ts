import type { IncomingMessage, ServerResponse } from "node:http";
import { DiscordHttpError, notFound, unauthorized } from "./discordError.ts";
import type { JsonObject, RecordedRequest, RouteMatcher } from "./types.ts";

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface RouteContext {
  params: Record<string, string>;
  query: Record<string, string>;
  /** The JSON body (or multipart payload_json); {} when there was none. */
  body: JsonObject;
  rawBody: unknown;
  files: UploadedFile[];
  record: RecordedRequest;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  template: string;
  segments: string[];
  /** Needs `Authorization: Bot <token>` (interaction callbacks and webhook-token routes don't). */
  auth: boolean;
  /** Returns the message payload of a request that creates or edits a message, else null. */
  messagePayload: ((body: JsonObject) => JsonObject | null) | undefined;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

/** Decides rate-limit headers for a request, or refuses it (429) before it is handled. */
export type Limiter = (
  request: RecordedRequest,
) => { headers: Record<string, string>; refuse?: DiscordHttpError } | undefined;

interface ScriptedFault {
  matcher: RouteMatcher;
  remaining: number;
  respond: () => DiscordHttpError;
}

const API_PREFIX = "/api/v10";

/** Routes REST requests, records each one with the fake's answer, and plays scripted faults (429s, errors). */
export class Router {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: ScriptedFault[] = [];
  limiter: Limiter | undefined;
  private readonly token: string;
  private readonly clock: () => number;
  private readonly problem: (message: string) => void;
  private readonly changed: () => void;

  constructor(opts: {
    token: string;
    clock: () => number;
    problem: (m: string) => void;
    changed: () => void;
  }) {
    this.token = opts.token;
    this.clock = opts.clock;
    this.problem = opts.problem;
    this.changed = opts.changed;
  }

  add(
    method: string,
    template: string,
    handler: Route["handler"],
    opts: { auth?: boolean; messagePayload?: (body: JsonObject) => JsonObject | null } = {},
  ): void {
    this.routes.push({
      method,
      template,
      segments: template.split("/").filter(Boolean),
      auth: opts.auth ?? true,
      messagePayload: opts.messagePayload,
      handler,
    });
  }

  /** The next `count` requests matching `matcher` get the error `respond()` builds instead of being handled. */
  addFault(matcher: RouteMatcher, count: number, respond: () => DiscordHttpError): void {
    this.faults.push({ matcher, remaining: count, respond });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Stamped first: reading the body takes turns of the event loop that the bot under test may hold up.
    const arrivedAtReal = performance.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const record: RecordedRequest = {
      method,
      url: req.url ?? "/",
      path: url.pathname.startsWith(API_PREFIX)
        ? safeDecode(url.pathname.slice(API_PREFIX.length))
        : url.pathname,
      query: Object.fromEntries(url.searchParams),
      route: null,
      body: undefined,
      files: [],
      sendsMessage: false,
      allowedMentions: undefined,
      at: this.clock(),
      arrivedAtReal,
      status: 0,
      response: undefined,
    };
    this.requests.push(record);
    let result: RouteResult;
    let headers: Record<string, string> = {};
    try {
      const { body, files } = await readBody(req);
      record.body = body;
      record.files = files;
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
        this.problem(`request outside ${API_PREFIX}: ${method} ${url.pathname}`);
        throw notFound();
      }
      const match = this.match(method, record.path);
      if (!match) {
        this.problem(`no fake route for ${method} ${record.path}`);
        throw notFound();
      }
      const { route, params } = match;
      record.route = `${route.method} ${route.template}`;
      const objectBody = isObject(body) ? body : {};
      const payload = route.messagePayload?.(objectBody);
      if (payload) {
        record.sendsMessage = true;
        record.allowedMentions = payload.allowed_mentions;
      }
      const fault = this.faults.find((f) => f.remaining > 0 && requestMatches(f.matcher, record));
      if (fault) {
        fault.remaining -= 1;
        throw fault.respond();
      }
      if (route.auth && req.headers.authorization !== `Bot ${this.token}`) throw unauthorized();
      const limit = this.limiter?.(record);
      if (limit?.refuse) throw limit.refuse;
      if (limit) headers = limit.headers;
      result = await route.handler({
        params,
        query: record.query,
        body: objectBody,
        rawBody: body,
        files,
        record,
      });
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        result = { status: error.status, body: error.toJSON() };
        headers = error.headers;
        record.errorCode = error.code;
      } else {
        // A bug in the fake itself: answer like a Discord outage and make it visible in `problems`.
        this.problem(
          `fake route crashed on ${method} ${record.path}: ${error instanceof Error ? error.stack : String(error)}`,
        );
        result = { status: 500, body: { code: 0, message: "500: Internal Server Error" } };
      }
    }
    record.status = result.status;
    record.response = result.body;
    if (result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
    } else {
      res.writeHead(result.status, { ...headers, "content-type": "application/json" });
      res.end(JSON.stringify(result.body));
    }
    this.changed();
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const segments = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((seg, i) => {
        const actual = segments[i] as string;
        if (seg.startsWith(":")) {
          params[seg.slice(1)] = actual;
          return true;
        }
        return seg === actual;
      });
      if (ok) return { route, params };
    }
    return undefined;
  }
}

/**
 * Whether a recorded request matches: "METHOD /path" where `:x` matches one segment and a trailing `*` the
 * rest (method optional; paths without /api/v10, `@original` decoded), a RegExp tested on "METHOD /path", or
 * a predicate.
 */
export function requestMatches(matcher: RouteMatcher, request: RecordedRequest): boolean {
  if (typeof matcher === "function") return matcher(request);
  if (matcher instanceof RegExp) return matcher.test(`${request.method} ${request.path}`);
  const [first, second] = matcher.trim().split(/\s+/, 2);
  const method = second === undefined ? undefined : first?.toUpperCase();
  const pattern = (second ?? first ?? "").split("/").filter(Boolean);
  if (method && method !== request.method) return false;
  const actual = request.path.split("/").filter(Boolean);
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i] as string;
    if (seg === "*" && i === pattern.length - 1) return actual.length >= i;
    if (i >= actual.length) return false;
    if (!seg.startsWith(":") && seg !== actual[i]) return false;
  }
  return pattern.length === actual.length;
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://127.0.0.1/", {
      method: "POST",
      headers: { "content-type": type },
      body: raw,
    }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = parseJson(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size });
      }
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString("utf8")), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DiscordHttpError(400, 50109, "The request body contains invalid JSON.");
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
