// A loopback OpenAI-compatible server for tests: POST /v1/responses, /v1/chat/completions (streamed
// and not) and /v1/embeddings, speaking the wire formats @ai-sdk/openai parses. Each test scripts
// the replies with a responder and inspects every request the server received.
//
//   const fake = await startFakeOpenAI();
//   fake.setResponder((req) => (req.text.includes("Istanbul") ? "They met in Istanbul [1]." : { kind: "hang" }));
//   const { model } = createModel(parseConfig({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.url }));
//   ... fake.requests[0].messages ...
//   await fake.close();
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contentTerms } from "../../src/text/words.ts";

export type FakeApi = "responses" | "chat" | "embeddings";

export interface FakeMessage {
  role: string;
  content: string;
}

export interface FakeRequest {
  api: FakeApi;
  /** The parsed JSON body, or undefined when the body was not JSON. */
  body: Record<string, unknown> | undefined;
  /** True when the client asked for a streamed (SSE) reply. */
  stream: boolean;
  /** Prompt messages (system/developer, user, assistant) as role and plain text; for embeddings, one user message per input. */
  messages: FakeMessage[];
  /** Every message's text joined by blank lines: handy for "the prompt contains ..." assertions. */
  text: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived, to check how long a client waited between attempts. */
  receivedAt: number;
}

/**
 * What the server does with one request.
 * - a string: shorthand for `{ kind: "text", text }`.
 * - text: a normal answer; streamed in pieces of `chunkChars` characters, `delayMs` apart.
 * - refusal: the model refuses (chat `delta.refusal`, responses `response.refusal.delta`).
 * - error: an HTTP error with an OpenAI error body; `retryAfter` (seconds, may be fractional) sets `retry-after`.
 * - hang: the server never answers (not even headers) until the client gives up or the server closes.
 * - dieMidway: streams the first half of `text`, then destroys the socket.
 * - malformed: a 200 whose body is not valid JSON (or an SSE stream of invalid events).
 * For /v1/embeddings every reply that is not a failure (error, hang, dieMidway, malformed) returns the
 * deterministic vectors of `embed()`.
 */
export type FakeReply =
  | string
  | { kind: "text"; text: string; chunkChars?: number; delayMs?: number }
  | { kind: "refusal"; text: string }
  | { kind: "error"; status: number; retryAfter?: number; message?: string }
  | { kind: "hang" }
  | { kind: "dieMidway"; text: string }
  | { kind: "malformed" };

export type Responder = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** Base URL for OPENAI_BASE_URL, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  /** Every request received, in order of arrival (live array). */
  requests: FakeRequest[];
  setResponder(responder: Responder): void;
  /** Closes the server and drops open connections (hanging requests included). */
  close(): Promise<void>;
}

/** Default reply: the answer a well-behaved model gives when nothing was scripted. */
export const DEFAULT_REPLY = "The story doesn't say.";

/** Dimensions of the fake embeddings unless the request asks for others. */
export const EMBEDDING_DIMENSIONS = 256;

const PATHS: Record<string, FakeApi> = {
  "/v1/responses": "responses",
  "/v1/chat/completions": "chat",
  "/v1/embeddings": "embeddings",
};

