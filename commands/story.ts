// /story add url:<link> | file:<attachment> — adds an article to the story (Manage Server only).
// Discord hides the command from other members, and the router checks the permission again because
// server admins can override who sees a command. The index is updated in place: /ask, /sources and
// the daily summary see the article at once.
import {
  type Attachment,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { type BotContext, defineCommand, NO_MENTIONS } from "../src/discord/command.ts";
import { safeLiteral } from "../src/discord/sanitize.ts";
import { UserError } from "../src/errors.ts";
import {
  ACCEPTED_MEDIA_TYPES,
  fetchSafely,
  formatBytes,
  MAX_FETCH_BYTES,
} from "../src/ingest/fetchSafely.ts";
import {
  describeIngestResult,
  type IngestDeps,
  type IngestResult,
  ingestDepsFor,
  ingestDocument,
  ingestUrl,
} from "../src/ingest/ingestSource.ts";

const FILE_TYPES = /\.(html?|xhtml|md|markdown|txt)$/i;
// Discord's CDN serves uploads with whatever type the uploader's client chose; the file name decides.
const ATTACHMENT_TYPES = new Set([...ACCEPTED_MEDIA_TYPES, "application/octet-stream"]);

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName("story")
    .setDescription("Manage the story's articles (Manage Server permission)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild),
  options: {
    subcommands: {
      add: {
        description: "Add an article from a link or a file (.html, .md, .txt)",
        options: {
          url: { type: "string", description: "Link to the article", maxLength: 2000 },
          file: { type: "attachment", description: "The article as .html, .md or .txt" },
        },
      },
    },
  },
  preconditions: { manageGuild: "add articles" },
  defer: "ephemeral",

  async execute(interaction, ctx, { url, file }) {
    const content = await addArticle(ctx, url?.trim(), file);
    await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
  },
});

/** Adds the article from a link or a file and returns the line to show. */
async function addArticle(
  ctx: BotContext,
  url: string | undefined,
  file: Attachment | undefined,
): Promise<string> {
  if (Boolean(url) === Boolean(file)) return "Give either a link (url) or a file, not both and not neither.";

  const deps = ingestDepsFor(ctx.core);
  try {
    const result = url ? await ingestUrl(deps, url) : await ingestAttachment(deps, file as Attachment);
    const line = describeIngestResult(
      result,
      deps.retriever.articles(),
      (title) => `**${safeLiteral(title)}**`,
    );
    return "added" in result ? `${line} It can be asked about now.` : line;
  } catch (error) {
    if (error instanceof UserError) return `Not added: ${safeLiteral(error.message)}`;
    throw error;
  }
}

async function ingestAttachment(deps: IngestDeps, file: Attachment): Promise<IngestResult> {
  if (!FILE_TYPES.test(file.name))
    throw new UserError(`${file.name}: only .html, .md and .txt files can be added.`);
  if (file.size > MAX_FETCH_BYTES) {
    throw new UserError(`${file.name} is too big: the limit is ${formatBytes(MAX_FETCH_BYTES)}.`);
  }
  const fetched = await fetchSafely(file.url, { ...deps.fetch, mediaTypes: ATTACHMENT_TYPES });
  // The upload link expires, so it is not stored as the article's link.
  return ingestDocument(deps, {
    name: file.name,
    bytes: fetched.body,
    ...(fetched.charset ? { charset: fetched.charset } : {}),
  });
}
