// Bad input everywhere, generated: fast-check builds requests for every route of src/app.ts (taken from the
// route table itself, so a new route is fuzzed without anyone remembering to) with random and hostile form
// fields, repeated fields, queries, tokens (valid, mutated, truncated, other purposes, random), headers
// (Origin, Sec-Fetch-Site, Content-Type, Authorization, client address) and bodies (urlencoded, multipart,
// JSON, raw bytes, signed and unsigned webhook events). Whatever comes in, the answer is a 2xx/3xx/4xx with
// a message (never a 500), a redirect never leaves the site, no page carries anything that runs, and the
// database keeps its invariants (test/helpers/invariants.ts).
// WD_FUZZ_RUNS scales the runs per property (default 100); a failure prints its seed and shrunk request,
// and WD_FUZZ_SEED=<seed> replays it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createOutboxMailer } from "../src/mail/outbox-mailer";
import { linkFor } from "../src/tokens";
import { signPayload } from "../src/webhooks/svix-signature";
import { createTestApp, ORIGIN, type TestApp } from "./helpers/app";
import { HOSTILE_STRINGS } from "./helpers/hostile";
import { unsafeHtmlFindings } from "./helpers/html-safety";
import { invariantViolations } from "./helpers/invariants";

const RUNS = Number(process.env.WD_FUZZ_RUNS ?? 100);
const SEED = process.env.WD_FUZZ_SEED === undefined ? undefined : Number(process.env.WD_FUZZ_SEED);
/** Lone surrogates replaced (encodeURIComponent throws on them; a browser sends U+FFFD). */
const wf = (s: string) => Buffer.from(s).toString();
const API_TOKEN = "test-api-token-0123456789abcdef";
const WEBHOOK_SECRET = `whsec_${Buffer.from("abuse-properties-webhook-secret!").toString("base64")}`;

let t: TestApp;
let app: Hono;
let outboxDir: string;
const seeded = { tokens: [] as string[], ids: [] as string[], emails: [] as string[], sourceIds: [] as string[], outboxIds: [] as string[] };
const routeTable: Array<{ method: string; path: string }> = [];

const api = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${API_TOKEN}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 1_000_000, RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET });
  outboxDir = await mkdtemp(join(tmpdir(), "wd-abuse-outbox-"));
  const outbox = createOutboxMailer(outboxDir);
  app = createApp({ ...t.deps, outbox });
  for (const r of app.routes) if (r.method !== "ALL" && !routeTable.some((x) => x.method === r.method && x.path === r.path)) routeTable.push(r);

  // Subscribers in every state, with valid links of every purpose (and expired confirmation links).
  const base = { countries: ["JP", "BR"], frequency: "daily", deliveryTime: "07:00", timeZone: "America/Chicago" };
  for (const [i, confirmed] of [true, true, true, false, false].entries()) {
    const res = await api("POST", "/api/subscribers", { ...base, email: `seed${i}@example.com`, confirmed });
    expect(res.status).toBe(201);
    const { subscriber } = (await res.json()) as { subscriber: { id: string; email: string } };
    seeded.ids.push(subscriber.id);
    seeded.emails.push(subscriber.email);
    const ref = { id: subscriber.id, tokenVersion: 1 };
    for (const purpose of ["confirm", "manage", "unsubscribe", "view"] as const) {
      seeded.tokens.push(linkFor("", t.deps.config.appSecret, purpose, ref, t.clock.now).split("/")[2]!);
    }
    seeded.tokens.push(linkFor("", t.deps.config.appSecret, "confirm", ref, new Date("2025-01-01T00:00:00Z")).split("/")[2]!);
  }
  expect((await api("POST", `/api/subscribers/${seeded.ids[1]}/unsubscribe`)).status).toBe(200);
  const src = await api("POST", "/api/sources", { name: "Seed Outlet", country: "JP", language: "ja", feedUrl: "https://seed.example/feed.xml" });
  expect(src.status).toBe(201);
  seeded.sourceIds.push(String(((await src.json()) as { source: { id: number } }).source.id));
  await outbox.sendBatch([{ from: "a@example.com", to: "seed0@example.com", subject: "Seed", html: "<p>Seed</p>", text: "Seed" }], { idempotencyKey: "seed" });
  seeded.outboxIds.push(...(await outbox.list()).map((m) => m.id));
});

