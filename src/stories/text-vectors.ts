// Text → TF-IDF vectors for story clustering. Deliberately simple and explainable: lower-cased words with
// accents folded, English stop-words removed, a light suffix-stripping stemmer, title words counted twice,
// CJK runs split into character pairs (for text that could not be translated), each vector unit-length.
import { STOP_WORDS } from "./stop-words";

export type Vector = Map<string, number>;

const TITLE_WEIGHT = 2;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{2,}/gu;

/** "Raising rates" → ["rais", "rate"]. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const folded = text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  for (const run of folded.match(CJK_RUN) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
  }
  for (const word of folded.replace(CJK_RUN, " ").split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    const stemmed = stem(word);
    if (stemmed.length >= 2 && !STOP_WORDS.has(stemmed)) tokens.push(stemmed);
  }
  return tokens;
}

/**
 * A few English suffix rules, enough to meet "raises / raised / raising / raise" in one place: first an
 * inflection (-ies, -ing, -ed, -es, -s) is removed, then a final -e.
 */
export function stem(word: string): string {
  if (/^\d+$/.test(word)) return word;
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("eed")) w = w.slice(0, -1);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/** Raw term weights of one article: title words weigh twice as much as summary words. */
export function termCounts(title: string, summary: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokenize(title)) counts.set(t, (counts.get(t) ?? 0) + TITLE_WEIGHT);
  for (const t of tokenize(summary)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Inverse document frequency over a corpus of term-count maps: ln(1 + N / df). */
export function inverseDocumentFrequency(docs: Array<Map<string, number>>): Map<string, number> {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length;
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log(1 + n / count));
  return idf;
}

/** Unit-length TF-IDF vector (empty when the text has no usable words). */
export function weigh(counts: Map<string, number>, idf: Map<string, number>): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [term, tf] of counts) {
    const w = tf * (idf.get(term) ?? 0);
    if (w <= 0) continue;
    v.set(term, w);
    norm += w * w;
  }
  if (norm === 0) return v;
  const len = Math.sqrt(norm);
  for (const [term, w] of v) v.set(term, w / len);
  return v;
}

export function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, w] of small) {
    const other = large.get(term);
    if (other !== undefined) sum += w * other;
  }
  return sum;
}

/** Cosine similarity of each pair of texts, IDF taken over the texts themselves (for calibration). */
export function pairwiseSimilarity(texts: Array<{ title: string; summary: string }>): number[][] {
  const counts = texts.map((t) => termCounts(t.title, t.summary));
  const idf = inverseDocumentFrequency(counts);
  const vectors = counts.map((c) => weigh(c, idf));
  return vectors.map((a) => vectors.map((b) => dot(a, b)));
}
