// /story add, driven with a stand-in for discord.js's interaction: what the command sends, to whom,
// and that the permission is checked on the server side too.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
  PermissionsBitField,
} from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import story from "../commands/story.ts";
import { parseConfig } from "../src/config.ts";
import type { BotContext } from "../src/discord/command.ts";
import { runCommand } from "../src/discord/runCommand.ts";
import { silentLogger } from "../src/log.ts";
import { fixture, listRetriever, type PageServer, startPageServer } from "./fixtures/ingest/pageServer.ts";

let server: PageServer;
let dataDir: string;
let ctx: BotContext;

beforeAll(async () => {
  server = await startPageServer();
  server.routes.set("/news/lighthouse", { body: fixture("lighthouse.html") });
  server.routes.set("/attachments/1/wall.txt", {
    type: "text/plain; charset=utf-8",
    body: fixture("harbour-wall.txt"),
  });
  server.routes.set("/attachments/2/notes.bin", { type: "application/octet-stream", body: "x" });
});
afterAll(() => server.close());

beforeEach(async () => {
  server.hits.length = 0;
  dataDir = await mkdtemp(join(tmpdir(), "storybot-story-"));
  const config = parseConfig({ DATA_DIR: dataDir, INGEST_ALLOW_LOOPBACK: "true" });
  ctx = {
    core: {
      config,
      retriever: listRetriever(),
      clock: () => new Date("2025-03-20T08:00:00Z"),
      log: silentLogger(),
    },
  } as unknown as BotContext;
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

interface Sent {
  kind: "deferReply" | "editReply";
  options: Record<string, unknown>;
}

interface Invocation {
  url?: string;
  file?: { name: string; url: string; size: number };
  permissions?: bigint;
  inGuild?: boolean;
}

/** Runs the command as Discord would deliver it and returns what it sent, in order. */
async function run(invocation: Invocation): Promise<Sent[]> {
  const sent: Sent[] = [];
  const interaction = {
    inGuild: () => invocation.inGuild ?? true,
    memberPermissions: new PermissionsBitField(invocation.permissions ?? PermissionFlagsBits.ManageGuild),
    options: {
      getSubcommand: () => "add",
      getString: (name: string) => (name === "url" ? (invocation.url ?? null) : null),
      getAttachment: (name: string) => (name === "file" ? (invocation.file ?? null) : null),
    },
    deferReply: async (options: Record<string, unknown>) => {
      sent.push({ kind: "deferReply", options });
    },
    editReply: async (options: Record<string, unknown>) => {
      sent.push({ kind: "editReply", options });
    },
  } as unknown as ChatInputCommandInteraction;
  await runCommand(story, interaction, ctx);
  // Acknowledged first, privately; then one answer that pings no one.
  expect(sent[0]).toEqual({ kind: "deferReply", options: { flags: MessageFlags.Ephemeral } });
  expect(sent).toHaveLength(2);
  expect(sent[1]?.options.allowedMentions).toEqual({ parse: [], repliedUser: false });
  return sent;
}

const reply = async (invocation: Invocation) => String((await run(invocation))[1]?.options.content);
const articleFiles = async () => readdir(join(dataDir, "ingested")).catch(() => [] as string[]);

describe("/story add", () => {
  it("is registered for server admins only", () => {
    const json = story.data.toJSON();
    expect(json.name).toBe("story");
    expect(json.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(json.contexts).toEqual([0]);
  });

  it("answers a link the story already has without fetching it", async () => {
    const known = {
      id: "gull-point",
      title: "Council votes to restore Gull Point lighthouse",
      url: "https://harbour-herald.example/news/lighthouse",
      ingestedAt: "2025-03-05T00:00:00.000Z",
      paragraphs: ["The town council voted seven to two."],
    };
    ctx.core.retriever.addArticles([known]);
    expect(await reply({ url: "https://HARBOUR-HERALD.example/news/lighthouse/?utm_source=discord" })).toBe(
      "Not added: the story already has this article (same link) as **Council votes to restore Gull Point lighthouse**.",
    );
  });

  it("adds an uploaded file", async () => {
    const content = await reply({
      file: { name: "wall.txt", url: `${server.origin}/attachments/1/wall.txt`, size: 500 },
    });
    expect(content).toBe(
      "Added **Harbour wall repairs delayed until autumn** (no publication date, 3 paragraphs) as harbour-wall-repairs-delayed-until-autumn.md. It can be asked about now.",
    );
    expect(await articleFiles()).toEqual(["harbour-wall-repairs-delayed-until-autumn.md"]);
  });

  it("says why a duplicate was not added", async () => {
    const file = { name: "wall.txt", url: `${server.origin}/attachments/1/wall.txt`, size: 500 };
    await reply({ file });
    expect(await reply({ file })).toBe(
      "Not added: the story already has this article (same text) as **Harbour wall repairs delayed until autumn**.",
    );
    expect(await articleFiles()).toHaveLength(1);
  });

  it("refuses members without Manage Server, even if Discord showed them the command", async () => {
    const content = await reply({
      file: { name: "wall.txt", url: `${server.origin}/attachments/1/wall.txt`, size: 500 },
      permissions: PermissionFlagsBits.SendMessages,
    });
    expect(content).toBe("Only members with the Manage Server permission can add articles.");
    expect(server.hits).not.toContain("/attachments/1/wall.txt");
    expect(await articleFiles()).toEqual([]);
  });

  it("asks for exactly one of url and file", async () => {
    expect(await reply({})).toBe("Give either a link (url) or a file, not both and not neither.");
  });

  it("refuses unsupported files and oversize uploads before downloading them", async () => {
    const hits = server.hits.length;
    expect(
      await reply({ file: { name: "notes.bin", url: `${server.origin}/attachments/2/notes.bin`, size: 1 } }),
    ).toBe("Not added: notes.bin: only .html, .md and .txt files can be added.");
    expect(
      await reply({
        file: { name: "big.txt", url: `${server.origin}/attachments/3/big.txt`, size: 50 * 1024 * 1024 },
      }),
    ).toBe("Not added: big.txt is too big: the limit is 5 MB.");
    expect(server.hits.length).toBe(hits);
  });

  it("explains a refused link in one line", async () => {
    const content = await reply({ url: "http://169.254.169.254/latest/meta-data/" });
    expect(content).toMatch(/^Not added: Refused .*link-local \(cloud metadata\) address/);
    expect(content).not.toContain("\n");
  });
});
