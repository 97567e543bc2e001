// Nobody gets in: every token-taking route against tampered, truncated, re-signed, expired, cross-purpose,
// revoked and other subscribers' links; the provider webhook against bad, missing, replayed and old
// signatures; every /api route without or with a wrong token; every form route against cross-site posts;
// and a link scanner that GETs and HEADs every link of a confirmation email and of a digest email as the
// provider received it. Each attempt must be refused (or be harmless) AND leave the database exactly as it
// was: the whole database is snapshotted before and compared after.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Hono } from "hono";
import { createApp } from "../src/app";
import { runTick } from "../src/digest/tick";
import { createToken, freshManageLink, linkFor, type TokenPurpose } from "../src/tokens";
import { signPayload } from "../src/webhooks/svix-signature";
import { articles, deliveries, mailQueue, rateLimits, sources, stories, subscribers, suppressions, webhookEvents } from "../db/schema";
import { findSubscriberByEmail, type Subscriber } from "../db/queries/subscribers";
import { createDigestWorld, addSubscriber, seedStory, type DigestWorld } from "./helpers/digest-world";
import { ORIGIN } from "./helpers/app";
import { linksIn } from "./helpers/html-safety";

const NOW = "2026-05-11T07:05:00Z";
const API_TOKEN = "test-api-token-0123456789abcdef";
const WEBHOOK_SECRET = `whsec_${Buffer.from("the access test webhook signing key").toString("base64")}`;

let w: DigestWorld;
let app: Hono;
let alice: Subscriber;
let bob: Subscriber;
let pending: Subscriber;

const secret = () => w.deps.config.appSecret;
const tokenOf = (purpose: TokenPurpose, s: Pick<Subscriber, "id" | "tokenVersion">, at = w.clock.now) => linkFor("", secret(), purpose, s, at).split("/")[2]!;
/** A manage link as the "fresh link" email carries it (export and erase take one). */
const freshTokenOf = (s: Pick<Subscriber, "id" | "tokenVersion">) => freshManageLink("", secret(), s, w.clock.now).split("/")[2]!;

/** Everything in the database, as comparable JSON (rate-limit counters left out: attempts may count). */
async function snapshot(): Promise<string> {
  const db = w.db;
  const tables = {
    subscribers: await db.select().from(subscribers).orderBy(subscribers.email),
    deliveries: await db.select().from(deliveries).orderBy(deliveries.id),
    suppressions: await db.select().from(suppressions).orderBy(suppressions.email),
    webhookEvents: await db.select().from(webhookEvents).orderBy(webhookEvents.id),
    sources: await db.select().from(sources).orderBy(sources.id),
    articles: await db.select().from(articles).orderBy(articles.id),
    stories: await db.select().from(stories).orderBy(stories.id),
    mailQueue: await db.select().from(mailQueue).orderBy(mailQueue.id),
  };
  return JSON.stringify(tables);
}

const post = (path: string, body: BodyInit | null, headers: Record<string, string>) => app.request(path, { method: "POST", body, headers });
const samePost = (path: string, fields: Record<string, string> = {}) =>
  post(path, new URLSearchParams(fields), { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN });

beforeAll(async () => {
  w = await createDigestWorld(NOW, { API_TOKEN, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET, RATE_LIMIT_SUBSCRIBE_PER_HOUR: 100_000 });
  app = createApp(w.deps);
});
afterAll(() => w?.close());

async function seedPeople() {
  await w.reset(NOW);
  const due = new Date(Date.parse(NOW) - 5 * 60_000);
  for (const email of ["alice@example.com", "bob@example.com"]) {
    await addSubscriber(w.db, { email, countries: ["JP", "KE"], nextSendAt: due });
    await w.db.update(subscribers).set({ confirmedAt: new Date(Date.parse(NOW) - 86_400_000) });
  }
  await w.db.insert(subscribers).values({ email: "pending@example.com", status: "pending", countries: ["BR"], timeZone: "UTC" });
  alice = (await findSubscriberByEmail(w.db, "alice@example.com"))!;
  bob = (await findSubscriberByEmail(w.db, "bob@example.com"))!;
  pending = (await findSubscriberByEmail(w.db, "pending@example.com"))!;
}