export async function startFakeOpenAI(options: { responder?: Responder } = {}): Promise<FakeOpenAI> {
  let responder: Responder = options.responder ?? (() => DEFAULT_REPLY);
  const requests: FakeRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(String(error)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const api = req.method === "POST" ? PATHS[(req.url ?? "").split("?")[0] ?? ""] : undefined;
    const raw = await readBody(req);
    if (!api) {
      sendJson(res, 404, errorBody(`No route for ${req.method} ${req.url}`));
      return;
    }
    const body = parseJson(raw);
    const messages = api === "embeddings" ? embeddingInputs(body) : promptMessages(api, body);
    const request: FakeRequest = {
      api,
      body,
      stream: body?.stream === true,
      messages,
      text: messages.map((m) => m.content).join("\n\n"),
      headers: req.headers,
      receivedAt: performance.now(),
    };
    requests.push(request);
    const scripted = await responder(request);
    const reply = typeof scripted === "string" ? ({ kind: "text", text: scripted } as const) : scripted;
    await sendReply(res, request, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setResponder(next) {
      responder = next;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * The fake embedding of a text: a hashed bag of stemmed content words, L2-normalised, so texts sharing
 * words are close and retrieval can be tested end to end without a real model.
 */
export function embed(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const term of contentTerms(text)) {
    const hash = createHash("sha1").update(term).digest();
    const index = hash.readUInt32BE(0) % dimensions;
    vector[index] = (vector[index] ?? 0) + ((hash[4] ?? 0) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

async function sendReply(
  res: ServerResponse,
  request: FakeRequest,
  reply: Exclude<FakeReply, string>,
): Promise<void> {
  switch (reply.kind) {
    case "hang":
      return; // The socket stays open until the client aborts or the server closes.
    case "error": {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
      sendJson(res, reply.status, errorBody(reply.message ?? `Fake error ${reply.status}`), headers);
      return;
    }
    case "malformed":
      if (request.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end('data: {"choices": [{"delta": {"content": "unterminated\n\ndata: <html>oops</html>\n\n');
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id": "broken", "output": [');
      }
      return;
    case "dieMidway": {
      const half = reply.text.slice(0, Math.ceil(reply.text.length / 2));
      if (request.api === "embeddings" || !request.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"id": "cut", "object": "');
      } else {
        const events = streamEvents(request.api, half, { finished: false });
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const event of events) res.write(event);
      }
      // Let the written bytes reach the client before the connection drops.
      await sleep(20);
      res.destroy();
      return;
    }
    case "text":
    case "refusal": {
      if (request.api === "embeddings") {
        sendJson(res, 200, embeddingsBody(request));
        return;
      }
      const refusal = reply.kind === "refusal";
      if (!request.stream) {
        sendJson(res, 200, completeBody(request.api, reply.text, refusal));
        return;
      }
      const chunkChars = reply.kind === "text" ? (reply.chunkChars ?? 8) : 8;
      const delayMs = reply.kind === "text" ? (reply.delayMs ?? 0) : 0;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const event of streamEvents(request.api, reply.text, { finished: true, refusal, chunkChars })) {
        if (res.destroyed) return;
        res.write(event);
        if (delayMs > 0) await sleep(delayMs);
      }
      res.end();
      return;
    }
  }
}

const MODEL = "fake-model";
const CREATED = 1_700_000_000;

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += Math.max(1, size)) out.push(text.slice(i, i + size));
  return out;
}

function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}

/** The SSE events of one streamed answer, in the API's own format; `finished: false` stops before the end. */
function streamEvents(
  api: "responses" | "chat",
  text: string,
  options: { finished: boolean; refusal?: boolean; chunkChars?: number },
): string[] {
  const parts = pieces(text, options.chunkChars ?? 8);
  return api === "chat" ? chatEvents(parts, options) : responsesEvents(parts, text, options);
}

function chatEvents(
  parts: string[],
  { finished, refusal }: { finished: boolean; refusal?: boolean },
): string[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const events = [sse(chunk({ role: "assistant", content: "" }, null))];
  for (const part of parts) events.push(sse(chunk(refusal ? { refusal: part } : { content: part }, null)));
  if (!finished) return events;
  events.push(sse(chunk({}, "stop")));
  events.push(
    sse({
      id: "chatcmpl-fake",
      object: "chat.completion.chunk",
      created: CREATED,
      model: MODEL,
      choices: [],
      usage: { prompt_tokens: 100, completion_tokens: parts.length, total_tokens: 100 + parts.length },
    }),
  );
  events.push(sse("[DONE]"));
  return events;
}

function responsesEvents(
  parts: string[],
  text: string,
  { finished, refusal }: { finished: boolean; refusal?: boolean },
): string[] {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) =>
    sse({ type, sequence_number: sequence++, ...fields }, type);
  const itemId = "msg_fake";
  const response = (status: string, output: unknown[]) => ({
    id: "resp_fake",
    object: "response",
    created_at: CREATED,
    model: MODEL,
    status,
    output,
  });
  const content = refusal
    ? { type: "refusal", refusal: text }
    : { type: "output_text", text, annotations: [] };
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const events = [
    event("response.created", { response: response("in_progress", []) }),
    event("response.in_progress", { response: response("in_progress", []) }),
    event("response.output_item.added", {
      output_index: 0,
      item: { type: "message", id: itemId, status: "in_progress", role: "assistant", content: [] },
    }),
    event("response.content_part.added", {
      ...at,
      part: refusal ? { type: "refusal", refusal: "" } : { type: "output_text", text: "", annotations: [] },
    }),
  ];
  for (const part of parts) {
    events.push(
      event(refusal ? "response.refusal.delta" : "response.output_text.delta", { ...at, delta: part }),
    );
  }
  if (!finished) return events;
  const item = { type: "message", id: itemId, status: "completed", role: "assistant", content: [content] };
  events.push(
    refusal
      ? event("response.refusal.done", { ...at, refusal: text })
      : event("response.output_text.done", { ...at, text }),
    event("response.content_part.done", { ...at, part: content }),
    event("response.output_item.done", { output_index: 0, item }),
    event("response.completed", {
      response: { ...response("completed", [item]), usage: responsesUsage(parts.length) },
    }),
  );
  return events;
}

