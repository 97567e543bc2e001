// Words of an English news text, as story grouping compares them. Pure.
// - terms: lower-case words with accents folded, English and headline stop-words dropped, stemmed with
//   Porter2 (the Snowball English stemmer, wink-porter2-stemmer), news synonyms met in one term
//   ("quake", "tremor", "seism", "temblor" → one); untranslated CJK text in character pairs.
// - names: capitalised words that are not sentence-initial (people, places, institutions), folded;
//   country names and demonyms are left to place-names.ts.
import porter2 from "wink-porter2-stemmer";
import { fold } from "./fold";
import { placeOf } from "./place-names";

export { fold };
import { STOP_WORDS } from "./stop-words";

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{2,}/gu;


/**
 * Words that news reports use for the same thing, each group met in its first word's stem. Kept to
 * near-exact equivalents: a group that joins different things ("fire" the blaze and "fire" the
 * dismissal) would tie different events together.
 */
const SYNONYMS: readonly string[][] = [
  ["earthquake", "quake", "tremor", "seism", "temblor"],
  ["landslide", "mudslide", "landslip", "mudflow"],
  ["strike", "walkout", "stoppage"],
  ["cut", "lower", "trim", "slash", "reduce"],
  ["hike", "raise", "increase"],
  ["flood", "inundation", "deluge"],
  ["blaze", "wildfire", "bushfire", "inferno"],
  ["dead", "death", "die", "kill", "toll", "fatal"],
  ["election", "poll", "ballot", "vote"],
  ["sack", "dismiss", "oust"],
  ["close", "shut", "seal"],
  ["sentence", "convict", "jail", "imprison"],
  ["protest", "demonstration", "rally", "protester", "demonstrator"],
  ["crash", "collision", "collide"],
  ["bus", "coach", "minibus"],
  ["ferry", "boat", "vessel", "ship"],
  ["blackout", "outage"],
  ["resign", "resignation", "quit"],
  ["referendum", "plebiscite"],
];
const synonymOf = new Map<string, string>();
for (const group of SYNONYMS) for (const word of group) synonymOf.set(porter2(word), porter2(group[0]!));

/** Stems already computed (news vocabulary repeats; Porter2 is most of profiling's cost). Bounded. */
const stems = new Map<string, string>();
const STEM_CACHE = 200_000;

/** Porter2 stem of one folded word, remembered. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size >= STEM_CACHE) stems.clear();
    stems.set(word, (s = porter2(word)));
  }
  return s;
}

/** Stem of one folded word, synonyms met; numbers kept as they are. */
export function term(word: string): string {
  if (/^\d/.test(word)) return word;
  const plain = stem(word);
  return synonymOf.get(plain) ?? plain;
}

/** A text folded once: its words (letters and digits) and the character pairs of its CJK runs. */
export interface FoldedText {
  words: string[];
  cjkPairs: string[];
}

export function foldText(text: string): FoldedText {
  const folded = fold(text);
  const cjkPairs: string[] = [];
  for (const run of folded.match(CJK_RUN) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) cjkPairs.push(chars[i]! + chars[i + 1]!);
  }
  const words = (cjkPairs.length > 0 ? folded.replace(CJK_RUN, " ") : folded).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return { words, cjkPairs };
}

/** Grouping terms of a folded text: "Quakes raised the toll" → ["earthquak", "rais", "dead"]. */
export function termsOf({ words, cjkPairs }: FoldedText): string[] {
  const out = [...cjkPairs];
  for (const word of words) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    const first = word.charCodeAt(0);
    if (first >= 48 && first <= 57 && /^\d+$/.test(word)) continue;
    // A place that stands for a country is kept whole (not stemmed): the grouping knows it as a place.
    const t = placeOf(word)?.isCountry ? word : term(word);
    if (t.length >= 2 && !STOP_WORDS.has(t)) out.push(t);
  }
  return out;
}

export function terms(text: string): string[] {
  return termsOf(foldText(text));
}

/** Words of a text, folded, for lexicons (event types): letters and digits only. */
export function plainWords(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

/**
 * Capitalised words of a text that are names: not the first word of a sentence (unless it is a known
 * place), not a stop-word, not a country name or demonym. A title in Title Case ("Old Foes Settle a Slice
 * of Their Boundary") tells nothing by its capitals, so only its known places count.
 */
export function names(text: string, isTitle = false): string[] {
  const out: string[] = [];
  const titleCase = isTitle && isTitleCase(text);
  let end = 0;
  for (const m of text.matchAll(WORD)) {
    const previousEnd = end;
    end = m.index! + m[0].length;
    const first = m[0].charCodeAt(0);
    if ((first >= 97 && first <= 122) || (first >= 48 && first <= 57)) continue; // a-z, 0-9: no capital
    const word = m[0].replace(/['’]s$/u, "").replace(/[.'’-]+$/u, "");
    if (!/^\p{Lu}/u.test(word) || STOP_WORDS.has(word.toLowerCase())) continue;
    const sentenceStart = m.index === 0 || /[.!?:;"“”]\s*$/.test(text.slice(previousEnd, m.index));
    const folded = fold(word);
    const place = placeOf(folded.replace(/[^\p{L}\p{N}]+/gu, " ").trim());
    if (place?.isCountry) continue;
    if ((titleCase || sentenceStart) && !place) continue;
    out.push(folded);
  }
  return out;
}

function isTitleCase(title: string): boolean {
  const words = title.split(/\s+/).filter((w) => /^\p{L}/u.test(w) && w.length > 3);
  return words.length >= 3 && words.filter((w) => /^\p{Lu}/u.test(w)).length / words.length > 0.7;
}
