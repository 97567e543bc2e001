// LibreTranslate client (POST /translate with a list in `q`), for self-hosted or hosted instances.
import { postJsonWithRetry, type RetryOptions } from "./http";
import { TranslationFailedError, chunkTexts, primaryLanguage, type Translator } from "./translator";

const LT_MAX_TEXTS = 50;
const LT_MAX_CHARS = 20_000;

export interface LibreTranslateOptions extends RetryOptions {
  url: string;
  apiKey?: string;
}

interface LibreAnswer {
  translatedText?: unknown;
}

export function createLibreTranslator(options: LibreTranslateOptions): Translator {
  const endpoint = `${options.url.replace(/\/+$/, "")}/translate`;
  return {
    name: "libretranslate",
    async translate(texts, sourceLang) {
      const source = primaryLanguage(sourceLang) || "auto";
      const out: string[] = [];
      for (const chunk of chunkTexts(texts, LT_MAX_TEXTS, LT_MAX_CHARS)) {
        const answer = (await postJsonWithRetry(
          {
            service: "LibreTranslate",
            url: endpoint,
            headers: {},
            body: {
              q: chunk,
              source,
              target: "en",
              format: "text",
              ...(options.apiKey ? { api_key: options.apiKey } : {}),
            },
          },
          options,
        )) as LibreAnswer;
        const translated = answer?.translatedText;
        if (!Array.isArray(translated) || translated.length !== chunk.length) {
          throw new TranslationFailedError(`LibreTranslate: expected ${chunk.length} translations in the answer`);
        }
        for (const t of translated) {
          if (typeof t !== "string") throw new TranslationFailedError("LibreTranslate: a translation is not text");
          out.push(t);
        }
      }
      return out;
    },
  };
}