/** Every route that takes a token, with the purpose it expects; posts are sent same-origin (CSRF passes). */
const tokenRoutes: Array<{ method: "GET" | "POST"; path: (t: string) => string; purpose: TokenPurpose; fields?: Record<string, string> }> = [
  { method: "GET", path: (t) => `/confirm/${t}`, purpose: "confirm" },
  { method: "POST", path: (t) => `/confirm/${t}`, purpose: "confirm" },
  { method: "GET", path: (t) => `/manage/${t}`, purpose: "manage" },
  { method: "POST", path: (t) => `/manage/${t}`, purpose: "manage", fields: { countries: "DE", frequency: "daily", deliveryTime: "09:00", timeZone: "UTC" } },
  { method: "POST", path: (t) => `/manage/${t}/pause`, purpose: "manage" },
  { method: "POST", path: (t) => `/manage/${t}/resume`, purpose: "manage" },
  { method: "GET", path: (t) => `/manage/${t}/export`, purpose: "manage" },
  { method: "GET", path: (t) => `/manage/${t}/delete`, purpose: "manage" },
  { method: "POST", path: (t) => `/manage/${t}/delete`, purpose: "manage", fields: { confirm: "yes" } },
  { method: "POST", path: (t) => `/manage/${t}/fresh-link`, purpose: "manage" },
  { method: "GET", path: (t) => `/unsubscribe/${t}`, purpose: "unsubscribe" },
  { method: "POST", path: (t) => `/unsubscribe/${t}`, purpose: "unsubscribe", fields: { "List-Unsubscribe": "One-Click" } },
  { method: "POST", path: (t) => `/unsubscribe/${t}/resubscribe`, purpose: "unsubscribe" },
  { method: "POST", path: (t) => `/unsubscribe/${t}/pause`, purpose: "unsubscribe" },
];

const send = (route: (typeof tokenRoutes)[number], token: string) =>
  route.method === "GET" ? app.request(route.path(token)) : samePost(route.path(token), route.fields);

/** A refused link: 400 with the page that says why and how to get a fresh one. */
async function expectRefused(res: Response, context: string) {
  expect(res.status, context).toBe(400);
  const html = await res.text();
  expect(html, context).toContain("This link doesn");
  expect(html, context).toContain('href="/#subscribe"');
}

