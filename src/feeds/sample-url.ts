// How a sample source's feed URL looks ("sample:<slug>"). Pure, so the feed core can recognise sample
// URLs without reading the sample files (Node only: sample-feeds.ts).

/** Feed URL prefix of a sample source in the sources table: read from disk (Node), never from the network. */
export const SAMPLE_URL_PREFIX = "sample:";

export function isSampleFeedUrl(url: string): boolean {
  return url.startsWith(SAMPLE_URL_PREFIX);
}
