import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureDemoSubscriber, DEMO_EMAIL } from "../src/digest/demo";
import { previewNextDigest } from "../src/digest/preview";
import { runTick } from "../src/digest/tick";
import { createOutboxMailer } from "../src/mail/outbox-mailer";
import { testConfig } from "../src/config";
import { deliveries, subscribers } from "../db/schema";
import { addSubscriber, createDigestWorld, seedStory, subscriberRow, type DigestWorld } from "./helpers/digest-world";

const START = "2026-05-11T07:05:00Z";
const at = (iso: string) => new Date(iso);
let w: DigestWorld;
beforeAll(async () => {
  w = await createDigestWorld(START);
});
afterAll(() => w.close());
beforeEach(async () => {
  await w.reset(START);
  for (const [c, n] of [["JP", 3], ["BR", 2], ["KE", 1]] as const) {
    for (let i = 0; i < n; i++) await seedStory(w.db, { title: `${c} story ${i}`, articles: [{ country: c, publishedAt: at("2026-05-09T12:00:00Z") }] });
  }
});

/** The embedded default: PGlite, local outbox, not production. */
const embedded = () => ({ ...w.deps, dbKind: "pglite" as const, config: testConfig({ publicUrl: "http://localhost:8787" }) });

describe("the newcomer's first digest", () => {
  it("on the embedded default with nobody subscribed, a sample subscriber is created, due now, and the next tick writes its digest to the outbox", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wd-demo-"));
    try {
      const outbox = createOutboxMailer(dir, { clock: () => w.clock.now });
      const deps = { ...embedded(), mailer: outbox };
      const demo = await ensureDemoSubscriber(deps, w.clock.now);
      expect(demo).toMatchObject({ email: DEMO_EMAIL, status: "active", countries: ["BR", "JP", "KE"] });
      expect(demo!.nextSendAt).toEqual(w.clock.now);
      expect(await runTick(deps)).toMatchObject({ planned: 1, sent: 1 });
      const [message] = await outbox.list();
      expect(message).toMatchObject({ to: DEMO_EMAIL });
      const read = await outbox.read(message!.id);
      expect(read!.html).toContain("JP story 0");
      expect(read!.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:8787\/unsubscribe\/.+>$/);
      // Only once: a second call finds a subscriber and does nothing.
      expect(await ensureDemoSubscriber(deps, w.clock.now)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does nothing with Resend configured, in production, on PostgreSQL, or when someone subscribed", async () => {
    expect(await ensureDemoSubscriber({ ...embedded(), config: testConfig({ RESEND_API_KEY: "re_x" }) }, w.clock.now)).toBeNull();
    expect(await ensureDemoSubscriber({ ...embedded(), config: { ...testConfig(), production: true } }, w.clock.now)).toBeNull();
    expect(await ensureDemoSubscriber({ ...embedded(), dbKind: "postgres" }, w.clock.now)).toBeNull();
    await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], status: "unsubscribed", nextSendAt: at(START) });
    expect(await ensureDemoSubscriber(embedded(), w.clock.now)).toBeNull();
    expect(await w.db.select().from(subscribers)).toHaveLength(1);
  });
});

describe("--dry-run and --preview", () => {
  it("a dry run plans and renders what is due but writes and sends nothing", async () => {
    const id = await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z"), lastEditionAt: at("2026-05-08T07:00:00Z") });
    await addSubscriber(w.db, { email: "sk@example.com", countries: ["SK"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const result = await runTick(w.deps, { dryRun: true });
    expect(result).toMatchObject({ planned: 1, skipped: 1, sent: 0, rendered: 1 });
    expect(await w.db.select().from(deliveries)).toEqual([]);
    expect((await subscriberRow(w.db, id)).nextSendAt).toEqual(at("2026-05-11T07:00:00Z"));
    expect(w.fake.requests).toEqual([]);
  });

  it("a preview renders the subscriber's next digest without sending or writing", async () => {
    await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP", "BR"], nextSendAt: at("2026-05-12T07:00:00Z"), lastEditionAt: at("2026-05-08T07:00:00Z") });
    const preview = await previewNextDigest(w.deps, "  ANA@example.com ", w.clock.now);
    expect(preview.kind).toBe("digest");
    if (preview.kind !== "digest") return;
    expect(preview).toMatchObject({ edition: "2026-05-12", storyCount: 5 });
    expect(preview.subject).toMatch(/^5 overlooked stories from (Japan and Brazil|Brazil and Japan)$/);
    expect(preview.html).toContain("BR story 1");
    expect(preview.text).toContain("JP story 2");
    expect(await w.db.select().from(deliveries)).toEqual([]);
    expect(w.fake.requests).toEqual([]);
    expect(await previewNextDigest(w.deps, "nobody@example.com", w.clock.now)).toEqual({ kind: "not-found", email: "nobody@example.com" });
  });
});