function responsesUsage(outputTokens: number) {
  return {
    input_tokens: 100,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 100 + outputTokens,
  };
}

/** The non-streamed body of one answer, in the API's own format. */
function completeBody(api: "responses" | "chat", text: string, refusal: boolean): unknown {
  if (api === "chat") {
    return {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: CREATED,
      model: MODEL,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: refusal ? null : text, refusal: refusal ? text : null },
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
    };
  }
  return {
    id: "resp_fake",
    object: "response",
    created_at: CREATED,
    model: MODEL,
    status: "completed",
    output: [
      {
        type: "message",
        id: "msg_fake",
        status: "completed",
        role: "assistant",
        content: [
          refusal ? { type: "refusal", refusal: text } : { type: "output_text", text, annotations: [] },
        ],
      },
    ],
    usage: responsesUsage(10),
  };
}

function embeddingsBody(request: FakeRequest): unknown {
  const requested = request.body?.dimensions;
  const dimensions = typeof requested === "number" && requested > 0 ? requested : EMBEDDING_DIMENSIONS;
  return {
    object: "list",
    model: request.body?.model ?? MODEL,
    data: request.messages.map((m, index) => ({
      object: "embedding",
      index,
      embedding: embed(m.content, dimensions),
    })),
    usage: { prompt_tokens: request.messages.length, total_tokens: request.messages.length },
  };
}

function errorBody(message: string) {
  return { error: { message, type: "server_error", param: null, code: null } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Normalises chat `messages` or responses `instructions` + `input` to role and plain text. */
function promptMessages(api: "responses" | "chat", body: Record<string, unknown> | undefined): FakeMessage[] {
  if (!body) return [];
  const out: FakeMessage[] = [];
  if (api === "responses" && typeof body.instructions === "string") {
    out.push({ role: "system", content: body.instructions });
  }
  const list = api === "chat" ? body.messages : body.input;
  if (typeof list === "string") return [...out, { role: "user", content: list }];
  if (!Array.isArray(list)) return out;
  for (const item of list as Array<Record<string, unknown>>) {
    if (typeof item?.role !== "string") continue;
    out.push({ role: item.role, content: textOf(item.content) });
  }
  return out;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: Record<string, unknown>) => (typeof part?.text === "string" ? part.text : ""))
    .join("");
}

function embeddingInputs(body: Record<string, unknown> | undefined): FakeMessage[] {
  const input = body?.input;
  const values = Array.isArray(input) ? input : [input];
  return values
    .filter((v): v is string => typeof v === "string")
    .map((content) => ({ role: "user", content }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
