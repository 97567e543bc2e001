// Security headers on every answer; a route may set its own Content-Security-Policy (e.g. the outbox
// preview of an email, which needs inline styles) and it is kept.
import type { MiddlewareHandler } from "hono";

export const pageCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** For rendered emails shown in the browser: their inline styles, nothing else, no scripts. */
export const emailCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox";

export function securityHeaders(https: boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    if (!h.has("Content-Security-Policy")) h.set("Content-Security-Policy", pageCsp);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    if (!h.has("X-Frame-Options")) h.set("X-Frame-Options", h.get("Content-Security-Policy")?.includes("frame-ancestors 'self'") ? "SAMEORIGIN" : "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (https) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Pages carrying personal tokens must not be cached by shared caches.
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
  };
}
