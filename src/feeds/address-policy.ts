// Which addresses a feed fetch may connect to. A feed URL is operator- or API-supplied, so without this a
// URL could reach the service's own network (metadata endpoints, databases, admin ports): private,
// loopback, link-local, unique-local and other non-public ranges are refused unless allowed by config.
// Pure (no node:dns, no node:net): runs on Workers too. The resolver is injected (Node: src/node/feed-transport.ts).

type Range = [prefix: number[], bits: number];

// The same grammar as Node's net.isIP (lib/internal/net.js): dotted decimal without leading zeros, and
// every IPv6 spelling including an embedded IPv4 tail and a zone id.
const v4Seg = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const v4Str = `(?:${v4Seg}\\.){3}${v4Seg}`;
const v6Seg = "(?:[0-9a-fA-F]{1,4})";
const ipv4Pattern = new RegExp(`^${v4Str}$`);
const ipv6Pattern = new RegExp(
  "^(?:" +
    `(?:${v6Seg}:){7}(?:${v6Seg}|:)|` +
    `(?:${v6Seg}:){6}(?:${v4Str}|:${v6Seg}|:)|` +
    `(?:${v6Seg}:){5}(?::${v4Str}|(?::${v6Seg}){1,2}|:)|` +
    `(?:${v6Seg}:){4}(?:(?::${v6Seg}){0,1}:${v4Str}|(?::${v6Seg}){1,3}|:)|` +
    `(?:${v6Seg}:){3}(?:(?::${v6Seg}){0,2}:${v4Str}|(?::${v6Seg}){1,4}|:)|` +
    `(?:${v6Seg}:){2}(?:(?::${v6Seg}){0,3}:${v4Str}|(?::${v6Seg}){1,5}|:)|` +
    `(?:${v6Seg}:){1}(?:(?::${v6Seg}){0,4}:${v4Str}|(?::${v6Seg}){1,6}|:)|` +
    `(?::(?:(?::${v6Seg}){0,5}:${v4Str}|(?::${v6Seg}){1,7}|:))` +
    ")(?:%[0-9a-zA-Z-.:]{1,})?$",
);

/** 4, 6, or 0 when `address` is not an IP address (like Node's net.isIP). */
export function isIP(address: string): 0 | 4 | 6 {
  if (ipv4Pattern.test(address)) return 4;
  if (ipv6Pattern.test(address)) return 6;
  return 0;
}

/** Non-public IPv4 ranges (RFC 6890 and friends). */
const ipv4Ranges: Range[] = [
  [[0, 0, 0, 0], 8], [[10, 0, 0, 0], 8], [[100, 64, 0, 0], 10], [[127, 0, 0, 0], 8], [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12], [[192, 0, 0, 0], 24], [[192, 0, 2, 0], 24], [[192, 88, 99, 0], 24], [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], [[198, 51, 100, 0], 24], [[203, 0, 113, 0], 24], [[224, 0, 0, 0], 4], [[240, 0, 0, 0], 4],
];

/** Non-public IPv6 ranges, as bytes. Mapped/embedded IPv4 forms are unwrapped before these are checked. */
const ipv6Ranges: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128], // unspecified
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128], // loopback
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x20, 0x01, 0x00, 0x00], 32], // Teredo (tunnels to arbitrary IPv4)
  [[0xfc], 7], // unique local
  [[0xfe, 0x80], 10], // link local
  [[0xfe, 0xc0], 10], // site local (deprecated)
  [[0xff], 8], // multicast
];

function inRange(bytes: number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i < bits; i += 8) {
    const mask = bits - i >= 8 ? 0xff : (0xff << (8 - (bits - i))) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv4Bytes(address: string): number[] {
  return address.split(".").map(Number);
}

/** "2001:db8::1", "::ffff:127.0.0.1", "fe80::1%eth0" → 16 bytes. Assumes isIP(address) === 6. */
function ipv6Bytes(address: string): number[] {
  let text = address.replace(/%.*$/, "");
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(rest);
  const words = rest === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  for (const word of words) tail.push((word >> 8) & 0xff, word & 0xff);
  return tail;
}

/** An IP address's bytes (4 for IPv4, 16 for IPv6, zone id ignored), or null when it is not one. */
export function ipBytes(address: string): number[] | null {
  const bare = address.replace(/%.*$/, "");
  const version = isIP(bare);
  return version === 4 ? ipv4Bytes(bare) : version === 6 ? ipv6Bytes(bare) : null;
}

/** True for any address a public feed cannot legitimately live at (IPv4, IPv6, IPv4-mapped IPv6). */
export function isPrivateAddress(address: string): boolean {
  const bytes = ipBytes(address);
  if (!bytes) return true; // not an address at all: refuse rather than guess
  if (bytes.length === 4) return ipv4Ranges.some((range) => inRange(bytes, range));
  const allZero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  // ::/96 — the unspecified and loopback addresses, and the deprecated IPv4-compatible form ::a.b.c.d
  // (RFC 4291 §2.5.5.1), which no public host uses and which some stacks route to the IPv4 address inside
  // (::0.0.127.1 is ::7f01). Refused whatever it carries.
  if (allZero(0, 12)) return true;
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765) and 64:ff9b:1::/48 (local-use NAT64, RFC 8215) are
  // translator addresses of a network's own: a public feed is never reached through them.
  if (allZero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && allZero(10, 12)) return true;
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes[4] === 0 && bytes[5] === 1) return true;
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (well-known NAT64) carry an IPv4 address: check that.
  const mapped = allZero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
  const nat64 = bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && allZero(4, 12);
  if (mapped || nat64) return isPrivateAddress(bytes.slice(12).join("."));
  // 2002:AABB:CCDD::/48 (6to4) carries the IPv4 address AA.BB.CC.DD.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return isPrivateAddress(bytes.slice(2, 6).join("."));
  return ipv6Ranges.some((range) => inRange(bytes, range));
}

/** Resolves a host name to every address it has (the same resolver the connection uses). */
export type Resolver = (hostname: string) => Promise<string[]>;

/**
 * Null when every address of `hostname` is public, else why not. IP literals are checked as they are;
 * names are resolved and each of their addresses checked. With no resolver (`null`: Cloudflare Workers,
 * which have no DNS API) only literals are checked: there the platform refuses subrequests to private
 * addresses itself (Cloudflare error 1000 "DNS points to prohibited IP"), and a Worker has no private
 * network of its own to protect.
 */
export async function refusedHostReason(hostname: string, resolve: Resolver | null): Promise<string | null> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return isPrivateAddress(host) ? `refused: ${host} is a private or local address` : null;
  if (!resolve) return null;
  const addresses = await resolve(host);
  if (addresses.length === 0) return `refused: ${host} has no address`;
  // The message is kept on the source and shown by GET /api/sources: it must not tell what an internal
  // name resolves to.
  return addresses.some(isPrivateAddress) ? `refused: ${host} resolves to a private or local address` : null;
}
