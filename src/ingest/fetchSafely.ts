// Fetches an untrusted URL without letting it reach the machine's own network: only http(s),
// every address a host resolves to is checked (again after each redirect), and the connection
// goes to the very address that was checked, so a second DNS answer cannot swap in a private one.
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import ipaddr from "ipaddr.js";
import { UserError } from "../errors.ts";
import { judgeAddress } from "./judgeAddress.ts";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; injectable so tests can play DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface FetchSafelyOptions {
  /** Lets tests reach a server on 127.0.0.1 / ::1. Every other non-public range stays refused. */
  allowLoopback?: boolean;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  resolve?: Resolver;
  signal?: AbortSignal;
  /** Media types accepted; ACCEPTED_MEDIA_TYPES by default. */
  mediaTypes?: ReadonlySet<string>;
}

export interface FetchedResource {
  /** Final URL after redirects. */
  url: string;
  /** Media type without parameters, lower case, e.g. `text/html`. */
  mediaType: string;
  /** Charset parameter of the Content-Type, when given. */
  charset?: string;
  body: Uint8Array;
}

export const MAX_FETCH_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_REDIRECTS = 5;

/** What an article page, a text file or a feed can be served as. */
export const ACCEPTED_MEDIA_TYPES = new Set([
  "text/html",
  "application/xhtml+xml",
  "text/plain",
  "text/markdown",
  "text/x-markdown",
  "application/rss+xml",
  "application/atom+xml",
  "application/rdf+xml",
  "application/xml",
  "text/xml",
]);

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export const systemResolver: Resolver = async (hostname) => {
  const results = await lookup(hostname, { all: true, verbatim: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

export async function fetchSafely(
  rawUrl: string,
  options: FetchSafelyOptions = {},
): Promise<FetchedResource> {
  const maxBytes = options.maxBytes ?? MAX_FETCH_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const resolve = options.resolve ?? systemResolver;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  let url = parseHttpUrl(rawUrl);
  try {
    for (let hop = 0; ; hop++) {
      const address = await vetHost(url, resolve, options.allowLoopback ?? false, signal);
      const response = await request(url, address, signal);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.resume();
        const location = response.headers.location;
        if (!location) throw new UserError(`${show(url)} redirects without saying where to.`);
        if (hop >= maxRedirects)
          throw new UserError(`${show(url)} redirects more than ${maxRedirects} times.`);
        url = parseHttpUrl(new URL(location, url).href);
        continue;
      }
      if (status < 200 || status > 299) {
        response.resume();
        throw new UserError(`${show(url)} answered HTTP ${status}.`);
      }
      const { mediaType, charset } = parseContentType(response.headers["content-type"]);
      if (!(options.mediaTypes ?? ACCEPTED_MEDIA_TYPES).has(mediaType)) {
        response.resume();
        throw new UserError(
          `${show(url)} is ${mediaType || "of no stated type"}, not a web page, text or feed.`,
        );
      }
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        response.resume();
        throw new UserError(`${show(url)} is larger than the ${formatBytes(maxBytes)} limit.`);
      }
      const body = await readLimited(decoded(response), maxBytes, url);
      return { url: url.href, mediaType, ...(charset ? { charset } : {}), body };
    }
  } catch (error) {
    throw asUserError(error, url, timeout.aborted ? timeoutMs : undefined);
  }
}

/** A URL we are willing to fetch: http(s), no credentials. */
function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`"${truncate(raw)}" is not a valid link.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserError(`Only http and https links can be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password)
    throw new UserError("Links with a user name or password are not fetched.");
  return url;
}

/** Every address the host resolves to must be public (or loopback when allowed); returns the one to use. */
async function vetHost(
  url: URL,
  resolve: Resolver,
  allowLoopback: boolean,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await abortable(resolve(host), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new UserError(`Could not find the host ${host}.`);
    }
  }
  if (addresses.length === 0) throw new UserError(`Could not find the host ${host}.`);
  for (const { address } of addresses) {
    const { range, embedded } = judgeAddress(address);
    if (range !== "unicast" && !(allowLoopback && range === "loopback")) {
      // Name the IPv4 address that decided, and the IPv6 form that carried it.
      const named = embedded
        ? `${embedded.ipv4}, carried in the ${embedded.form} IPv6 address ${address}`
        : address;
      throw new UserError(`Refused ${show(url)}: it points to a ${describeRange(range)} address (${named}).`);
    }
  }
  return addresses[0] as ResolvedAddress;
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: "loopback",
    private: "private-network",
    uniqueLocal: "private-network",
    linkLocal: "link-local (cloud metadata)",
    carrierGradeNat: "carrier-grade NAT",
    multicast: "multicast",
    unspecified: "unspecified",
    broadcast: "broadcast",
  };
  return names[range] ?? `non-public (${range})`;
}

function request(url: URL, vetted: ResolvedAddress, signal: AbortSignal): Promise<http.IncomingMessage> {
  // The socket connects to the vetted address whatever the name resolves to now; TLS still
  // verifies the certificate against the host name.
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) callback(null, [vetted]);
    else callback(null, vetted.address, vetted.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolvePromise, reject) => {
    const req = client.request(url, {
      method: "GET",
      agent: false,
      lookup: pinned,
      signal,
      headers: {
        "user-agent": "storybot (article ingest)",
        accept: "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/*;q=0.8",
        "accept-encoding": "gzip, deflate, br",
      },
    });
    req.once("response", resolvePromise);
    req.once("error", reject);
    req.end();
  });
}

function decoded(response: http.IncomingMessage): Readable {
  const encoding = String(response.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return response.pipe(zlib.createGunzip());
  if (encoding === "deflate") return response.pipe(zlib.createInflate());
  if (encoding === "br") return response.pipe(zlib.createBrotliDecompress());
  return response;
}

/** Reads the (decompressed) body, stopping as soon as it passes the limit. */
async function readLimited(stream: Readable, maxBytes: number, url: URL): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      stream.destroy();
      throw new UserError(`${show(url)} is larger than the ${formatBytes(maxBytes)} limit.`);
    }
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function parseContentType(header: string | undefined): { mediaType: string; charset?: string } {
  const [type = "", ...params] = (header ?? "").split(";");
  const mediaType = type.trim().toLowerCase();
  for (const param of params) {
    const [key, value] = param.split("=");
    if (key?.trim().toLowerCase() === "charset" && value) {
      return { mediaType, charset: value.trim().replace(/^"|"$/g, "").toLowerCase() };
    }
  }
  return { mediaType };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolvePromise, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function asUserError(error: unknown, url: URL, timedOutAfterMs: number | undefined): UserError {
  if (error instanceof UserError) return error;
  if (timedOutAfterMs !== undefined) {
    const limit =
      timedOutAfterMs < 1000 ? `${timedOutAfterMs} ms` : `${Math.round(timedOutAfterMs / 1000)} s`;
    return new UserError(`${show(url)} did not answer within ${limit}.`);
  }
  if ((error as { name?: string }).name === "AbortError")
    return new UserError(`Fetching ${show(url)} was cancelled.`);
  const code = (error as { code?: string }).code;
  return new UserError(`Could not fetch ${show(url)}${code ? ` (${code})` : ""}.`);
}

function show(url: URL): string {
  return truncate(url.href);
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
