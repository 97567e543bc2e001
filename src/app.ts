// The route table. createApp builds the Hono app from its dependencies; src/server.ts (Node) and
// src/worker.ts (Workers) are the only places that start anything.
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { requestId } from "hono/request-id";
import type { Deps } from "./deps";
import { AppError, errorBody } from "./errors";
import { securityHeaders } from "./http/security-headers";
import { requireApiToken } from "./http/api-auth";
import { pingDatabase } from "../db/client";
import { appCss } from "./views/assets-css";
import { appJs } from "./views/assets-js";
import { ErrorPage } from "./views/pages";
import { subscribeRoutes } from "./routes/subscribe";
import { confirmRoutes } from "./routes/confirm";
import { manageRoutes } from "./routes/manage";
import { resubscribeRoutes, unsubscribeRoutes } from "./routes/unsubscribe";
import { subscribersApi } from "./routes/api-subscribers";
import { articlesApi } from "./routes/api-articles";
import { storiesApi } from "./routes/api-stories";
import { sourcesApi } from "./routes/api-sources";
import { webhookRoutes } from "./routes/webhooks";
import { statsApi } from "./routes/api-stats";
import { viewRoutes } from "./routes/view";
import { devOutboxRoutes, hasDevOutbox } from "./routes/dev-outbox";
import { countryRoutes } from "./routes/countries";
import { worldMapAssetRoutes } from "./routes/world-map-asset";

const KB = 1024;

/** Link tokens are capabilities: never write them to logs. */
export const redactTokens = (path: string) => path.replace(/\/(confirm|manage|unsubscribe|view)\/[^/]+/g, "/$1/<token>");

/** JSON for machines (/api, /webhooks), a calm page for people. */
const wantsJson = (c: Context) => c.req.path.startsWith("/api/") || c.req.path.startsWith("/webhooks/");

export function createApp(deps: Deps): Hono {
  const app = new Hono();
  const publicOrigin = new URL(deps.config.publicUrl).origin;

  app.use(requestId());
  app.use(securityHeaders(deps.config.publicUrl.startsWith("https://")));

  // Bodies: forms are small; the push API takes batches of articles.
  const tooLarge = (limit: string) => (c: Context) => {
    throw new AppError(413, "payload_too_large", `The request body is too large (limit ${limit})`);
  };
  app.use("/api/*", bodyLimit({ maxSize: 2048 * KB, onError: tooLarge("2 MB") }));
  app.use("/webhooks/*", bodyLimit({ maxSize: 256 * KB, onError: tooLarge("256 KB") }));
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/api/") || c.req.path.startsWith("/webhooks/")) return next();
    // GET and HEAD carry no body; asking for one makes @hono/node-server build a full Request per page view.
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return bodyLimit({ maxSize: 64 * KB, onError: tooLarge("64 KB") })(c, next);
  });

  // Machines: bearer token or signature, no cookies, so no CSRF check.
  app.get("/healthz", async (c) => {
    const ok = await pingDatabase(deps.db);
    return c.json({ status: ok ? "ok" : "unavailable", database: ok ? "reachable" : "unreachable" }, ok ? 200 : 503);
  });
  app.use("/api/*", requireApiToken(deps.config.API_TOKEN));
  app.route("/api", subscribersApi(deps));
  app.route("/api", articlesApi(deps));
  app.route("/api", storiesApi(deps));
  app.route("/api", sourcesApi(deps));
  app.route("/api", statsApi(deps));
  app.route("/webhooks", webhookRoutes(deps));
  // RFC 8058 one-click: a mail provider POSTs with no cookies and no Origin; the signed token authorises it.
  app.route("/unsubscribe", unsubscribeRoutes(deps));

  app.get("/assets/app.css", (c) => c.body(appCss, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }));
  app.get("/assets/app.js", (c) => c.body(appJs, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=3600" }));
  app.route("/", worldMapAssetRoutes());

  // People: every other form is CSRF-checked against PUBLIC_URL's origin only (the request's own Host is
  // the client's to choose), and takes only what a form sends: hono's check looks at form encodings only,
  // so a JSON body, another type or no body at all would otherwise pass without an Origin.
  const people = new Hono();
  people.use(csrf({ origin: (origin) => origin === publicOrigin }));
  people.use(async (c, next) => {
    if (c.req.method !== "POST") return next();
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i.test(c.req.header("content-type") ?? "")) {
      throw new AppError(415, "unsupported_media_type", "This form can only be sent from its page. Open the page again and resend it.");
    }
    return next();
  });
  people.route("/", subscribeRoutes(deps));
  people.route("/confirm", confirmRoutes(deps));
  people.route("/manage", manageRoutes(deps));
  people.route("/unsubscribe", resubscribeRoutes(deps));
  people.route("/view", viewRoutes(deps));
  people.route("/countries", countryRoutes(deps));
  if (hasDevOutbox(deps)) people.route("/dev/outbox", devOutboxRoutes(deps.outbox));
  app.route("/", people);

  app.notFound((c) => {
    if (wantsJson(c)) return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}`), 404);
    return c.html(ErrorPage({ title: "Page not found", message: "There's nothing at this address.", }), 404);
  });

  app.onError((err, c) => {
    const id = c.get("requestId");
    if (err instanceof AppError) {
      if (wantsJson(c)) return c.json(errorBody(err.code, err.message, err.fields, id), err.status);
      return c.html(ErrorPage({ title: err.status === 429 ? "Slow down a little" : "Something is not right", message: err.message, requestId: id, }), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const message =
        status === 403
          ? "This form was sent from another site, or your browser hid where it came from. Open the page again and resend it."
          : err.message || "The request could not be handled.";
      if (wantsJson(c)) return c.json(errorBody(status === 403 ? "forbidden" : "bad_request", message, undefined, id), status);
      return c.html(ErrorPage({ title: status === 403 ? "Please send the form again" : "Something is not right", message: message, requestId: id, }), status);
    }
    deps.log.error("unhandled error", { requestId: id, method: c.req.method, path: redactTokens(c.req.path), error: String(err), stack: err instanceof Error ? err.stack : undefined });
    if (wantsJson(c)) return c.json(errorBody("internal", "Something went wrong on our side; it was logged.", undefined, id), 500);
    return c.html(ErrorPage({ title: "Something went wrong on our side", message: "It was logged and we'll look into it. Please try again in a moment.", requestId: id, }), 500);
  });

  return app;
}
