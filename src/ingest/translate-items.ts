// Translating a batch of new items: one call per language (the client chunks it), title and summary
// together. A quota or rate-limit error stops translation for the rest of the run (no point in hammering
// the service); any other failure leaves that batch untranslated. Untranslated text is kept as it is.
import type { Logger } from "../log";
import { TranslationError, isEnglish, primaryLanguage, type Translator } from "../translate/translator";

export interface TextItem {
  title: string;
  summary: string;
  language: string;
}

export interface EnglishText {
  title: string;
  summary: string;
  /** Machine-translated. */
  translated: boolean;
  /** Not English, and no translation could be had. */
  untranslated: boolean;
}

export interface TranslationRun {
  translator: Translator | null;
  /** Why translation stopped for this run (quota, rate limit), or null. */
  stoppedBecause: string | null;
  textsTranslated: number;
  failures: number;
}

export function startTranslationRun(translator: Translator | null): TranslationRun {
  return { translator, stoppedBecause: null, textsTranslated: 0, failures: 0 };
}

/** Whether translateItems could translate any of these texts (a translator, not stopped, a non-English one). */
export function mayTranslate(run: TranslationRun, languages: string[]): boolean {
  return run.translator !== null && run.stoppedBecause === null && languages.some((language) => !isEnglish(language));
}

export async function translateItems(run: TranslationRun, items: TextItem[], log: Logger): Promise<EnglishText[]> {
  const out: EnglishText[] = items.map((item) => ({
    title: item.title,
    summary: item.summary,
    translated: false,
    untranslated: !isEnglish(item.language),
  }));
  const byLanguage = new Map<string, number[]>();
  items.forEach((item, i) => {
    if (isEnglish(item.language)) return;
    const lang = primaryLanguage(item.language);
    let list = byLanguage.get(lang);
    if (!list) byLanguage.set(lang, (list = []));
    list.push(i);
  });

  for (const [lang, indexes] of byLanguage) {
    if (!run.translator || run.stoppedBecause) break;
    // Titles first, then the non-empty summaries; empty summaries are never sent.
    const texts: string[] = [];
    const slots: Array<{ index: number; field: "title" | "summary" }> = [];
    for (const i of indexes) {
      texts.push(items[i]!.title);
      slots.push({ index: i, field: "title" });
      if (items[i]!.summary.trim()) {
        texts.push(items[i]!.summary);
        slots.push({ index: i, field: "summary" });
      }
    }
    try {
      const english = await run.translator.translate(texts, lang);
      slots.forEach((slot, k) => {
        const text = english[k]?.trim();
        if (text) out[slot.index]![slot.field] = text;
      });
      for (const i of indexes) {
        out[i]!.translated = true;
        out[i]!.untranslated = false;
      }
      run.textsTranslated += texts.length;
    } catch (error) {
      run.failures++;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof TranslationError && error.kind !== "failed") {
        run.stoppedBecause = message;
        log.warn("translation stopped for this run", { translator: run.translator.name, reason: message });
      } else {
        log.warn("translation failed; kept original text", { translator: run.translator.name, language: lang, error: message });
      }
    }
  }
  return out;
}
