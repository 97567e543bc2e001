// The HTTP part both translation clients share: POST JSON, retry 429 (honouring Retry-After) and 5xx /
// network errors with bounded exponential backoff, and turn every other answer into a typed error.
import {
  QuotaExceededError,
  RateLimitedError,
  TranslationFailedError,
  parseRetryAfter,
  realSleep,
  type Sleep,
} from "./translator";

export interface RetryOptions {
  /** Retries after the first attempt (429, 5xx, network). Default 3. */
  maxRetries?: number;
  /** First backoff when the service gives no Retry-After; doubles each time. Default 1000 ms. */
  baseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate-limited. Default 60 s. */
  maxWaitMs?: number;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  sleep?: Sleep;
  fetch?: typeof fetch;
}

export interface PostJsonRequest {
  service: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Status meaning "quota used up" for this service (DeepL: 456). */
  quotaStatus?: number;
}

export async function postJsonWithRetry(request: PostJsonRequest, options: RetryOptions = {}): Promise<unknown> {
  const maxRetries = options.maxRetries ?? 3;
  const baseDelay = options.baseDelayMs ?? 1000;
  const maxWait = options.maxWaitMs ?? 60_000;
  const sleep = options.sleep ?? realSleep;
  const doFetch = options.fetch ?? fetch;
  const payload = JSON.stringify(request.body);

  for (let attempt = 0; ; attempt++) {
    const backoff = baseDelay * 2 ** attempt;
    const canRetry = attempt < maxRetries;
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...request.headers },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      if (canRetry) {
        await sleep(backoff);
        continue;
      }
      throw new TranslationFailedError(`${request.service}: request failed (${describe(error)})`);
    }

    if (response.ok) {
      try {
        return await response.json();
      } catch {
        throw new TranslationFailedError(`${request.service}: the answer is not JSON`, response.status);
      }
    }

    const detail = await errorDetail(response);
    if (request.quotaStatus !== undefined && response.status === request.quotaStatus) {
      throw new QuotaExceededError(`${request.service}: translation quota exceeded${detail}`);
    }
    if (response.status === 429) {
      const hinted = parseRetryAfter(response.headers.get("retry-after"), new Date());
      const wait = hinted ?? backoff;
      if (!canRetry || wait > maxWait) {
        throw new RateLimitedError(`${request.service}: rate-limited (429)${detail}`, hinted);
      }
      await sleep(wait);
      continue;
    }
    if (response.status >= 500 && canRetry) {
      await sleep(backoff);
      continue;
    }
    throw new TranslationFailedError(`${request.service}: HTTP ${response.status}${detail}`, response.status);
  }
}

/** A short, single-line excerpt of the service's error message (never the request, so never the key). */
async function errorDetail(response: Response): Promise<string> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    return "";
  }
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = parsed.message ?? parsed.error;
    if (typeof m === "string") message = m;
  } catch {
    // not JSON: keep the text
  }
  message = message.replace(/\s+/g, " ").trim().slice(0, 200);
  return message ? `: ${message}` : "";
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return error.name === "TimeoutError" ? "timed out" : cause?.code ?? error.message;
  }
  return String(error);
}
