// A title for an item that has none (RSS 2.0 allows an item with only a description, and many regional
// outlets publish such items): the description's first sentence, cut at a word when it is long. Pure.
import { truncateAtWord } from "./html-text";

/** Longest derived title, in characters (the digest shows titles up to 150). */
export const DERIVED_TITLE_LENGTH = 150;

/** Words ending in "." that seldom end a sentence (compared in lower case, without the dot). */
const abbreviations = new Set([
  "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "mt",
  "inc", "ltd", "co", "corp", "vs", "etc", "no", "nr", "approx", "ca", "cf", "e.g", "i.e", "jan", "feb", "mar",
  "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "bzw", "usw", "z.b", "u.a", "sra", "srta",
  "av", "p", "pp", "vol", "art", "abs",
]);
/** Sentence ends that need no space after them (Chinese, Japanese). */
const fullWidthEnd = /[。！？]/;

function isSentenceEnd(text: string, i: number): boolean {
  const c = text[i]!;
  if (fullWidthEnd.test(c)) return true;
  if (c !== "." && c !== "!" && c !== "?" && c !== "…") return false;
  // Closing quotes and brackets belong to the sentence; then a space and something that starts one.
  let j = i + 1;
  while (j < text.length && /["'”’»)\]]/.test(text[j]!)) j++;
  if (j >= text.length) return true;
  if (!/\s/.test(text[j]!)) return false; // "3.5", "example.org", "U.S." mid-word
  const next = text.slice(j, j + 8).trimStart()[0] ?? "";
  if (!/[\p{Lu}\p{Lo}\d"'“‘«¿¡(\[]/u.test(next)) return false; // "approx. five", "etc. and"
  if (c !== ".") return true;
  const word = /(\S+)$/.exec(text.slice(Math.max(0, i - 40), i))?.[1] ?? "";
  const bare = word.replace(/^["'“‘«(\[]+/, "").toLowerCase();
  if (abbreviations.has(bare)) return false;
  if (/^\p{L}$/u.test(bare) || /^(\p{L}\.)+\p{L}$/u.test(bare)) return false; // "J. Smith", "U.S. officials"
  if (/^\d{1,2}$/.test(bare)) return false; // "3. Oktober": an ordinal in many languages
  return true;
}

/** The first sentence of plain text (the whole text when it has one sentence), cut at a word if long. */
export function titleFromText(text: string, max = DERIVED_TITLE_LENGTH): string {
  const limit = Math.min(text.length, 4 * max);
  for (let i = 0; i < limit; i++) {
    if (isSentenceEnd(text, i)) {
      let end = i + 1;
      while (end < text.length && /["'”’»)\]]/.test(text[end]!)) end++;
      return truncateAtWord(text.slice(0, end).trim(), max);
    }
  }
  return truncateAtWord(text, max);
}
