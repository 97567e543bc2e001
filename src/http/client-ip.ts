// The client's address, for rate limits. A forwarding header is believed only where something we trust
// sets it: on Workers, Cloudflare sets CF-Connecting-IP (src/worker/setup.ts); on Node, only when the
// operator says a proxy sets it (TRUST_PROXY), and then only the hop they name — X-Forwarded-For entries
// to the left of the ones our own proxies appended are whatever the client wrote. Otherwise the socket.
import type { Context } from "hono";
import type { ClientAddressSource } from "../config";
import { badRequest } from "../errors";
import { ipBytes } from "../feeds/address-policy";

/**
 * The address as rate limits count it: IPv4 as is (also when a dual-stack socket shows it as
 * ::ffff:a.b.c.d), IPv6 by its /64 — one customer's network, inside which any host may pick any of
 * 2^64 addresses. "unknown" when there is none (a request that did not come through a socket).
 */
export function rateLimitAddress(address: string | undefined | null): string {
  const bytes = address ? ipBytes(address.trim()) : null;
  if (!bytes) return "unknown";
  if (bytes.length === 4) return bytes.join(".");
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join(".");
  const words = [];
  for (let i = 0; i < 8; i += 2) words.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `${words.join(":")}::/64`;
}

function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** Who sent this request, as rate limits count it (see rateLimitAddress). */
export function clientAddress(c: Context, source: ClientAddressSource): string {
  switch (source.from) {
    case "cf-connecting-ip":
      return rateLimitAddress(c.req.header("cf-connecting-ip") ?? socketAddress(c));
    case "x-forwarded-for": {
      // Each proxy appends the address it was reached from: the n-th entry from the right is the one our
      // n-th proxy saw. Fewer entries than proxies: it did not come through them all, so the socket.
      const entries = (c.req.header("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean);
      return rateLimitAddress(entries.length >= source.hops ? entries[entries.length - source.hops] : socketAddress(c));
    }
    case "socket":
      return rateLimitAddress(socketAddress(c));
  }
}

/** Form fields as plain values: strings, or arrays of strings for repeated names; files are dropped. */
export async function formValues(c: Context): Promise<Record<string, unknown>> {
  let body: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    // A multipart body that does not match its boundary, or bytes that are no form at all.
    throw badRequest("The form could not be read. Open the page again and resend it.");
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === "string");
  }
  return out;
}
