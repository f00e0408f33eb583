// Sentences with their place in quotations: a quotation can run over several sentences, and a
// sentence from its middle must not be shown as if the outlet said it.
import { splitSentences } from "../text/sentences.ts";

export interface QuotedSentence {
  text: string;
  /** The sentence begins inside a quotation opened by an earlier sentence. */
  startsInQuote: boolean;
  /** A quotation is still open at the end of the sentence. */
  endsInQuote: boolean;
}

export function quotedSentences(text: string): QuotedSentence[] {
  let open = false;
  return splitSentences(text).map(({ text: sentence }) => {
    const startsInQuote = open;
    for (const ch of sentence) {
      if (ch === "“") open = true;
      else if (ch === "”") open = false;
      else if (ch === '"') open = !open;
    }
    return { text: sentence, startsInQuote, endsInQuote: open };
  });
}
