// The offline demo's "translator": a fixed table of the sample feeds' non-English texts and their English
// (db/sample-feeds/translations.json), so a first run with no network and no API key still reads in English.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TranslationFailedError, type Translator } from "./translator";

export const sampleTranslationsPath = fileURLToPath(new URL("../../db/sample-feeds/translations.json", import.meta.url));

const key = (text: string) => text.normalize("NFC").replace(/\s+/g, " ").trim();

/**
 * Accepts `{ original: english }` or `{ lang: { original: english } }`. Summaries cut by the feed
 * normaliser (ending in "…") are found by their beginning.
 */
export function createSampleTranslator(table: Record<string, unknown>): Translator {
  const exact = new Map<string, string>();
  const add = (original: string, english: unknown) => {
    if (typeof english === "string") exact.set(key(original), english);
  };
  for (const [k, v] of Object.entries(table)) {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [original, english] of Object.entries(v as Record<string, unknown>)) add(original, english);
    } else add(k, v);
  }
  const lookup = (text: string): string | undefined => {
    const k = key(text);
    if (k === "") return "";
    const found = exact.get(k);
    if (found !== undefined) return found;
    if (!k.endsWith("…")) return undefined;
    const start = k.slice(0, -1).trim();
    for (const [original, english] of exact) if (start.length >= 20 && original.startsWith(start)) return english;
    return undefined;
  };
  return {
    name: "sample",
    async translate(texts) {
      return texts.map((text) => {
        const english = lookup(text);
        if (english === undefined) throw new TranslationFailedError(`sample: no translation for "${text.slice(0, 40)}"`);
        return english;
      });
    },
  };
}

/** Reads the sample table; an empty translator (every lookup fails) when the file is missing or bad. */
export function loadSampleTranslator(path: string = sampleTranslationsPath): Translator {
  try {
    return createSampleTranslator(JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>);
  } catch {
    return createSampleTranslator({});
  }
}
