// The one way a feed becomes items, shared by ingestion and `npm run feed`: fetch (or read a sample / local
// file) → decode → parse → normalise. Never throws: an unreachable or broken feed is a value to record.
// Pure: the network, the sample reader and the file reader are injected (FeedAccess). Node wires
// node:http(s), db/sample-feeds and local files (src/node/feeds.ts); the Worker wires fetch() only.
import type { Config } from "../config";
import { feedUserAgent, fetchFeed, type FeedNetwork, type FetchErrorCode, type FetchOptions } from "./fetch-feed";
import { FeedParseError, parseFeedBytes } from "./parse-feed";
import { isSampleFeedUrl, SAMPLE_URL_PREFIX } from "./sample-url";
import type { ParsedFeed } from "./types";

export interface FeedSource {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  /** The outlet's language: used for items when the feed declares none. */
  language?: string;
}

export interface LoadFeedOptions extends Omit<FetchOptions, "etag" | "lastModified"> {
  /** The fetch time: stands in for missing dates; "now" for sample feeds. */
  now: Date;
  /** Used when neither the source, the feed nor the item names a language (default "en"). */
  defaultLanguage?: string;
  /**
   * Read local paths and file: URLs (the CLI only). Off for ingestion, where feed URLs come from the
   * database and the API: a feed URL must never read the server's files.
   */
  allowFiles?: boolean;
}

/** What loadFeed may reach besides its options: the network, and (Node only) sample feeds and files. */
export interface FeedAccess extends FeedNetwork {
  /** Reads a sample feed by slug, dates shifted to `now`; absent: "sample:" URLs are an error. */
  readSample?: (slug: string, now: Date) => Promise<ParsedFeed & { encoding: string }>;
  /** Reads a local path or file: URL (only used with allowFiles); absent: local paths are refused. */
  readFile?: (pathOrFileUrl: string) => Promise<Uint8Array>;
}

export type LoadErrorCode = FetchErrorCode | "parse" | "read";

export type LoadFeedResult =
  | {
      status: "ok";
      feed: ParsedFeed;
      /** Validators to send next time (conditional GET); null for files and samples. */
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
      encoding: string;
    }
  | { status: "not-modified"; finalUrl: string }
  | { status: "error"; code: LoadErrorCode; error: string; httpStatus?: number };

/** Feed options from the configuration (timeout, size cap, private addresses, User-Agent). */
export function loadFeedOptions(config: Config, now: Date): LoadFeedOptions {
  return {
    now,
    timeoutMs: config.FEED_TIMEOUT_MS,
    maxBytes: config.FEED_MAX_BYTES,
    maxRedirects: 5,
    allowPrivate: config.FEED_ALLOW_PRIVATE,
    userAgent: feedUserAgent(config.publicUrl),
  };
}

function isLocalPath(url: string): boolean {
  return url.startsWith("file:") || !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^[a-z]:[\\/]/i.test(url);
}

interface FeedBytes {
  body: Uint8Array;
  contentType: string | null;
  finalUrl: string;
  etag: string | null;
  lastModified: string | null;
}

function parsed({ body, contentType, finalUrl, etag, lastModified }: FeedBytes, source: FeedSource, options: LoadFeedOptions): LoadFeedResult {
  const defaultLanguage = source.language ?? options.defaultLanguage ?? "en";
  const feed = parseFeedBytes(body, contentType, { baseUrl: finalUrl, fetchedAt: options.now, defaultLanguage });
  const { encoding, ...rest } = feed;
  return { status: "ok", feed: rest, etag, lastModified, finalUrl, encoding };
}

/** Fetches (or reads) one feed and returns its normalised items, or why it could not. */
export async function loadFeed(source: FeedSource, options: LoadFeedOptions, access: FeedAccess): Promise<LoadFeedResult> {
  try {
    if (isSampleFeedUrl(source.url)) {
      if (!access.readSample) return { status: "error", code: "read", error: "sample feeds are not available here" };
      const { encoding, ...feed } = await access.readSample(source.url.slice(SAMPLE_URL_PREFIX.length), options.now);
      return { status: "ok", feed, etag: null, lastModified: null, finalUrl: source.url, encoding };
    }
    if (isLocalPath(source.url)) {
      if (!options.allowFiles || !access.readFile) return { status: "error", code: "unsupported-scheme", error: "only http and https feed URLs are fetched" };
      const body = await access.readFile(source.url);
      // Relative links in a local file have no site to resolve against but the channel's own link.
      return parsed({ body, contentType: null, finalUrl: "https://local-file.invalid/", etag: null, lastModified: null }, source, options);
    }
    const { transport, resolve } = access;
    const fetched = await fetchFeed(source.url, { ...options, etag: source.etag, lastModified: source.lastModified }, { transport, resolve });
    if (fetched.status !== "ok") return fetched;
    return parsed(fetched, source, options);
  } catch (error) {
    if (error instanceof FeedParseError) return { status: "error", code: "parse", error: error.message };
    return { status: "error", code: "read", error: (error as Error)?.message?.slice(0, 300) ?? String(error) };
  }
}
