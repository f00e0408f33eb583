// /sources — the story's articles (title, outlet, date, link), a page at a time, with Previous/Next
// buttons whose custom ids carry the page, so no state lives in memory.
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  MessageFlags,
  SlashCommandBuilder,
} from "discord.js";
import { type BotContext, defineCommand, NO_MENTIONS } from "../src/discord/command.ts";
import { isLinkable, safeLiteral } from "../src/discord/sanitize.ts";
import type { Article } from "../src/types.ts";

export const ARTICLES_PER_PAGE = 10;
const PAGE_BUTTON = "sources:page:";
/** Room for the lines of one page, leaving space for the header within the 2,000-character limit. */
const PAGE_CHARS = 1_900;

export default defineCommand({
  data: new SlashCommandBuilder().setName("sources").setDescription("List the articles the bot answers from"),
  components: [{ customIdPrefix: PAGE_BUTTON, handle: showSourcesPage }],

  async execute(interaction, ctx) {
    await interaction.reply({
      ...sourcesPage(ctx, 0),
      flags: MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds,
    });
  },
});

async function showSourcesPage(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const page = Number(interaction.customId.slice(PAGE_BUTTON.length));
  await interaction.update(sourcesPage(ctx, Number.isInteger(page) ? page : 0));
}

/** One page of the article list, newest first, with Previous/Next buttons when there are several pages. */
function sourcesPage(ctx: BotContext, requested: number) {
  const articles = [...ctx.core.retriever.articles()].sort(newestFirst);
  const pages = paginate(articles.map(articleLine));
  const page = Math.min(Math.max(0, requested), pages.length - 1);
  const header =
    articles.length === 0
      ? "The story has no articles yet."
      : `**The story's articles** (${articles.length})${pages.length > 1 ? ` — page ${page + 1} of ${pages.length}` : ""}`;
  const content = [header, ...(pages[page] ?? [])].join("\n");
  const components =
    pages.length > 1
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId(`${PAGE_BUTTON}${page - 1}`)
              .setLabel("Previous")
              .setStyle(ButtonStyle.Secondary)
              .setDisabled(page === 0),
            new ButtonBuilder()
              .setCustomId(`${PAGE_BUTTON}${page + 1}`)
              .setLabel("Next")
              .setStyle(ButtonStyle.Secondary)
              .setDisabled(page === pages.length - 1),
          ),
        ]
      : [];
  return { content, components, allowedMentions: NO_MENTIONS };
}

/** Groups lines into pages of at most ARTICLES_PER_PAGE lines that fit in one message with the header. */
function paginate(lines: string[]): string[][] {
  const pages: string[][] = [[]];
  let size = 0;
  for (const line of lines) {
    const current = pages[pages.length - 1] ?? [];
    if (current.length > 0 && (current.length >= ARTICLES_PER_PAGE || size + line.length + 1 > PAGE_CHARS)) {
      pages.push([line]);
      size = line.length + 1;
    } else {
      current.push(line);
      size += line.length + 1;
    }
  }
  return pages;
}

function articleLine(article: Article): string {
  const title = safeLiteral(article.title.slice(0, 300));
  const linked = article.url && isLinkable(article.url) ? `[${title}](<${article.url}>)` : `**${title}**`;
  const details = [article.source, article.published?.slice(0, 10)]
    .filter(Boolean)
    .map((d) => safeLiteral(d ?? ""));
  return `• ${linked}${details.length > 0 ? ` — ${details.join(", ")}` : ""}`;
}

function newestFirst(a: Article, b: Article): number {
  return (b.published ?? b.ingestedAt).localeCompare(a.published ?? a.ingestedAt);
}
