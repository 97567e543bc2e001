// Translation to English, behind one interface so ingestion never knows which service (if any) answers.
// Errors are typed by what the caller should do: wait (rate-limited), stop for this run (quota), or give
// up on this batch (failed). In every case the original text is kept and the article marked untranslated.

export interface Translator {
  /** Shown in logs and summaries, e.g. "deepl". */
  name: string;
  /** Translates each text to English; the answer has the same length and order as `texts`. */
  translate(texts: string[], sourceLang: string): Promise<string[]>;
}

export type TranslationErrorKind = "rate_limited" | "quota_exceeded" | "failed";

export class TranslationError extends Error {
  constructor(
    readonly kind: TranslationErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "TranslationError";
  }
}

/** Still rate-limited after the bounded retries; `retryAfterMs` is the service's last hint, if any. */
export class RateLimitedError extends TranslationError {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super("rate_limited", message);
    this.name = "RateLimitedError";
  }
}

/** The account's character quota is used up (DeepL answers 456): stop translating for this run. */
export class QuotaExceededError extends TranslationError {
  constructor(message: string) {
    super("quota_exceeded", message);
    this.name = "QuotaExceededError";
  }
}

/** Anything else: bad key, server error after retries, malformed answer, network failure. */
export class TranslationFailedError extends TranslationError {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super("failed", message);
    this.name = "TranslationFailedError";
  }
}

/** "pt-BR" → "pt"; "" → "". */
export function primaryLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
}

export function isEnglish(tag: string): boolean {
  return primaryLanguage(tag) === "en";
}

/**
 * Splits texts into request-sized chunks: at most `maxTexts` per chunk and, where possible, at most
 * `maxChars` characters (a single longer text gets a chunk of its own).
 */
export function chunkTexts(texts: string[], maxTexts: number, maxChars: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (current.length > 0 && (current.length >= maxTexts || chars + text.length > maxChars)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(text);
    chars += text.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Retry-After is either seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
