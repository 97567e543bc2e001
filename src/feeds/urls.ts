// Links from feeds: resolved against the feed's base, only http(s), and a canonical form for deduplication
// (tracking parameters and fragment removed, host lower-cased).

/** Query parameters that only track the reader; removed from canonical URLs (compared case-insensitively). */
const trackingParams = new Set([
  "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
  "igshid", "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "icid", "ito", "ocid",
  "smid", "smtyp", "sr_share", "_ga", "_gl", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "ns_mchannel",
  "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "s_cid", "wt.mc_id", "wt.tsrc", "at_medium",
  "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "xtor", "cid_source",
  "spm", "trk", "trkcampaign", "oly_enc_id", "oly_anon_id", "vero_id", "__twitter_impression",
]);
const trackingPrefixes = ["utm_", "pk_", "mtm_", "itm_"];

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return trackingParams.has(lower) || trackingPrefixes.some((p) => lower.startsWith(p));
}

/** Parses `raw` relative to each base in turn; returns the first absolute http(s) URL, else null. */
export function resolveHttpUrl(raw: string | null | undefined, ...bases: Array<string | null | undefined>): URL | null {
  // The URL parser itself drops tabs and newlines inside and percent-encodes spaces.
  const value = (raw ?? "").trim();
  if (!value) return null;
  const attempts: Array<string | undefined> = [undefined, ...bases.filter((b): b is string => !!b)];
  for (const base of attempts) {
    try {
      const url = base === undefined ? new URL(value) : new URL(value, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url : null;
    } catch {
      // not absolute, or not against this base: try the next one
    }
  }
  return null;
}

/**
 * The form used to recognise the same article twice: http(s) only, host lower-cased (the URL parser does
 * that and drops default ports), fragment and tracking parameters removed, remaining parameters kept in
 * their order. Returns null for anything that is not an http(s) URL.
 */
export function canonicalUrl(input: string | URL): string | null {
  let url: URL;
  try {
    url = new URL(typeof input === "string" ? input.trim() : input.href);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.hash = "";
  url.username = "";
  url.password = "";
  const kept = [...url.searchParams].filter(([name]) => !isTracking(name));
  if (kept.length !== [...url.searchParams].length) {
    url.search = kept.length ? new URLSearchParams(kept).toString() : "";
  }
  return url.href.replace(/\?$/, "");
}