afterAll(async () => {
  await t?.close();
  if (outboxDir) await rm(outboxDir, { recursive: true, force: true });
});

// ---- Arbitraries --------------------------------------------------------------------------------------

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 4 });
const specialChars = fc.string({ unit: fc.constantFrom("\u0000", "\u202e", "\u200b", "<", ">", '"', "'", "&", "%", "/", "\\", "\n", "\r", ";", ",", "=", "+", "#", "?", "@", " "), maxLength: 20 });
const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 2, arbitrary: specialChars },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 3000 }) },
);

const validValues: Record<string, fc.Arbitrary<string>> = {
  email: fc.oneof(
    fc.emailAddress(),
    fc.constantFrom("seed0@example.com", "SEED2@Example.COM ", "new@example.com", "x@y.zz", "nul\u0000@example.com", "a@exa\u0000mple.com", "\u202egro.elpmaxe@a", "zero\u200bwidth@example.com", "lone\ud800@example.com", "ｆｕｌｌ@example.com", "\u0430pple@example.com"),
    fc.tuple(fc.emailAddress(), text).map(([e, s]) => e.replace("@", `${s}@`)),
  ),
  countries: fc.constantFrom("JP", "BR", "SK", "KE", "DE", "jp", "US", "XX", "JP,BR"),
  frequency: fc.constantFrom("daily", "weekdays", "weekly", "monthly"),
  weeklyDay: fc.constantFrom("0", "3", "6", "7", "-1", "1.5", " "),
  deliveryTime: fc.constantFrom("07:00", "23:59", "24:00", "7:00", "07:60", "00:00"),
  timeZone: fc.constantFrom("UTC", "America/Chicago", "Asia/Kathmandu", "Australia/Lord_Howe", "Mars/Olympus", "Etc/GMT+12", "../../etc"),
  confirm: fc.constantFrom("yes", "no"),
  "List-Unsubscribe": fc.constant("One-Click"),
};
const formKeys = [...Object.keys(validValues), "__proto__", "constructor"];

const fieldValue = (key: string): fc.Arbitrary<string | string[]> => {
  const one = Object.hasOwn(validValues, key) ? fc.oneof(validValues[key]!, text) : text;
  return fc.oneof({ weight: 4, arbitrary: one }, { weight: 1, arbitrary: fc.array(one, { maxLength: 6 }) });
};
const formFields: fc.Arbitrary<Array<[string, string | string[]]>> = fc
  .tuple(
    fc.subarray(formKeys).chain((keys) => fc.tuple(...keys.map((k) => fieldValue(k).map((v) => [k, v] as [string, string | string[]])))),
    fc.array(fc.tuple(text, fieldValue("")), { maxLength: 3 }),
  )
  .map(([known, extra]) => [...known, ...extra]);

const token: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Array.from({ length: 25 }, (_, i) => i)).map((i) => seeded.tokens[i % seeded.tokens.length]!) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.nat(), fc.nat(), text).map(([i, j, s]) => {
      const v = seeded.tokens[i % seeded.tokens.length]!;
      const at = j % v.length;
      return v.slice(0, at) + s + v.slice(at + 1);
    }),
  },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([i, n]) => seeded.tokens[i % seeded.tokens.length]!.slice(0, n % 90)) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,120}\.[A-Za-z0-9_-]{43}$/) },
  { weight: 2, arbitrary: text },
);
const id: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...Array.from({ length: 5 }, (_, i) => i)).map((i) => seeded.ids[i]!),
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f-]{36}$/),
  fc.constantFrom("1", "0", "-1", "999999999", "1e3", "00000000-0000-0000-0000-000000000000"),
  fc.constant("SOURCE").map(() => seeded.sourceIds[0]!),
  fc.constant("OUTBOX").map(() => seeded.outboxIds[0] ?? "none"),
  text,
);

