import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTick } from "../src/digest/tick";
import { viewRoutes } from "../src/routes/view";
import { statsApi } from "../src/routes/api-stats";
import { linkFor } from "../src/tokens";
import { articles, deliveries, stories, subscribers } from "../db/schema";
import { addSubscriber, createDigestWorld, deliveriesOf, seedStory, type DigestWorld } from "./helpers/digest-world";

const at = (iso: string) => new Date(iso);
let w: DigestWorld;
let ana: string;
let quiet: string;
let html: string;
let viewPath: string;

beforeAll(async () => {
  w = await createDigestWorld("2026-05-11T07:05:00Z");
  await seedStory(w.db, {
    title: "Tokyo rethinks its earthquake drills",
    articles: [
      { country: "JP", outlet: "Asahi", language: "ja", publishedAt: at("2026-05-10T22:00:00Z") },
      { country: "KR", outlet: "Hankyoreh", language: "ko", publishedAt: at("2026-05-10T23:00:00Z") },
    ],
  });
  ana = await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
  quiet = await addSubscriber(w.db, { email: "quiet@example.com", countries: ["SK"], nextSendAt: at("2026-05-11T07:00:00Z") });
  await runTick(w.deps);
  const sent = w.fake.sent.find((e) => e.to[0] === "ana@example.com")!;
  html = sent.html!;
  viewPath = new URL(/http:\/\/localhost:8787\/view\/[A-Za-z0-9_.-]+/.exec(html)![0]).pathname;
});
afterAll(() => w.close());

const view = (path: string) => viewRoutes(w.deps).request(path.replace(/^\/view/, ""));
const rowCounts = async () => ({
  deliveries: (await w.db.select().from(deliveries)).map((d) => `${d.id}:${d.status}:${d.updatedAt.toISOString()}`),
  subscribers: (await w.db.select().from(subscribers)).map((s) => `${s.id}:${s.status}:${s.updatedAt.toISOString()}`),
});

describe("view in browser", () => {
  it("shows the edition exactly as it was sent, less the manage link, and changes nothing", async () => {
    const before = await rowCounts();
    const res = await view(viewPath);
    expect(res.status).toBe(200);
    // A view link is in every digest and may be forwarded: the page's "Manage" leads to a page saying
    // where the reader's own link is, not to the reader's settings (issue 15).
    const manageLink = /http:\/\/localhost:8787\/manage\/[A-Za-z0-9_.-]+/.exec(html)![0];
    const page = await res.text();
    expect(page).toBe(html.replaceAll(manageLink, "http://localhost:8787/manage"));
    expect(page).not.toContain("/manage/");
    expect(res.headers.get("content-security-policy")).toContain("style-src 'unsafe-inline'");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await rowCounts()).toEqual(before);
  });

  it("a tampered or wrong-purpose token shows a clear 404 page", async () => {
    expect((await view(`${viewPath}x`)).status).toBe(404);
    const manage = linkFor("http://localhost:8787", w.deps.config.appSecret, "manage", { id: ana, tokenVersion: 1 }, w.clock.now);
    const res = await view(`/view/${manage.split("/manage/")[1]}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("This link doesn");
  });

  it("an edition with no digest says why", async () => {
    const skipped = linkFor("http://localhost:8787", w.deps.config.appSecret, "view", { id: quiet, tokenVersion: 1 }, w.clock.now, "2026-05-11");
    const res = await view(new URL(skipped).pathname);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("nothing new from your countries");
    const other = linkFor("http://localhost:8787", w.deps.config.appSecret, "view", { id: ana, tokenVersion: 1 }, w.clock.now, "2026-04-01");
    expect(await (await view(new URL(other).pathname)).text()).toContain("We have no digest for you on this date.");
  });
});

describe("GET /api/stats", () => {
  it("counts subscribers by status, deliveries by status per day, and suppressions", async () => {
    const { suppressions } = await import("../db/schema");
    await w.db.insert(suppressions).values({ email: "gone@example.com", reason: "bounced" });
    const res = await statsApi(w.deps).request("/stats?days=7");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.subscribers).toEqual({ active: 2 });
    expect(body.suppressions).toBe(1);
    expect(body.deliveries).toEqual([{ day: "2026-05-11", queued: 0, sending: 0, sent: 1, failed: 0, skipped: 1, missed: 0 }]);
    expect((await statsApi(w.deps).request("/stats?days=nope")).status).toBe(400);
  });
});

describe("view after the stories were purged", () => {
  it("says the edition is no longer available", async () => {
    await w.db.delete(articles);
    await w.db.delete(stories);
    const res = await view(viewPath);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("no longer available");
    expect((await deliveriesOf(w.db, ana))[0]!.status).toBe("sent");
  });
});
