// DeepL API client (POST /v2/translate, JSON). Keys ending in ":fx" belong to the free plan and its own
// host. At most 50 texts per request (DeepL's limit), and well under its 128 KiB body limit.
import { postJsonWithRetry, type RetryOptions } from "./http";
import { TranslationFailedError, chunkTexts, primaryLanguage, type Translator } from "./translator";

export const DEEPL_MAX_TEXTS = 50;
/** Characters per request; CJK at 3 bytes a character stays under the 128 KiB request limit. */
const DEEPL_MAX_CHARS = 30_000;

/**
 * Source languages DeepL accepts as `source_lang` (its documented list). For any other language the
 * parameter is left out and DeepL detects the language itself, rather than rejecting the request.
 */
const DEEPL_SOURCE_LANGS = new Set([
  "ar", "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "hu", "id", "it", "ja", "ko", "lt", "lv",
  "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk", "zh",
]);
const ALIASES: Record<string, string> = { no: "nb", nn: "nb" };

export interface DeeplOptions extends RetryOptions {
  apiKey: string;
  /** Overrides the host chosen from the key (tests, proxies). */
  baseUrl?: string;
}

export function deeplBaseUrl(apiKey: string, override?: string): string {
  if (override) return override.replace(/\/+$/, "");
  return apiKey.trim().endsWith(":fx") ? "https://api-free.deepl.com" : "https://api.deepl.com";
}

/** DeepL's code for a BCP 47 tag, or undefined to let DeepL detect it. */
export function deeplSourceLang(tag: string): string | undefined {
  const primary = primaryLanguage(tag);
  const code = Object.hasOwn(ALIASES, primary) ? ALIASES[primary]! : primary;
  return DEEPL_SOURCE_LANGS.has(code) ? code.toUpperCase() : undefined;
}

interface DeeplAnswer {
  translations?: Array<{ text?: unknown }>;
}

export function createDeeplTranslator(options: DeeplOptions): Translator {
  const url = `${deeplBaseUrl(options.apiKey, options.baseUrl)}/v2/translate`;
  return {
    name: "deepl",
    async translate(texts, sourceLang) {
      const sourceCode = deeplSourceLang(sourceLang);
      const out: string[] = [];
      for (const chunk of chunkTexts(texts, DEEPL_MAX_TEXTS, DEEPL_MAX_CHARS)) {
        const answer = (await postJsonWithRetry(
          {
            service: "DeepL",
            url,
            headers: { authorization: `DeepL-Auth-Key ${options.apiKey}` },
            body: { text: chunk, target_lang: "EN-US", ...(sourceCode ? { source_lang: sourceCode } : {}) },
            quotaStatus: 456,
          },
          options,
        )) as DeeplAnswer;
        const translations = answer?.translations;
        if (!Array.isArray(translations) || translations.length !== chunk.length) {
          throw new TranslationFailedError(`DeepL: expected ${chunk.length} translations in the answer`);
        }
        for (const t of translations) {
          if (typeof t?.text !== "string") throw new TranslationFailedError("DeepL: a translation is not text");
          out.push(t.text);
        }
      }
      return out;
    },
  };
}
