// Picks the configured translator: DeepL if a key is set, else LibreTranslate if a URL is set, else none
// (articles then keep their original text and are marked untranslated).
import type { Config } from "../config";
import { createDeeplTranslator } from "./deepl";
import type { RetryOptions } from "./http";
import { createLibreTranslator } from "./libretranslate";
import type { Translator } from "./translator";

type TranslatorConfig = Pick<Config, "DEEPL_API_KEY" | "DEEPL_BASE_URL" | "LIBRETRANSLATE_URL" | "LIBRETRANSLATE_API_KEY">;

export function createTranslator(config: TranslatorConfig, options: RetryOptions = {}): Translator | null {
  if (config.DEEPL_API_KEY) {
    return createDeeplTranslator({ ...options, apiKey: config.DEEPL_API_KEY, baseUrl: config.DEEPL_BASE_URL });
  }
  if (config.LIBRETRANSLATE_URL) {
    return createLibreTranslator({ ...options, url: config.LIBRETRANSLATE_URL, apiKey: config.LIBRETRANSLATE_API_KEY });
  }
  return null;
}
