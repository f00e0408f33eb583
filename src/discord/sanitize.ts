// Text we show on Discord comes from users (questions), from the model and from articles: none of it
// may ping anyone or smuggle in links. allowedMentions { parse: [] } already stops every ping; this
// also makes mention syntax render as plain text, and keeps only links to the story's articles.
import { escapeMarkdown } from "discord.js";

const ZERO_WIDTH_SPACE = "\u200b";

/** Inserts a zero-width space after every "@", so @everyone, @here and <@id> show as text. */
export function neutraliseMentions(text: string): string {
  return text.replaceAll("@", `@${ZERO_WIDTH_SPACE}`);
}

const MASKED_LINK = /\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const RAW_URL = /<?\b(?:https?|ftp|discord|steam):\/\/[^\s<>`]+>?/gi;

/** True for a URL that can sit inside `[label](<url>)` without breaking out of it. */
export function isLinkable(url: string): boolean {
  return /^https?:\/\/[^\s<>()[\]`]+$/.test(url) && url.length <= 500;
}

/** Replaces pieces of text by placeholders that later transformations leave alone. */
function createVault() {
  const pieces: string[] = [];
  return {
    keep: (piece: string) => `\u0000${pieces.push(piece) - 1}\u0000`,
    restore: (text: string) => text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => pieces[Number(i)] ?? ""),
  };
}

/** Article links become `<url>` (never previewed); any other raw URL becomes inert code text. */
function vaultRawUrls(text: string, allowedUrls: ReadonlySet<string>, keep: (piece: string) => string) {
  return text.replace(RAW_URL, (match) => {
    const url = match.replace(/^</, "").replace(/>$/, "");
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? "";
    const bare = url.slice(0, url.length - trailing.length);
    if (allowedUrls.has(bare)) return keep(`<${bare}>`) + trailing;
    return keep(`\`${bare.replaceAll("`", "")}\``) + trailing;
  });
}

/**
 * Model or article text made safe to show, markdown kept: masked links to article URLs stay (never
 * previewed), other masked links become their label, other raw URLs become inert code text, and
 * mentions are inert.
 */
export function safeText(text: string, allowedUrls: ReadonlySet<string>): string {
  const vault = createVault();
  const clean = text.replaceAll("\u0000", "");
  const withMasked = clean.replace(MASKED_LINK, (_match, label: string, url: string) => {
    if (allowedUrls.has(url) && label.trim()) return vault.keep(`[${label}](<${url}>)`);
    // A citation marker the model turned into a link stays a marker.
    return /^\d+$/.test(label.trim()) ? `[${label.trim()}]` : label;
  });
  return neutraliseMentions(vault.restore(vaultRawUrls(withMasked, allowedUrls, vault.keep)));
}

/** Text shown inside our own formatting (a title, a quote, a question): shown literally, inert. */
export function safeLiteral(text: string): string {
  const vault = createVault();
  const withUrls = vaultRawUrls(text.replaceAll("\u0000", ""), new Set(), vault.keep);
  const escaped = escapeMarkdown(withUrls, { heading: true, bulletedList: true, numberedList: true })
    // Brackets too, so a literal can sit inside a masked link's label and "[1]" in a quote is no marker.
    .replace(/[[\]]/g, "\\$&");
  return neutraliseMentions(vault.restore(escaped));
}
