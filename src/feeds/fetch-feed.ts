// Fetches one feed safely: http(s) only, public addresses only (unless allowed), redirects followed by hand
// up to a cap, one timeout for the whole exchange (a body that drips in slowly still times out), the body
// cut off as soon as it exceeds the size cap, conditional GET. Never throws: every failure is a value.
// Pure: how a hop is made and how names resolve are injected (FeedNetwork): node:http(s) and the system
// resolver on Node (src/node/feeds.ts), fetch() on Workers (src/worker/ingest-deps.ts).
import { refusedHostReason, type Resolver } from "./address-policy";
import type { HopResponse, Transport } from "./http-transport";

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  /** For the whole exchange: every redirect and the last byte of the body. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** Allow private, loopback, link-local and unique-local addresses (tests, intranet feeds). */
  allowPrivate: boolean;
  userAgent: string;
}

/** The network a fetch goes through. */
export interface FeedNetwork {
  /** Makes one request (one hop; redirects come back to fetchFeed). */
  transport: Transport;
  /**
   * Host name → addresses, for the private-address check before each hop. Null where there is no DNS
   * API (Workers): IP literals are still checked, names are left to the platform (see address-policy.ts).
   */
  resolve: Resolver | null;
}

export type FetchErrorCode =
  | "invalid-url"
  | "unsupported-scheme"
  | "blocked-address"
  | "dns"
  | "timeout"
  | "too-large"
  | "too-many-redirects"
  | "http-status"
  | "network";

export type FetchResult =
  | {
      status: "ok";
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
    }
  | { status: "not-modified"; finalUrl: string }
  | { status: "error"; code: FetchErrorCode; error: string; httpStatus?: number };

export type FetchError = Extract<FetchResult, { status: "error" }>;

/** The User-Agent feeds see: names the service and where to learn about it. */
export function feedUserAgent(publicUrl: string): string {
  return `WorldDigest/0.1 (+${publicUrl})`;
}

class Failure extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function httpUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new Failure("invalid-url", `not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Failure("unsupported-scheme", `only http and https are fetched, not ${url.protocol.slice(0, 20)}`);
  }
  if (url.username || url.password) throw new Failure("invalid-url", "URLs with credentials are not fetched");
  return url;
}

/** Rejects as soon as the signal aborts, even if `promise` never settles (DNS lookups ignore signals). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function readCapped(response: HopResponse, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.header("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.discard();
    throw new Failure("too-large", `response is ${declared} bytes, more than the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.discard();
      throw new Failure("too-large", `response exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function checkHost(url: URL, resolve: Resolver | null, signal: AbortSignal): Promise<void> {
  let reason: string | null;
  try {
    reason = await untilAborted(refusedHostReason(url.hostname, resolve), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Failure("dns", `cannot resolve ${url.hostname}: ${(error as Error).message}`);
  }
  if (reason) throw new Failure("blocked-address", reason);
}

async function exchange(start: string, options: FetchOptions, network: FeedNetwork, signal: AbortSignal): Promise<FetchResult> {
  const maxRedirects = options.maxRedirects ?? 5;
  const headers: Record<string, string> = {
    "user-agent": options.userAgent,
    accept: "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
  };
  if (options.etag) headers["if-none-match"] = options.etag;
  if (options.lastModified) headers["if-modified-since"] = options.lastModified;

  let url = httpUrl(start);
  for (let redirects = 0; ; redirects++) {
    if (!options.allowPrivate) await checkHost(url, network.resolve, signal);
    const response = await network.transport(url, headers, signal);
    if (redirectStatuses.has(response.status)) {
      response.discard();
      const location = response.header("location");
      if (!location) throw new Failure("http-status", `HTTP ${response.status} without a Location header`, response.status);
      if (redirects >= maxRedirects) throw new Failure("too-many-redirects", `more than ${maxRedirects} redirects`);
      url = httpUrl(location, url);
      continue;
    }
    if (response.status === 304) {
      response.discard();
      return { status: "not-modified", finalUrl: url.href };
    }
    if (response.status < 200 || response.status > 299) {
      response.discard();
      throw new Failure("http-status", `HTTP ${response.status}`, response.status);
    }
    const body = await readCapped(response, options.maxBytes);
    return {
      status: "ok",
      body,
      contentType: response.header("content-type"),
      etag: response.header("etag"),
      lastModified: response.header("last-modified"),
      finalUrl: url.href,
    };
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const cause = e?.cause?.message ?? e?.cause?.code;
  return [e?.code, e?.message, cause].filter(Boolean).join(": ").slice(0, 300) || String(error).slice(0, 300);
}

/** GETs a feed. Resolves to ok (body and validators), not-modified, or an error with a code and a message. */
export async function fetchFeed(url: string, options: FetchOptions, network: FeedNetwork): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Failure("timeout", `no complete response within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    return await exchange(url, options, network, controller.signal);
  } catch (error) {
    const failure = controller.signal.aborted ? controller.signal.reason : error;
    if (failure instanceof Failure) {
      return { status: "error", code: failure.code, error: failure.message, ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}) };
    }
    if ((failure as { code?: string })?.code === "EPRIVATEADDRESS") {
      return { status: "error", code: "blocked-address", error: (failure as Error).message };
    }
    return { status: "error", code: "network", error: describe(failure) };
  } finally {
    clearTimeout(timer);
  }
}