/** A path segment: usually encoded, sometimes raw (with its slashes, percent signs and all). */
const segment = (value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.boolean()).map(([v, raw]) => (raw ? v.replace(/[?#]/g, "") : encodeURIComponent(wf(v))));

/** Dates at the edges: year 0 and 9999 with offsets that carry them over, days that no month has, extended years. */
const edgeDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("0000-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z", "2026-02-30", "2024-02-29", "2026-04-31T00:00:00Z", "+275760-09-13", "-000001-01-01", "1970-01-01", "2026-01-01T24:00:00Z"),
  fc
    .record({ y: fc.integer({ min: 0, max: 10_000 }), m: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), h: fc.integer({ min: 0, max: 25 }), zone: fc.constantFrom("Z", "+14:00", "-14:00", "+05:45", "", "+24:00") })
    .map(({ y, m, d, h, zone }) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00${zone}`),
);

const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom("done", "email", "since", "limit", "token"), text), fc.oneof(validValues.email!, fc.constantFrom("saved", "paused", "2026-01-01", "10", "0", "201"), edgeDate, text)), { maxLength: 4 }).map((pairs) => `?${new URLSearchParams(pairs.map(([k, v]) => [wf(k), wf(v)])).toString()}`) },
  { weight: 1, arbitrary: text.map((s) => `?${s.replace(/#/g, "")}`) },
);

const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const origin = fc.constantFrom<string | undefined>(ORIGIN, "http://localhost", "https://evil.example", "null", "http://localhost:8787.evil.example", undefined);
const secFetchSite = fc.constantFrom<string | undefined>(undefined, "same-origin", "same-site", "cross-site", "none");
const authorization = fc.oneof(
  fc.constantFrom<string | undefined>(`Bearer ${API_TOKEN}`, undefined, "Bearer", "Bearer wrong-token-0123456789abcdef", `Basic ${Buffer.from(`x:${API_TOKEN}`).toString("base64")}`, `bearer ${API_TOKEN}`, `Bearer ${API_TOKEN} extra`),
  headerValue,
);
const clientAddress = fc.oneof(fc.constantFrom<string | undefined>(undefined, "203.0.113.7", "::1", "not-an-ip"), headerValue);

type BodyKind = "form" | "multipart" | "json" | "text" | "bytes" | "broken-multipart" | "none";
const bodyKind = fc.constantFrom<BodyKind>("form", "form", "multipart", "json", "text", "bytes", "broken-multipart", "none");

const jsonField = (key: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    Object.hasOwn(validValues, key) ? validValues[key]! : text,
    text,
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(fc.oneof(validValues.countries!, text), { maxLength: 5 }),
    fc.boolean(),
    fc.integer(),
  );
const apiKeys = ["email", "countries", "frequency", "weeklyDay", "deliveryTime", "timeZone", "confirmed", "name", "country", "feedUrl", "homepage", "language", "enabled", "isReference", "slug"];
const articleKeys = ["url", "title", "summary", "originalTitle", "country", "outlet", "language", "published"];
const articleValid: Record<string, fc.Arbitrary<string>> = {
  url: fc.oneof(fc.webUrl(), fc.constantFrom("javascript:alert(1)", "https://news.example/a?utm_source=x", "ftp://x.example/")),
  country: fc.constantFrom("JP", "BR", "US", "XX"),
  language: fc.constantFrom("ja", "pt-BR", "en", "zz-ZZ-x-1", ""),
  published: fc.oneof(fc.constantFrom("2026-03-02T08:00:00Z", "2026-03-02", "2099-01-01T00:00:00Z", "1999-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "yesterday", "2026-02-30T08:00:00Z", "2026-03-02T23:59:59+14:00"), edgeDate),
};
const jsonObject = (keys: string[], valid: Record<string, fc.Arbitrary<string>> = {}) =>
  fc
    .tuple(fc.subarray(keys).chain((ks) => fc.tuple(...ks.map((k) => fc.oneof(Object.hasOwn(valid, k) ? valid[k]! : jsonField(k), jsonField(k)).map((v) => [k, v] as [string, unknown])))), fc.array(fc.tuple(text, fc.jsonValue({ maxDepth: 1 })), { maxLength: 2 }))
    .map(([known, extra]) => Object.fromEntries([...known, ...extra]) as Record<string, unknown>);
const apiBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: jsonObject(apiKeys).map((o) => JSON.stringify(o)) },
  { weight: 3, arbitrary: fc.record({ articles: fc.oneof(fc.array(jsonObject(articleKeys, articleValid), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('{"email":', "[]", "null", '"x"', '{"__proto__":{"admin":true},"email":"p@example.com","countries":["JP"],"timeZone":"UTC"}', "\u0000", '{"a":1}'.repeat(3), `{"articles":${"[".repeat(5000)}${"]".repeat(5000)}}`, `{"countries":${"[".repeat(5000)}${"]".repeat(5000)},"email":"deep@example.com","timeZone":"UTC"}`) },
);

interface Shape {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: BodyInit;
}

function formBody(kind: BodyKind, fields: Array<[string, string | string[]]>): { body?: BodyInit; contentType?: string } {
  const pairs = fields.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [wf(k), wf(x)] as [string, string]));
  switch (kind) {
    case "form":
      return { body: new URLSearchParams(pairs).toString(), contentType: "application/x-www-form-urlencoded" };
    case "multipart": {
      const fd = new FormData();
      for (const [k, v] of pairs) fd.append(k, v);
      return { body: fd };
    }
    case "broken-multipart":
      return { body: pairs.map(([k, v]) => `--zz\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}`).join("\r\n"), contentType: "multipart/form-data; boundary=other" };
    case "json":
      return { body: JSON.stringify(Object.fromEntries(pairs)), contentType: "application/json" };
    case "text":
      return { body: pairs.map(([k, v]) => `${k}=${v}`).join("&"), contentType: "text/plain" };
    case "bytes":
      return { body: new Uint8Array(pairs.flatMap(([k, v]) => [...Buffer.from(k + v)]).map((b) => b ^ 0xa5)), contentType: "application/x-www-form-urlencoded" };
    case "none":
      return {};
  }
}

const fillPath = (path: string) =>
  fc
    .tuple(segment(token), segment(id))
    .map(([tok, anId]) => path.replace(/:token/g, tok).replace(/:id/g, anId).replace(/\*$/, "x"));

/** Requests people's browsers (and attackers posing as them) send: pages and forms. */
const peopleRequest: fc.Arbitrary<Shape> = fc
  .record({
    route: fc.constantFrom(...Array.from({ length: 64 }, (_, i) => i)).map((i) => {
      const routes = routeTable.filter((r) => !r.path.startsWith("/api") && !r.path.startsWith("/webhooks"));
      return routes[i % routes.length]!;
    }),
    head: fc.boolean(),
    fields: formFields,
    kind: bodyKind,
    q: query,
    origin,
    secFetchSite,
    ip: clientAddress,
    filled: fc.nat(),
  })
  .chain((r) => fillPath(r.route.path).map((path) => ({ ...r, path })))
  .map(({ route, head, fields, kind, q, origin, secFetchSite, ip, path }) => {
    const method = route.method === "GET" && head ? "HEAD" : route.method;
    const headers: Record<string, string> = {};
    if (origin) headers.Origin = origin;
    if (secFetchSite) headers["Sec-Fetch-Site"] = secFetchSite;
    if (ip) headers["cf-connecting-ip"] = ip;
    const shape: Shape = { method, path: path + q, headers };
    if (method === "POST") {
      const { body, contentType } = formBody(kind, fields);
      if (body !== undefined) shape.body = body;
      if (contentType) headers["Content-Type"] = contentType;
    }
    return shape;
  });

/** The news app's API and the operator's: JSON bodies, with, without and with a wrong token. */
const apiRequest: fc.Arbitrary<Shape> = fc
  .record({
    route: fc.constantFrom(...Array.from({ length: 64 }, (_, i) => i)).map((i) => {
      const routes = routeTable.filter((r) => r.path.startsWith("/api"));
      return routes[i % routes.length]!;
    }),
    auth: authorization,
    body: apiBody,
    contentType: fc.constantFrom<string | undefined>("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", undefined, "application/jsonx"),
    q: query,
  })
  .chain((r) => fillPath(r.route.path).map((path) => ({ ...r, path })))
  .map(({ route, auth, body, contentType, q, path }) => {
    const headers: Record<string, string> = {};
    if (auth !== undefined) headers.Authorization = auth;
    if (contentType) headers["Content-Type"] = contentType;
    const shape: Shape = { method: route.method, path: path + q, headers };
    if (route.method !== "GET" && route.method !== "DELETE") shape.body = body;
    return shape;
  });

/** Provider events: correctly signed random events, and unsigned, stale, mis-signed ones. */
const webhookRequest: fc.Arbitrary<Shape> = fc
  .record({
    type: fc.oneof(fc.constantFrom("email.bounced", "email.complained", "email.delivered", "email.sent", "email.delivery_delayed"), text),
    to: fc.oneof(fc.constantFrom(...Array.from({ length: 5 }, (_, i) => i)).map((i) => [seeded.emails[i]!]), fc.array(fc.oneof(validValues.email!, text), { maxLength: 2 }), text, fc.jsonValue({ maxDepth: 1 })),
    emailId: fc.oneof(fc.uuid(), text, fc.integer()),
    bounce: fc.oneof(fc.record({ message: text, type: text }), fc.jsonValue({ maxDepth: 1 })),
    shape: fc.constantFrom("event", "event", "event", "json", "text"),
    anyJson: fc.jsonValue({ maxDepth: 3 }),
    raw: text,
    svixId: fc.oneof(fc.uuid().map((u) => `msg_${u}`), text, fc.constant("msg_fixed_replayed")),
    signing: fc.constantFrom("valid", "valid", "valid", "missing", "garbage", "stale", "future", "other-body", "other-secret", "malformed-timestamp"),
    contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
  })
  .map((r) => {
    const body = r.shape === "event" ? JSON.stringify({ type: r.type, created_at: "2026-03-02T12:00:00Z", data: { email_id: r.emailId, to: r.to, bounce: r.bounce } }) : r.shape === "json" ? JSON.stringify(r.anyJson) : r.raw;
    const now = Math.floor(t.clock.now.getTime() / 1000);
    let ts = String(now);
    if (r.signing === "stale") ts = String(now - 3600);
    if (r.signing === "future") ts = String(now + 3600);
    if (r.signing === "malformed-timestamp") ts = `${now}.5`;
    const id = wf(r.svixId.replace(/[\r\n]/g, ""));
    let signature = `v1,${signPayload(WEBHOOK_SECRET, id, ts, body)}`;
    if (r.signing === "garbage") signature = "v1,AAAA v2,zzz";
    if (r.signing === "other-body") signature = `v1,${signPayload(WEBHOOK_SECRET, id, ts, `${body} `)}`;
    if (r.signing === "other-secret") signature = `v1,${signPayload(`whsec_${Buffer.from("another-secret").toString("base64")}`, id, ts, body)}`;
    const headers: Record<string, string> = { "Content-Type": r.contentType };
    if (r.signing !== "missing") Object.assign(headers, { "svix-id": id, "svix-timestamp": ts, "svix-signature": signature });
    return { method: "POST", path: "/webhooks/resend", headers, body } satisfies Shape;
  });

/** RFC 8058 one-click as mail providers send it (no Origin, no cookies), with any body. */
const oneClickRequest: fc.Arbitrary<Shape> = fc
  .record({ tok: segment(token), fields: formFields, kind: bodyKind, literal: fc.boolean() })
  .map(({ tok, fields, kind, literal }): Shape => {
    if (literal) return { method: "POST", path: `/unsubscribe/${tok}`, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" };
    const { body, contentType } = formBody(kind, fields);
    return { method: "POST", path: `/unsubscribe/${tok}`, headers: contentType ? { "Content-Type": contentType } : {}, ...(body !== undefined ? { body } : {}) };
  });

/** Anything else: unknown paths, odd methods, traversal attempts. */
const strayRequest: fc.Arbitrary<Shape> = fc
  .record({
    method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"),
    prefix: fc.constantFrom("/", "/api/", "/webhooks/", "/manage/", "/confirm/", "/unsubscribe/", "/dev/outbox/", "/assets/", "//", "/%2e%2e/"),
    rest: fc.array(segment(fc.oneof(text, token, fc.constantFrom("..", ".", "%2e%2e", "etc", "passwd"))), { maxLength: 4 }),
    q: query,
    auth: authorization,
  })
  .map(({ method, prefix, rest, q, auth }): Shape => ({ method, path: prefix + rest.join("/") + q, headers: auth ? { Authorization: auth, Origin: ORIGIN } : { Origin: ORIGIN } }));

// ---- The checks ---------------------------------------------------------------------------------------

function build(shape: Shape): Request | null {
  try {
    return new Request(new URL(shape.path, ORIGIN), { method: shape.method, headers: shape.headers, ...(shape.body !== undefined ? { body: shape.body } : {}) });
  } catch {
    return null; // Not a request a client could send (e.g. a header value fetch refuses).
  }
}

async function expectCalmAnswer(shape: Shape): Promise<void> {
  const request = build(shape);
  fc.pre(request !== null);
  const res = await app.request(request!);
  const context = `${shape.method} ${shape.path.slice(0, 200)} → ${res.status}`;
  expect(res.status, context).toBeGreaterThanOrEqual(200);
  expect(res.status, context).toBeLessThan(500);
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location") ?? "";
    // Redirects stay on this site: a path (not "//host") or the site's own origin.
    expect(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\") ? "" : location.startsWith(`${ORIGIN}/`) ? "" : location, context).toBe("");
  }
  const type = res.headers.get("content-type") ?? "";
  const body = shape.method === "HEAD" ? "" : await res.text();
  if (res.status >= 400 && shape.method !== "HEAD") {
    if (type.includes("application/json")) {
      const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
      expect(typeof parsed.error?.code, `${context}: ${body.slice(0, 300)}`).toBe("string");
      expect(String(parsed.error?.message ?? "").length, `${context}: ${body.slice(0, 300)}`).toBeGreaterThan(10);
    } else if (type.includes("text/html")) {
      expect(body, context).toMatch(/<h1[^>]*>[^<]{3,}/);
    } else {
      expect(body.length, `${context}: ${type}`).toBeGreaterThan(5);
    }
  }
  if (type.includes("text/html") && !/\/dev\/outbox\/[^/]+\/html/.test(shape.path)) {
    const findings = unsafeHtmlFindings(body, { allowScriptSrc: ["/assets/app.js"], allowTags: shape.path.startsWith("/dev/outbox/") ? ["iframe"] : [] });
    expect(findings, context).toEqual([]);
  }
}

const runProperty = (arb: fc.Arbitrary<Shape>) =>
  fc.assert(
    fc.asyncProperty(arb, async (shape) => {
      await expectCalmAnswer(shape);
      expect(await invariantViolations(t.deps.db)).toEqual([]);
      // What a request queued is decided and sent after the answer: that must hold the invariants too.
      await t.drain();
      expect(await invariantViolations(t.deps.db)).toEqual([]);
    }),
    { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
  );

describe("whatever a client sends, the answer is a 2xx/3xx/4xx with a message and the database stays consistent", () => {
  it("the fuzzed routes are the whole route table", () => {
    const paths = routeTable.map((r) => `${r.method} ${r.path}`);
    for (const expected of ["POST /subscribe", "POST /confirm/:token", "POST /manage/:token", "POST /manage/:token/delete", "POST /unsubscribe/:token", "POST /unsubscribe/:token/resubscribe", "POST /unsubscribe/:token/pause", "POST /manage/:token/fresh-link", "POST /api/subscribers", "PATCH /api/subscribers/:id", "POST /api/articles", "PATCH /api/sources/:id", "POST /webhooks/resend", "GET /dev/outbox/:id/html"]) {
      expect(paths).toContain(expected);
    }
  });

  it("people's pages and forms: any fields, repeats, queries, tokens, origins and bodies", { timeout: 240_000 }, async () => {
    await runProperty(peopleRequest);
  });

  it("the JSON API: any body, with, without and with a wrong token", { timeout: 240_000 }, async () => {
    await runProperty(apiRequest);
  });

  it("the provider webhook: signed random events, unsigned, stale and mis-signed ones", { timeout: 240_000 }, async () => {
    await runProperty(webhookRequest);
  });

  it("one-click unsubscribe with any body and no Origin", { timeout: 240_000 }, async () => {
    await runProperty(oneClickRequest);
  });

  it("unknown paths, odd methods and traversal attempts", { timeout: 240_000 }, async () => {
    await runProperty(strayRequest);
  });

  it("dates at the edges in GET /api/stories?since=: 200, or 400 naming the field, never 500 (issue 15)", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(edgeDate, async (since) => {
        const res = await app.request(`/api/stories?since=${encodeURIComponent(since)}`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
        expect([200, 400], `${since} → ${res.status}`).toContain(res.status);
        if (res.status === 400) expect(((await res.json()) as { error: { fields?: object } }).error.fields, since).toHaveProperty("since");
      }),
      { numRuns: RUNS * 2, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  });
});
