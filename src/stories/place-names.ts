// Which countries a text names: country names, short forms, demonyms ("Kenyan"), capitals standing for
// their country ("Ankara welcomes…") and US states, from the generated table place-names-data.ts. Pure.
// A phrase counts only when it starts with a capital letter, so "chad" or "male" in running text and
// "New Britain" (a Papua New Guinean island) are not read as countries.
import { fold } from "./fold";
import { PLACE_ABBREVIATIONS, PLACE_NAMES } from "./place-names-data";

/** Lower case, accents folded, punctuation as spaces: "Côte d'Ivoire" → "cote d ivoire". */
export function foldPlaceName(text: string): string {
  return fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

interface Place {
  code: string;
  /** A country's name, demonym or capital: it stands for the country. A US state is a place within it. */
  isCountry: boolean;
}

const places = new Map<string, Place>(
  Object.entries(PLACE_NAMES).map(([phrase, value]) => [phrase, { code: value.slice(0, 2), isCountry: !value.endsWith(":state") }]),
);
const abbreviations = new Map(Object.entries(PLACE_ABBREVIATIONS));
/** Per first word of a place's name, how many words its longest name has ("papua" → 3). */
const longestFrom = new Map<string, number>();
for (const phrase of places.keys()) {
  const parts = phrase.split(" ");
  longestFrom.set(parts[0]!, Math.max(longestFrom.get(parts[0]!) ?? 0, parts.length));
}
/** A capitalised word before a match that makes it part of another name: "West New Britain", "New Guinea". */
const NAME_PREFIX = /^(New|West|East|North|South|Upper|Lower|Central|Nueva|Nova|Nouvelle|Little|Great)$/;

export function placeOf(foldedWord: string): Place | undefined {
  return places.get(foldedWord);
}

/** ISO codes of the countries `text` names, in order of first mention. */
export function countriesNamed(text: string): string[] {
  const words = text.split(/[^\p{L}\p{N}.’'-]+/u);
  // Cleaned and folded only where a phrase may start (a capital) and the words after it: most words are neither.
  const cleaned: Array<string | undefined> = [];
  const folded: Array<string | undefined> = [];
  const clean = (k: number) => (cleaned[k] ??= words[k]!.replace(/['’]s$/u, "").replace(/^[.'’-]+|[.'’-]+$/g, ""));
  const fold = (k: number) => (folded[k] ??= foldPlaceName(clean(k)));
  const found: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const first = words[i]!.charCodeAt(0);
    if (!(first >= 65 && first <= 90) && !(first > 127 && /^\p{Lu}/u.test(words[i]!))) continue; // no capital
    const word = clean(i);
    if (i > 0 && NAME_PREFIX.test(clean(i - 1))) continue;
    const abbreviation = /^[A-Z.]{2,5}$/.test(word) ? abbreviations.get(word.replace(/\./g, "")) : undefined;
    let match: { code: string; words: number } | undefined = abbreviation ? { code: abbreviation, words: 1 } : undefined;
    const longest = longestFrom.get(fold(i).split(" ")[0]!) ?? 0;
    for (let n = Math.min(longest, words.length - i); n >= 1 && !match; n--) {
      const phrase: string[] = [];
      for (let k = i; k < i + n; k++) phrase.push(fold(k));
      const place = places.get(phrase.join(" "));
      if (place) match = { code: place.code, words: n };
    }
    if (!match) continue;
    if (!found.includes(match.code)) found.push(match.code);
    i += match.words - 1;
  }
  return found;
}
