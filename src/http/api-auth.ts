// Bearer-token guard for the news app's JSON API. Constant-time comparison; a missing API_TOKEN
// disables the API (every call answers 401 and says why).
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

export function requireApiToken(token: string | undefined): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) throw new AppError(401, "api_disabled", "The API is disabled: set API_TOKEN to enable it");
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new AppError(401, "unauthorized", "A valid bearer token is required (Authorization: Bearer <API_TOKEN>)");
    }
    await next();
  };
}
