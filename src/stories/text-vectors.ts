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

/**
 * Unit TF-IDF vectors of many texts, terms numbered 0…termCount−1, in flat arrays: text i's terms are
 * `terms[start[i] … start[i+1])`, with their `weights`. The same weights, in the same order, as
 * `weigh(termCounts(…), inverseDocumentFrequency(…))` over the texts, without a Map per text.
 * `df[t]`: how many texts have term t.
 */
export interface TermTable {
  start: Int32Array;
  terms: Int32Array;
  weights: Float64Array;
  termCount: number;
  df: Int32Array;
}

export function numberedVectors(texts: ReadonlyArray<{ title: string; summary: string }>): TermTable {
  const numbers = new Map<string, number>();
  let df = new Int32Array(1024);
  /** Per term: the last text it was seen in, and where in that text's slice. */
  let seenIn = new Int32Array(1024).fill(-1);
  let slotOf = new Int32Array(1024);
  const start = new Int32Array(texts.length + 1);
  let terms = new Int32Array(texts.length * 16 + 16);
  let weights = new Float64Array(terms.length);
  let n = 0;
  let termCount = 0;
  const count = (token: string, i: number, tf: number) => {
    let t = numbers.get(token);
    if (t === undefined) {
      numbers.set(token, (t = termCount++));
      if (t === df.length) {
        df = grow(df, t * 2);
        seenIn = grow(seenIn, t * 2).fill(-1, t);
        slotOf = grow(slotOf, t * 2);
      }
    }
    if (seenIn[t] === i) {
      weights[slotOf[t]!] = weights[slotOf[t]!]! + tf;
      return;
    }
    if (n === terms.length) [terms, weights] = [grow(terms, n * 2), grow(weights, n * 2)];
    seenIn[t] = i;
    slotOf[t] = n;
    df[t]!++;
    terms[n] = t;
    weights[n++] = tf;
  };
  texts.forEach((text, i) => {
    start[i] = n;
    for (const token of tokenize(text.title)) count(token, i, TITLE_WEIGHT);
    for (const token of tokenize(text.summary)) count(token, i, 1);
  });
  start[texts.length] = n;

  // Term counts → unit TF-IDF weights, each text in place (a weight ≤ 0 would be dropped, as in `weigh`).
  const idf = new Float64Array(termCount);
  for (let t = 0; t < termCount; t++) idf[t] = Math.log(1 + texts.length / df[t]!);
  let kept = 0;
  for (let i = 0; i < texts.length; i++) {
    const [from, to] = [start[i]!, start[i + 1]!];
    start[i] = kept;
    let norm = 0;
    for (let j = from; j < to; j++) {
      const w = weights[j]! * idf[terms[j]!]!;
      if (w <= 0) continue;
      terms[kept] = terms[j]!;
      weights[kept++] = w;
      norm += w * w;
    }
    if (norm === 0) continue;
    const length = Math.sqrt(norm);
    for (let j = start[i]!; j < kept; j++) weights[j] = weights[j]! / length;
  }
  start[texts.length] = kept;
  return { start, terms, weights, termCount, df: df.subarray(0, termCount) };
}

function grow<T extends Int32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}
