// Front matter of a Markdown article: the block between a first `---` line and the next one, made of
// `key: value` lines. Only flat keys are needed (title, url, source, published, ingested), so a small
// parser is enough and a surprising line is an error rather than a guess.

export interface FrontMatter {
  /** Keys lower-cased; values unquoted and trimmed. */
  fields: Map<string, string>;
  /** The text after the closing `---`. */
  body: string;
}

const FENCE = /^---\s*$/;
const FIELD = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/;

/** Splits front matter from the body; returns undefined when the text does not start with `---`. */
export function parseFrontMatter(text: string): FrontMatter | undefined {
  const lines = text.split("\n");
  if (!FENCE.test(lines[0] ?? "")) return undefined;
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (close < 0) throw new Error("front matter is not closed by a `---` line");

  const fields = new Map<string, string>();
  for (let i = 1; i < close; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = FIELD.exec(line);
    if (!match) throw new Error(`front matter line ${i + 1} is not \`key: value\`: ${line.slice(0, 60)}`);
    fields.set((match[1] ?? "").toLowerCase(), unquote((match[2] ?? "").trim(), i + 1));
  }
  return { fields, body: lines.slice(close + 1).join("\n") };
}

function unquote(value: string, lineNumber: number): string {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  if (value.length < 2 || !value.endsWith(quote)) {
    throw new Error(`front matter line ${lineNumber} has an unclosed quote`);
  }
  const inner = value.slice(1, -1);
  // YAML escapes a single quote by doubling it; double-quoted values may escape a double quote.
  return quote === "'" ? inner.replaceAll("''", "'") : inner.replaceAll('\\"', '"').replaceAll("\\\\", "\\");
}
