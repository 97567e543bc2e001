// The client's address, for rate limits. Cloudflare sets cf-connecting-ip; behind another proxy,
// X-Forwarded-For is only believed with TRUST_PROXY=true (otherwise anyone could pick their own address).
import type { Context } from "hono";
import { badRequest } from "../errors";

export function clientIp(c: Context, trustProxy: boolean): string {
  const cf = c.req.header("cf-connecting-ip");
  if (cf) return cf;
  if (trustProxy) {
    const xff = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (xff) return xff;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
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
