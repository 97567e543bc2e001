// Node only: the feed core (src/feeds/fetch-feed.ts, load-feed.ts) wired to Node's network and disk —
// node:http(s) with connect-time address checks and the system resolver, the sample feeds in
// db/sample-feeds, and local files for the CLI. Ingestion, `npm run feed` and `npm run sources:check` use it.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Resolver } from "../feeds/address-policy";
import { fetchFeed as fetchFeedWith, feedUserAgent, type FeedNetwork, type FetchOptions as CoreFetchOptions, type FetchResult } from "../feeds/fetch-feed";
import { fetchTransport, type FetchLike } from "../feeds/http-transport";
import { loadFeed as loadFeedWith, loadFeedOptions, type FeedAccess, type FeedSource, type LoadFeedOptions as CoreLoadFeedOptions, type LoadFeedResult } from "../feeds/load-feed";
import { readSampleFeed } from "../feeds/sample-feeds";
import { nodeTransport, systemResolver } from "./feed-transport";

export { feedUserAgent, loadFeedOptions, type FetchResult, type LoadFeedResult };

/** Where the catalog lives on disk (tools that read or check the raw file). */
export const sourceCatalogPath = fileURLToPath(new URL("../../db/sources.json", import.meta.url));

/** How to reach the network from Node: node:http(s) by default, or a given fetch(); the system resolver by default. */
export interface NodeNetworkOptions {
  allowPrivate: boolean;
  /** A fetch() to use instead of node:http(s) (addresses are then checked before each request only). */
  fetchImpl?: FetchLike;
  /** Host name → addresses, for the address check (default: the system resolver). */
  resolve?: Resolver;
}

export type FetchOptions = CoreFetchOptions & Omit<NodeNetworkOptions, "allowPrivate">;
export type LoadFeedOptions = CoreLoadFeedOptions & Omit<NodeNetworkOptions, "allowPrivate">;

export function nodeFeedNetwork(options: NodeNetworkOptions): FeedNetwork {
  return {
    transport: options.fetchImpl ? fetchTransport(options.fetchImpl) : nodeTransport({ allowPrivate: options.allowPrivate }),
    resolve: options.resolve ?? systemResolver,
  };
}

async function readLocalFile(pathOrFileUrl: string): Promise<Uint8Array> {
  const path = pathOrFileUrl.startsWith("file:") ? fileURLToPath(pathOrFileUrl) : pathOrFileUrl;
  return new Uint8Array(await readFile(path));
}

/** Everything a feed may be read from on Node: the network, the sample feeds, local files (with allowFiles). */
export function nodeFeedAccess(options: NodeNetworkOptions): FeedAccess {
  return { ...nodeFeedNetwork(options), readSample: readSampleFeed, readFile: readLocalFile };
}

/** fetchFeed over Node's network. */
export function fetchFeed(url: string, options: FetchOptions): Promise<FetchResult> {
  return fetchFeedWith(url, options, nodeFeedNetwork(options));
}

/** loadFeed with Node's network, the sample feeds and (with allowFiles) local files. */
export function loadFeed(source: FeedSource, options: LoadFeedOptions): Promise<LoadFeedResult> {
  return loadFeedWith(source, options, nodeFeedAccess(options));
}