describe("links that are not the right key", () => {
  beforeEach(seedPeople);

  it("every token route refuses tampered, truncated, padded and re-signed tokens, and changes nothing", async () => {
    const before = await snapshot();
    let tried = 0;
    for (const route of tokenRoutes) {
      const target = route.purpose === "confirm" ? pending : alice;
      const good = tokenOf(route.purpose, target);
      const [body, sig] = good.split(".") as [string, string];
      const payload = Buffer.from(body, "base64url").toString();
      const variants = [
        // One character changed, at every 5th position of the payload and of the signature.
        ...Array.from({ length: good.length }, (_, i) => i)
          .filter((i) => i % 5 === 0 && good[i] !== ".")
          .map((i) => good.slice(0, i) + (good[i] === "A" ? "B" : "A") + good.slice(i + 1)),
        // Truncated anywhere, and the signature alone or the payload alone.
        ...[1, 10, body.length, body.length + 1, good.length - 1].map((n) => good.slice(0, n)),
        sig,
        `${body}.`,
        `.${sig}`,
        `${good}A`,
        `${good}.${sig}`,
        // The payload changed to someone else (or another version, or no expiry) under the old signature.
        `${Buffer.from(payload.replace(target.id, bob.id)).toString("base64url")}.${sig}`,
        `${Buffer.from(payload.replace(`|${target.tokenVersion}|`, `|${target.tokenVersion + 1}|`)).toString("base64url")}.${sig}`,
        // Correctly formed, signed with another secret.
        createToken("another-secret-another-secret-0123456789", { purpose: route.purpose, subscriberId: target.id, version: target.tokenVersion, expiresAt: 0 }),
        // Case changed, and with a lone percent sign.
        good.toUpperCase(),
        `${good.slice(0, 20)}%${good.slice(21)}`,
      ];
      for (const variant of new Set(variants)) {
        if (variant === good) continue;
        const res = await send(route, variant);
        await expectRefused(res, `${route.method} ${route.path("<" + variant.slice(0, 30) + ">")}`);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(await snapshot()).toBe(before);
    console.log(`abuse-access: ${tried} forged tokens on ${tokenRoutes.length} token routes refused, database unchanged`);
  }, 120_000);

  it("a token made for one purpose opens no other door (manage → confirm, confirm → unsubscribe, view → manage...)", async () => {
    const before = await snapshot();
    const purposes: TokenPurpose[] = ["confirm", "manage", "unsubscribe", "view"];
    let tried = 0;
    for (const route of tokenRoutes) {
      for (const purpose of purposes.filter((p) => p !== route.purpose)) {
        for (const target of [pending, alice]) {
          await expectRefused(await send(route, tokenOf(purpose, target)), `${purpose} token on ${route.method} ${route.path(":t")}`);
          tried++;
        }
      }
    }
    expect(tried).toBe(tokenRoutes.length * 3 * 2);
    expect(await snapshot()).toBe(before);
  });

  it("expired tokens are refused on every route, whatever their purpose", async () => {
    const before = await snapshot();
    const past = Math.floor(Date.parse(NOW) / 1000) - 1;
    for (const route of tokenRoutes) {
      const target = route.purpose === "confirm" ? pending : alice;
      const expired = createToken(secret(), { purpose: route.purpose, subscriberId: target.id, version: target.tokenVersion, expiresAt: past });
      const res = await send(route, expired);
      expect(res.status, route.path(":t")).toBe(400);
      expect(await res.text()).toContain("expired");
    }
    // A confirmation link a week and a minute old.
    const old = tokenOf("confirm", pending, new Date(Date.parse(NOW) - 7 * 86_400_000 - 60_000));
    await expectRefused(await samePost(`/confirm/${old}`), "week-old confirmation");
    expect(await snapshot()).toBe(before);
  });

  it("links issued before an erase stop working, and a recreated address does not inherit them", async () => {
    const manage = tokenOf("manage", alice);
    const unsubscribe = tokenOf("unsubscribe", alice);
    // Erasing takes a link emailed on request within the day (link-policy.ts).
    expect((await samePost(`/manage/${freshTokenOf(alice)}/delete`, { confirm: "yes" })).status).toBe(200);
    expect(await findSubscriberByEmail(w.db, "alice@example.com")).toBeUndefined();
    await addSubscriber(w.db, { email: "alice@example.com", countries: ["JP"], nextSendAt: new Date(NOW) });
    await w.db.update(subscribers).set({ confirmedAt: new Date(NOW) });
    const before = await snapshot();
    for (const route of tokenRoutes.filter((r) => r.purpose !== "confirm")) {
      await expectRefused(await send(route, route.purpose === "manage" ? manage : unsubscribe), `old link on ${route.method} ${route.path(":t")}`);
    }
    expect(await snapshot()).toBe(before);
  });

  it("another subscriber's valid links only ever touch that subscriber", async () => {
    const aliceBefore = JSON.stringify(await findSubscriberByEmail(w.db, "alice@example.com"));
    for (const route of tokenRoutes.filter((r) => r.purpose !== "confirm")) {
      const res = await send(route, route.purpose === "manage" ? freshTokenOf(bob) : tokenOf(route.purpose, bob));
      expect(res.status, route.path(":bob")).toBeLessThan(500);
      if (route.path("x").endsWith("/export")) {
        expect(((await res.json()) as { subscriber: { email: string } }).subscriber.email).toBe("bob@example.com");
      }
      bob = (await findSubscriberByEmail(w.db, "bob@example.com")) ?? bob;
    }
    expect(JSON.stringify(await findSubscriberByEmail(w.db, "alice@example.com"))).toBe(aliceBefore);
  });
});

describe("the provider webhook", () => {
  beforeEach(seedPeople);

  const bounce = (to: string, id = "re_1") => JSON.stringify({ type: "email.bounced", created_at: NOW, data: { email_id: id, to: [to], bounce: { message: "no such mailbox", type: "Permanent" } } });
  const nowSeconds = () => String(Math.floor(w.clock.now.getTime() / 1000));
  const signed = (body: string, id: string, ts = nowSeconds(), key = WEBHOOK_SECRET) => ({ "svix-id": id, "svix-timestamp": ts, "svix-signature": `v1,${signPayload(key, id, ts, body)}` });
  const hook = (body: string, headers: Record<string, string>) => post("/webhooks/resend", body, { "Content-Type": "application/json", ...headers });

  it("refuses each missing header, a signature for another id, body or time, another key, a truncated or unversioned signature, and stale or future timestamps (401, nothing changed)", async () => {
    const body = bounce("alice@example.com");
    const good = signed(body, "msg_good");
    const { "svix-id": _id, ...noId } = good;
    const { "svix-timestamp": _ts, ...noTs } = good;
    const { "svix-signature": _sig, ...noSig } = good;
    const sixMinutesAgo = String(Number(nowSeconds()) - 6 * 60);
    const cases: Array<[string, string, Record<string, string>]> = [
      ["no svix-id", body, noId],
      ["no svix-timestamp", body, noTs],
      ["no svix-signature", body, noSig],
      ["no headers at all", body, {}],
      ["signature of another id", body, { ...good, "svix-id": "msg_other" }],
      ["signature of another body", bounce("bob@example.com"), good],
      ["body with a trailing space", `${body} `, good],
      ["signature of another time", body, { ...good, "svix-timestamp": String(Number(nowSeconds()) + 1) }],
      ["another key", body, signed(body, "msg_good", nowSeconds(), `whsec_${Buffer.from("not our key").toString("base64")}`)],
      ["truncated signature", body, { ...good, "svix-signature": good["svix-signature"].slice(0, 20) }],
      ["no version prefix", body, { ...good, "svix-signature": good["svix-signature"].slice(3) }],
      ["v2 prefix", body, { ...good, "svix-signature": good["svix-signature"].replace("v1,", "v2,") }],
      ["six minutes old", body, signed(body, "msg_old", sixMinutesAgo)],
      ["six minutes ahead", body, signed(body, "msg_future", String(Number(nowSeconds()) + 6 * 60))],
      ["timestamp in milliseconds", body, signed(body, "msg_ms", String(w.clock.now.getTime()))],
      ["empty signature list", body, { ...good, "svix-signature": " " }],
    ];
    const before = await snapshot();
    for (const [name, b, headers] of cases) {
      const res = await hook(b, headers);
      expect(res.status, name).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe("invalid_signature");
    }
    expect(await snapshot()).toBe(before);
  });

  it("a captured event replayed inside the window is a no-op; replayed later it is refused", async () => {
    const body = bounce("alice@example.com");
    const headers = signed(body, "msg_replayed");
    expect((await (await hook(body, headers)).json()) as object).toMatchObject({ ok: true, suppressed: true, duplicate: false });
    const afterFirst = await snapshot();
    for (let i = 0; i < 5; i++) {
      const res = await hook(body, headers);
      expect(res.status).toBe(200);
      expect((await res.json()) as object).toMatchObject({ duplicate: true, suppressed: false });
    }
    w.clock.advance(5 * 60_000 + 1_000);
    const late = await hook(body, headers);
    expect(late.status).toBe(401);
    // Replaying the capture under a fresh id (the attacker cannot sign it) changes nothing either.
    expect((await hook(body, { ...headers, "svix-id": "msg_fresh_id" })).status).toBe(401);
    expect(await snapshot()).toBe(afterFirst);
    const bobRow = await findSubscriberByEmail(w.db, "bob@example.com");
    expect(bobRow!.status).toBe("active");
  });
});

describe("the API", () => {
  beforeEach(seedPeople);

  it("every /api route refuses no token, a wrong one, and the right one in the wrong place (401 JSON, nothing changed)", async () => {
    const routes = app.routes.filter((r) => r.path.startsWith("/api/") && r.method !== "ALL");
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const credentials: Array<[string, Record<string, string>, string]> = [
      ["none", {}, ""],
      ["wrong token", { Authorization: "Bearer wrong-token-0123456789abcdef" }, ""],
      ["token with a suffix", { Authorization: `Bearer ${API_TOKEN}x` }, ""],
      ["token prefix", { Authorization: `Bearer ${API_TOKEN.slice(0, -1)}` }, ""],
      ["empty bearer", { Authorization: "Bearer " }, ""],
      ["basic auth", { Authorization: `Basic ${Buffer.from(`api:${API_TOKEN}`).toString("base64")}` }, ""],
      ["token without scheme", { Authorization: API_TOKEN }, ""],
      ["token in the query", {}, `?token=${API_TOKEN}&access_token=${API_TOKEN}`],
      ["token in a cookie", { Cookie: `token=${API_TOKEN}` }, ""],
      ["token in X-API-Key", { "X-API-Key": API_TOKEN }, ""],
    ];
    const before = await snapshot();
    const body = JSON.stringify({ email: "intruder@example.com", countries: ["JP"], timeZone: "UTC", confirmed: true, articles: [{ url: "https://x.example/a", title: "t", outlet: "o", country: "JP", language: "ja", published: NOW }], name: "X", country: "JP", language: "ja", feedUrl: "https://x.example/f" });
    for (const r of routes) {
      const path = r.path.replace(":id", alice.id);
      for (const [name, headers, q] of credentials) {
        const res = await app.request(path + q, { method: r.method, headers: { "Content-Type": "application/json", ...headers }, ...(r.method === "GET" || r.method === "DELETE" ? {} : { body }) });
        const context = `${r.method} ${path} with ${name}`;
        expect(res.status, context).toBe(401);
        const json = (await res.json()) as { error: { code: string; message: string } };
        expect(json.error.code, context).toBe("unauthorized");
        expect(json.error.message, context).toMatch(/bearer token/i);
      }
    }
    expect(await snapshot()).toBe(before);
    // The right token in the right place works (the refusals above were about the credentials).
    const ok = await app.request(`/api/subscribers/${alice.id}`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it("is disabled, not open, when no API_TOKEN is configured", async () => {
    const open = createApp({ ...w.deps, config: { ...w.deps.config, API_TOKEN: undefined } });
    for (const auth of [{}, { Authorization: "Bearer " }, { Authorization: "Bearer undefined" }] as Array<Record<string, string>>) {
      const res = await open.request("/api/sources", { headers: auth });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("api_disabled");
    }
  });
});

describe("cross-site form posts (CSRF)", () => {
  beforeEach(seedPeople);

  /** Every form of the site, with fields that would change something if accepted. */
  const formRoutes = (): Array<{ path: string; fields: Record<string, string> }> => [
    { path: "/subscribe", fields: { email: "csrf-victim@example.com", countries: "JP", timeZone: "UTC" } },
    { path: `/confirm/${tokenOf("confirm", pending)}`, fields: {} },
    { path: `/manage/${tokenOf("manage", alice)}`, fields: { countries: "DE", frequency: "daily", deliveryTime: "09:00", timeZone: "UTC" } },
    { path: `/manage/${tokenOf("manage", alice)}/pause`, fields: {} },
    { path: `/manage/${tokenOf("manage", alice)}/delete`, fields: { confirm: "yes" } },
    { path: `/unsubscribe/${tokenOf("unsubscribe", bob)}/resubscribe`, fields: {} },
    { path: `/manage/${tokenOf("manage", alice)}/fresh-link`, fields: {} },
    { path: `/unsubscribe/${tokenOf("unsubscribe", alice)}/pause`, fields: {} },
  ];
  const attacks: Array<[string, Record<string, string>]> = [
    ["another origin", { Origin: "https://evil.example" }],
    ["a look-alike origin", { Origin: "http://localhost:8787.evil.example" }],
    ["another port", { Origin: "http://localhost:8788" }],
    ["https instead of http", { Origin: "https://localhost:8787" }],
    ["Origin: null (sandboxed frame, privacy redirect)", { Origin: "null" }],
    ["no Origin at all", {}],
    ["Sec-Fetch-Site: cross-site without Origin", { "Sec-Fetch-Site": "cross-site" }],
    ["Sec-Fetch-Site: cross-site from another origin", { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" }],
    ["Sec-Fetch-Site: same-site from a sibling host", { "Sec-Fetch-Site": "same-site", Origin: "http://sub.localhost:8787" }],
    ["Sec-Fetch-Site: none without Origin", { "Sec-Fetch-Site": "none" }],
  ];

  it("every form refuses every cross-site variant, in every encoding a form can send, and nothing changes", async () => {
    // Bob first unsubscribes (one-click), so the resubscribe form would have something to do.
    await post(`/unsubscribe/${tokenOf("unsubscribe", bob)}`, "List-Unsubscribe=One-Click", { "Content-Type": "application/x-www-form-urlencoded" });
    const before = await snapshot();
    let refused = 0;
    for (const { path, fields } of formRoutes()) {
      for (const [name, headers] of attacks) {
        const encodings: Array<[string, BodyInit, Record<string, string>]> = [
          ["urlencoded", new URLSearchParams(fields), { "Content-Type": "application/x-www-form-urlencoded" }],
          ["multipart", Object.entries(fields).reduce((fd, [k, v]) => (fd.append(k, v), fd), new FormData()), {}],
          ["text/plain", Object.entries(fields).map(([k, v]) => `${k}=${v}`).join("\n"), { "Content-Type": "text/plain" }],
        ];
        for (const [encoding, body, type] of encodings) {
          const res = await post(path, body, { ...type, ...headers });
          const context = `${path.split("/").slice(0, 2).join("/")}… ${name}, ${encoding}`;
          expect(res.status, context).toBe(403);
          expect(await res.text(), context).toContain("Please send the form again");
          refused++;
        }
      }
    }
    expect(refused).toBe(formRoutes().length * attacks.length * 3);
    expect(await snapshot()).toBe(before);
    // Control: the same forms from the site itself do work.
    expect((await samePost(`/manage/${tokenOf("manage", alice)}/pause`)).status).toBe(303);
    expect((await findSubscriberByEmail(w.db, "alice@example.com"))!.status).toBe("paused");
  });

  it("an Origin equal to the request's own Host is not enough: only PUBLIC_URL's origin is (issue 15)", async () => {
    const before = await snapshot();
    for (const { path, fields } of formRoutes()) {
      for (const host of ["evil.example", "localhost.evil.example:8787", "127.0.0.1:8787"]) {
        const res = await app.request(`http://${host}${path}`, {
          method: "POST",
          body: new URLSearchParams(fields),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://${host}`, Host: host },
        });
        expect(res.status, `${path} via ${host}`).toBe(403);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("form actions take only form encodings: a JSON body, another type or no body at all cannot skip the CSRF check (issue 15)", async () => {
    await post(`/unsubscribe/${tokenOf("unsubscribe", bob)}`, "List-Unsubscribe=One-Click", { "Content-Type": "application/x-www-form-urlencoded" });
    const before = await snapshot();
    let refused = 0;
    for (const { path, fields } of formRoutes()) {
      const bodies: Array<[string, BodyInit | null, Record<string, string>]> = [
        ["JSON", JSON.stringify(fields), { "Content-Type": "application/json" }],
        ["no body, no type", null, {}],
        ["bytes without a type", new Blob([new Uint8Array([1, 2, 3])]), {}],
        ["octet-stream", "confirm=yes", { "Content-Type": "application/octet-stream" }],
        ["XML", "<confirm>yes</confirm>", { "Content-Type": "text/xml" }],
      ];
      for (const [name, body, type] of bodies) {
        for (const origin of [{}, { Origin: "https://evil.example" }, { Origin: ORIGIN }] as Array<Record<string, string>>) {
          const res = await post(path, body, { ...type, ...origin });
          const context = `${path.split("/").slice(0, 2).join("/")}… ${name}, ${JSON.stringify(origin)}`;
          expect([403, 415], context).toContain(res.status);
          refused++;
        }
      }
    }
    expect(refused).toBe(formRoutes().length * 5 * 3);
    expect(await snapshot()).toBe(before);
  });

  it("one-click unsubscribe stays open to mail providers (no Origin, no cookies) because the signed link is the key", async () => {
    const res = await post(`/unsubscribe/${tokenOf("unsubscribe", alice)}`, "List-Unsubscribe=One-Click", { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site" });
    expect(res.status).toBe(200);
    expect((await findSubscriberByEmail(w.db, "alice@example.com"))!.status).toBe("unsubscribed");
    expect((await findSubscriberByEmail(w.db, "bob@example.com"))!.status).toBe("active");
  });
});

describe("a link scanner opening every link of the emails", () => {
  beforeEach(seedPeople);

  /** Every URL of an email: hrefs of the HTML, URLs of the text part, the List-Unsubscribe header. */
  function urlsOf(email: { html?: string; text?: string; headers?: Record<string, string> }): string[] {
    const urls = new Set<string>(linksIn(email.html ?? ""));
    for (const m of (email.text ?? "").matchAll(/https?:\/\/[^\s<>()"]+/g)) urls.add(m[0]);
    for (const m of (email.headers?.["List-Unsubscribe"] ?? "").matchAll(/<(https?:[^>]+)>/g)) urls.add(m[1]!);
    return [...urls];
  }

  /** GET and HEAD like Outlook's Safe Links or a preview bot: no Origin, odd User-Agents, following redirects. */
  async function scan(urls: string[]): Promise<number> {
    let opened = 0;
    for (const url of urls.filter((u) => u.startsWith(`${w.deps.config.publicUrl}/`))) {
      for (const method of ["GET", "HEAD", "GET"]) {
        let path: string | null = new URL(url).pathname + new URL(url).search;
        for (let hop = 0; path && hop < 5; hop++) {
          const res = await app.request(path, { method, headers: { "User-Agent": "Mozilla/5.0 (compatible; SafeLinks/1.0; +https://scanner.example)", "Sec-Fetch-Site": "none", Accept: "*/*" } });
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          opened++;
          const location = res.headers.get("location");
          path = res.status >= 300 && res.status < 400 && location?.startsWith("/") ? location : null;
        }
      }
    }
    return opened;
  }

  it("the confirmation email: scanning confirms nothing", async () => {
    const res = await samePost("/subscribe", { email: "scanned@example.com", countries: "JP", frequency: "daily", deliveryTime: "07:00", timeZone: "Asia/Tokyo" });
    expect(res.status).toBe(200);
    await w.drain();
    const email = w.fake.sent.find((e) => e.to[0] === "scanned@example.com")!;
    const urls = urlsOf(email);
    expect(urls.some((u) => u.includes("/confirm/"))).toBe(true);
    const before = await snapshot();
    expect(await scan(urls)).toBeGreaterThan(0);
    expect(await snapshot()).toBe(before);
    expect((await findSubscriberByEmail(w.db, "scanned@example.com"))!.status).toBe("pending");
  });

  it("the digest email as the provider received it: manage, unsubscribe (link and header), view in browser — scanning changes nothing", async () => {
    await seedStory(w.db, { title: "Nairobi opens its first night market for farmers", articles: [{ country: "KE", publishedAt: new Date(Date.parse(NOW) - 3 * 3_600_000) }, { country: "JP", publishedAt: new Date(Date.parse(NOW) - 2 * 3_600_000) }] });
    const tick = await runTick(w.deps);
    expect(tick).toMatchObject({ sent: 2, failed: 0 });
    const email = w.fake.sent.find((e) => e.to[0] === "alice@example.com")!;
    const urls = urlsOf(email);
    for (const part of ["/manage/", "/unsubscribe/", "/view/"]) expect(urls.some((u) => u.includes(part)), part).toBe(true);
    const before = await snapshot();
    const limitsBefore = JSON.stringify(await w.db.select().from(rateLimits));
    const opened = await scan(urls);
    expect(opened).toBeGreaterThanOrEqual(9);
    console.log(`abuse-access: link scanner made ${opened} GET/HEAD requests over ${urls.length} links of a digest, database unchanged`);
    expect(await snapshot()).toBe(before);
    const row = (await findSubscriberByEmail(w.db, "alice@example.com"))!;
    expect(row.status).toBe("active");
    // And rate-limit counters were not touched by the scan either (no form was submitted).
    expect(JSON.stringify(await w.db.select().from(rateLimits))).toBe(limitsBefore);
  });
});
