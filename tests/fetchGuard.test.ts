import http from "node:http";
import https from "node:https";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../src/errors.ts";
import { type FetchSafelyOptions, fetchSafely, type Resolver } from "../src/ingest/fetchSafely.ts";
import { judgeAddress } from "../src/ingest/judgeAddress.ts";
import { loopbackResolver, type PageServer, startPageServer } from "./fixtures/ingest/pageServer.ts";

let server: PageServer;
beforeAll(async () => {
  server = await startPageServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.routes.clear();
  server.hits.length = 0;
  server.routes.set("/page", { body: "<p>hello</p>" });
});

const port = () => new URL(server.origin).port;

async function refusal(url: string, options: FetchSafelyOptions = {}): Promise<string> {
  const error = await fetchSafely(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  return message;
}

/** A resolver that answers from a fixed table and remembers what it was asked. */
function fakeDns(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    return addresses.map((address) => ({
      address,
      family: address.includes(":") ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(resolve, { asked });
}

describe("the SSRF guard (allowLoopback off, the default)", () => {
  it("refuses loopback addresses, and the server is never contacted", async () => {
    expect(await refusal(`${server.origin}/page`)).toMatch(/Refused .*loopback address \(127\.0\.0\.1\)/);
    expect(await refusal(`http://[::1]:${port()}/page`)).toMatch(/loopback address \(::1\)/);
    expect(await refusal(`http://[::ffff:127.0.0.1]:${port()}/page`)).toMatch(/loopback address/);
    // Other spellings of 127.0.0.1 are normalised by the URL parser before the check.
    expect(await refusal(`http://2130706433:${port()}/page`)).toMatch(/loopback address \(127\.0\.0\.1\)/);
    expect(await refusal(`http://localhost:${port()}/page`)).toMatch(/loopback address/);
    expect(server.hits).toEqual([]);
  });

  it.each([
    ["http://10.0.0.1/", /private-network address \(10\.0\.0\.1\)/],
    ["http://192.168.1.20/admin", /private-network address/],
    ["http://172.16.5.4/", /private-network address/],
    [
      "http://169.254.169.254/latest/meta-data/",
      /link-local \(cloud metadata\) address \(169\.254\.169\.254\)/,
    ],
    ["http://100.64.0.1/", /carrier-grade NAT address/],
    ["http://0.0.0.0/", /unspecified address/],
    ["http://224.0.0.1/", /multicast address/],
    ["http://[fd00:ec2::254]/", /private-network address \(fd00:ec2::254\)/],
    ["http://[fe80::1]/", /link-local/],
    ["http://[::ffff:10.0.0.1]/", /private-network address/],
    ["http://[::]/", /unspecified address/],
  ])("refuses %s", async (url, message) => {
    expect(await refusal(url)).toMatch(message);
  });

  it("refuses a host name that resolves to a private address", async () => {
    const dns = fakeDns({ "intranet.example": ["10.1.2.3"] });
    expect(await refusal("http://intranet.example/", { resolve: dns })).toMatch(
      /Refused http:\/\/intranet\.example\/: it points to a private-network address \(10\.1\.2\.3\)/,
    );
    expect(dns.asked).toEqual(["intranet.example"]);
  });

  it("refuses a host name when any one of its addresses is private", async () => {
    const dns = fakeDns({
      "mixed.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "192.168.0.9"],
    });
    expect(await refusal("http://mixed.example/", { resolve: dns })).toMatch(/192\.168\.0\.9/);
  });

  it("refuses a redirect to a private address", async () => {
    server.routes.set("/to-metadata", {
      status: 302,
      headers: { location: "http://169.254.169.254/latest/" },
    });
    server.routes.set("/to-intranet", { status: 307, headers: { location: "http://intranet.example/x" } });
    const dns = fakeDns({ "news.example": ["127.0.0.1"], "intranet.example": ["10.9.9.9"] });
    // Loopback is allowed here only so the test server can answer the first hop.
    const options = { allowLoopback: true, resolve: dns };
    expect(await refusal(`http://news.example:${port()}/to-metadata`, options)).toMatch(
      /Refused http:\/\/169\.254\.169\.254\/latest\/: .*link-local/,
    );
    expect(await refusal(`http://news.example:${port()}/to-intranet`, options)).toMatch(/10\.9\.9\.9/);
    expect(dns.asked).toEqual(["news.example", "news.example", "intranet.example"]);
  });

  it("refuses a public-looking host name whose DNS answer is loopback, before any request", async () => {
    const dns = fakeDns({ "public.example": ["127.0.0.1"] });
    expect(await refusal(`http://public.example:${port()}/page`, { resolve: dns })).toMatch(/loopback/);
    expect(server.hits).toEqual([]);
  });

  it("fetches only http and https links without credentials", async () => {
    expect(await refusal("file:///etc/passwd")).toMatch(
      /Only http and https links can be fetched, not file:/,
    );
    expect(await refusal("ftp://example.com/")).toMatch(/not ftp:/);
    expect(await refusal("gopher://127.0.0.1:6379/_INFO")).toMatch(/not gopher:/);
    expect(await refusal("http://user:secret@example.com/")).toMatch(/user name or password/);
    expect(await refusal("not a link")).toMatch(/is not a valid link/);
  });

  it("says so when a host does not resolve", async () => {
    expect(await refusal("http://nowhere.example/", { resolve: fakeDns({}) })).toBe(
      "Could not find the host nowhere.example.",
    );
  });
});

describe("IPv6 forms that carry an IPv4 address are judged by that IPv4 address", () => {
  // Any request at all would be a dial: the guard must refuse before one is made.
  let requests: ReturnType<typeof vi.spyOn>[] = [];
  beforeEach(() => {
    requests = [vi.spyOn(http, "request"), vi.spyOn(https, "request")];
  });
  afterEach(() => {
    for (const spy of requests) spy.mockRestore();
  });

  it.each([
    ["http://[::a9fe:a9fe]/latest/", "link-local (cloud metadata)", "169.254.169.254", "IPv4-compatible"],
    ["http://[::7f00:1]/", "loopback", "127.0.0.1", "IPv4-compatible"],
    ["http://[::a00:1]/", "private-network", "10.0.0.1", "IPv4-compatible"],
    ["http://[::10.0.0.1]/", "private-network", "10.0.0.1", "IPv4-compatible"],
    ["http://[::ffff:a9fe:a9fe]/", "link-local (cloud metadata)", "169.254.169.254", "IPv4-mapped"],
    ["http://[::ffff:0:c0a8:101]/", "private-network", "192.168.1.1", "IPv4-translated"],
    ["http://[64:ff9b::a9fe:a9fe]/", "link-local (cloud metadata)", "169.254.169.254", "NAT64"],
    ["http://[64:ff9b::7f00:1]/", "loopback", "127.0.0.1", "NAT64"],
    ["http://[2002:a9fe:a9fe::1]/", "link-local (cloud metadata)", "169.254.169.254", "6to4"],
    ["http://[2002:c0a8:101::]/", "private-network", "192.168.1.1", "6to4"],
  ])("refuses %s by the %s address it carries, without dialling", async (url, kind, ipv4, form) => {
    const message = await refusal(url);
    expect(message).toContain(`it points to a ${kind} address (${ipv4}, carried in the ${form} IPv6 address`);
    for (const spy of requests) expect(spy).not.toHaveBeenCalled();
  });

  it("refuses those forms when DNS gives them, too", async () => {
    const dns = fakeDns({ "sneaky.example": ["64:ff9b::a9fe:a9fe"] });
    expect(await refusal("http://sneaky.example/", { resolve: dns })).toMatch(
      /cloud metadata\) address \(169\.254\.169\.254, carried in the NAT64 IPv6 address 64:ff9b::a9fe:a9fe\)/,
    );
    for (const spy of requests) expect(spy).not.toHaveBeenCalled();
  });

  it("refuses the local-use NAT64 prefix, which reaches whatever its operator routes", () => {
    expect(judgeAddress("64:ff9b:1::a00:1").range).toBe("private");
  });

  it("accepts a public IPv4 address in any of those forms (DNS64 on an IPv6-only host gives these)", () => {
    for (const address of [
      "64:ff9b::5db8:d70e",
      "2002:5db8:d70e::1",
      "::ffff:93.184.215.14",
      "::5db8:d70e",
    ]) {
      expect(judgeAddress(address)).toMatchObject({ range: "unicast", embedded: { ipv4: "93.184.215.14" } });
    }
    // IPv6's own unspecified and loopback addresses are not IPv4-compatible ones.
    expect(judgeAddress("::1")).toEqual({ range: "loopback" });
    expect(judgeAddress("::")).toEqual({ range: "unspecified" });
  });
});

describe("fetching with loopback allowed (tests only)", () => {
  const allow = { allowLoopback: true };

  it("fetches a page and reports its type", async () => {
    const page = await fetchSafely(`${server.origin}/page`, allow);
    expect(page).toMatchObject({ url: `${server.origin}/page`, mediaType: "text/html", charset: "utf-8" });
    expect(Buffer.from(page.body).toString()).toBe("<p>hello</p>");
  });

  it("still refuses private ranges other than loopback", async () => {
    expect(await refusal("http://10.0.0.1/", allow)).toMatch(/private-network/);
    expect(await refusal("http://169.254.169.254/", allow)).toMatch(/link-local/);
  });

  it("connects to the address it checked, not to a fresh DNS answer", async () => {
    // The system resolver cannot resolve .invalid names; the fetch works only because the
    // connection is pinned to the address the injected resolver gave and the guard checked.
    const page = await fetchSafely(`http://pinned.invalid:${port()}/page`, {
      ...allow,
      resolve: loopbackResolver,
    });
    expect(Buffer.from(page.body).toString()).toBe("<p>hello</p>");
  });

  it("follows up to five redirects and refuses more", async () => {
    for (let i = 0; i < 6; i++)
      server.routes.set(`/hop${i}`, { status: 302, headers: { location: `/hop${i + 1}` } });
    server.routes.set("/hop6", { body: "<p>end</p>" });
    expect(await refusal(`${server.origin}/hop0`, allow)).toMatch(/redirects more than 5 times/);
    const page = await fetchSafely(`${server.origin}/hop1`, allow);
    expect(page.url).toBe(`${server.origin}/hop6`);
  });

  it("refuses a body over the limit, declared or streamed", async () => {
    server.routes.set("/declared", { body: "x".repeat(5000) });
    expect(await refusal(`${server.origin}/declared`, { ...allow, maxBytes: 1000 })).toMatch(
      /larger than the 1 KB limit/,
    );
    server.routes.set("/streamed", (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = "y".repeat(1024);
      let sent = 0;
      const write = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once("drain", write);
        else res.end();
      };
      write();
    });
    expect(await refusal(`${server.origin}/streamed`, { ...allow, maxBytes: 4096 })).toMatch(
      /larger than the 4 KB limit/,
    );
  });

  it("limits the decompressed size, not the compressed one", async () => {
    server.routes.set("/zipped", {
      body: gzipSync("<p>ok</p>".padEnd(50_000, " ")),
      headers: { "content-encoding": "gzip" },
    });
    expect(await refusal(`${server.origin}/zipped`, { ...allow, maxBytes: 10_000 })).toMatch(/larger than/);
    const page = await fetchSafely(`${server.origin}/zipped`, allow);
    expect(Buffer.from(page.body).toString().trim()).toBe("<p>ok</p>");
  });

  it("refuses content that is not a page, text or feed", async () => {
    server.routes.set("/image", { type: "image/png", body: "\x89PNG" });
    server.routes.set("/untyped", (_req, res) => res.end("?"));
    expect(await refusal(`${server.origin}/image`, allow)).toMatch(
      /is image\/png, not a web page, text or feed/,
    );
    expect(await refusal(`${server.origin}/untyped`, allow)).toMatch(/of no stated type/);
  });

  it("gives up on a server that does not answer in time", async () => {
    server.routes.set("/silent", () => {
      // Never answers; the server closes the socket when the test suite ends.
    });
    expect(await refusal(`${server.origin}/silent`, { ...allow, timeoutMs: 300 })).toMatch(
      /\/silent did not answer within 300 ms\.$/,
    );
  });
});
