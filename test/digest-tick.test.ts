// The tick end to end on a real database, with the real resend SDK talking to a local fake Resend.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runTick } from "../src/digest/tick";
import { verifyToken } from "../src/tokens";
import { addSubscriber, createDigestWorld, deliveriesOf, seedStory, subscriberRow, type DigestWorld } from "./helpers/digest-world";
import { sentPerRecipient } from "./helpers/fake-resend";

const MONDAY_0705 = "2026-05-11T07:05:00Z";
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

let w: DigestWorld;
beforeAll(async () => {
  w = await createDigestWorld(MONDAY_0705);
});
afterAll(() => w.close());
beforeEach(() => w.reset(MONDAY_0705));

async function seedNews() {
  const jp = await seedStory(w.db, {
    title: "Tokyo rethinks its earthquake drills",
    articles: [
      { country: "JP", outlet: "Asahi", language: "ja", publishedAt: at("2026-05-10T22:00:00Z") },
      { country: "KR", outlet: "Hankyoreh", language: "ko", publishedAt: at("2026-05-10T23:00:00Z") },
      { country: "US", outlet: "US Wire", publishedAt: at("2026-05-10T23:30:00Z"), isReference: true },
    ],
  });
  const br = await seedStory(w.db, {
    title: "Brazil's river towns vote on a dam",
    articles: [{ country: "BR", outlet: "Folha", language: "pt", publishedAt: at("2026-05-10T18:00:00Z") }],
  });
  return { jp, br };
}

describe("a due subscriber", () => {
  it("gets one digest, with one-click unsubscribe headers and a key naming the batch; the delivery is sent", async () => {
    const { jp, br } = await seedNews();
    const id = await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP", "BR"], nextSendAt: at("2026-05-11T07:00:00Z") });

    const result = await runTick(w.deps);
    expect(result).toMatchObject({ planned: 1, sent: 1, skipped: 0, failed: 0, missed: 0 });

    expect(w.fake.requests).toHaveLength(1);
    const request = w.fake.requests[0]!;
    expect(request.path).toBe("/emails/batch");
    expect(request.batchValidation).toBe("permissive");
    const [delivery] = await deliveriesOf(w.db, id);
    expect(delivery).toMatchObject({ edition: "2026-05-11", status: "sent" });
    expect(request.idempotencyKey).toBe(delivery!.batchKey);
    expect(delivery!.providerMessageId).toBe(w.fake.sent[0]!.id);
    expect(new Set(delivery!.storyIds)).toEqual(new Set([jp.id, br.id]));

    const email = request.emails[0]!;
    expect(email.to).toEqual(["ana@example.com"]);
    expect(email.subject).toBe(delivery!.subject);
    expect(email.subject).toMatch(/2 overlooked stories from (Japan and Brazil|Brazil and Japan)/);
    expect(email.html).toContain("Tokyo rethinks its earthquake drills");
    expect(email.html).not.toContain("US Wire");
    expect(email.text).toContain("Brazil's river towns vote on a dam");
    const unsubscribe = /^<(http:\/\/localhost:8787\/unsubscribe\/([^>]+))>$/.exec(email.headers!["List-Unsubscribe"]!);
    expect(unsubscribe).not.toBeNull();
    expect(email.headers!["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const claims = verifyToken(w.deps.config.appSecret, unsubscribe![2]!, "unsubscribe", w.clock.now);
    expect(claims.ok && claims.claims.subscriberId).toBe(id);
    expect(email.html).toContain(unsubscribe![1]);
    const view = /http:\/\/localhost:8787\/view\/([A-Za-z0-9_.-]+)/.exec(email.html ?? "");
    const viewClaims = verifyToken(w.deps.config.appSecret, view![1]!, "view", w.clock.now);
    expect(viewClaims.ok && viewClaims.claims.extra).toBe("2026-05-11");

    const sub = await subscriberRow(w.db, id);
    expect(sub.nextSendAt).toEqual(at("2026-05-12T07:00:00Z"));
    expect(sub.lastEditionAt).toEqual(w.clock.now);
  });

  it("a second tick the same morning sends nothing", async () => {
    await seedNews();
    await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    await runTick(w.deps);
    w.clock.advance(60_000);
    const second = await runTick(w.deps);
    expect(second).toMatchObject({ planned: 0, sent: 0 });
    expect(w.fake.requests).toHaveLength(1);
  });

  it("is planned in their own zone: the edition is their local date", async () => {
    await seedNews();
    // 07:00 in Kathmandu (+05:45) on Monday 11 May is 01:15 UTC.
    const id = await addSubscriber(w.db, { email: "k@example.com", countries: ["JP"], timeZone: "Asia/Kathmandu", nextSendAt: at("2026-05-11T01:15:00Z") });
    w.clock.set("2026-05-11T01:16:00Z");
    await runTick(w.deps);
    const [d] = await deliveriesOf(w.db, id);
    expect(d).toMatchObject({ edition: "2026-05-11", status: "sent" });
    expect((await subscriberRow(w.db, id)).nextSendAt).toEqual(at("2026-05-12T01:15:00Z"));
  });
});

describe("catching up", () => {
  it("sends an edition a few hours late, but records one more than DIGEST_LATE_AFTER_HOURS late as missed", async () => {
    await seedNews();
    const late = await addSubscriber(w.db, { email: "late@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const tooLate = await addSubscriber(w.db, { email: "toolate@example.com", countries: ["JP"], deliveryTime: "00:30", nextSendAt: at("2026-05-11T00:30:00Z") });
    w.clock.set("2026-05-11T10:00:00Z");
    const result = await runTick(w.deps);
    expect(result).toMatchObject({ planned: 1, sent: 1, missed: 1 });
    expect((await deliveriesOf(w.db, late))[0]!.status).toBe("sent");
    const [missed] = await deliveriesOf(w.db, tooLate);
    expect(missed).toMatchObject({ edition: "2026-05-11", status: "missed" });
    expect(missed!.reason).toMatch(/too late/);
    expect((await subscriberRow(w.db, tooLate)).nextSendAt).toEqual(at("2026-05-12T00:30:00Z"));
    expect([...sentPerRecipient(w.fake).keys()]).toEqual(["late@example.com"]);
  });

  it("after three days down: the days in between are missed, today's edition is sent once", async () => {
    await seedNews();
    const id = await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-08T07:00:00Z") });
    await runTick(w.deps);
    const rows = await deliveriesOf(w.db, id);
    expect(rows.map((r) => [r.edition, r.status])).toEqual([
      ["2026-05-08", "missed"],
      ["2026-05-09", "missed"],
      ["2026-05-10", "missed"],
      ["2026-05-11", "sent"],
    ]);
    expect(w.fake.sent).toHaveLength(1);
    expect((await subscriberRow(w.db, id)).nextSendAt).toEqual(at("2026-05-12T07:00:00Z"));
  });

  it("nothing is due before its time", async () => {
    await seedNews();
    await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:06:00Z") });
    expect(await runTick(w.deps)).toMatchObject({ planned: 0, sent: 0, skipped: 0, missed: 0 });
    expect(w.fake.requests).toHaveLength(0);
  });
});

describe("choosing stories", () => {
  it("nothing new → the edition is skipped with the reason, and no email", async () => {
    await seedNews();
    const id = await addSubscriber(w.db, { email: "sk@example.com", countries: ["SK"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const result = await runTick(w.deps);
    expect(result).toMatchObject({ planned: 0, skipped: 1, sent: 0 });
    const [d] = await deliveriesOf(w.db, id);
    expect(d!.status).toBe("skipped");
    expect(d!.reason).toMatch(/^nothing new: no new stories from Slovakia/);
    expect(w.fake.requests).toHaveLength(0);
    expect((await subscriberRow(w.db, id)).nextSendAt).toEqual(at("2026-05-12T07:00:00Z"));
  });

  it("never a story twice: tomorrow's digest leaves out what today's had, even when it got new articles", async () => {
    const { jp } = await seedNews();
    const id = await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    await runTick(w.deps);
    // Overnight: the same story gets a new Japanese article, and a new story appears.
    await seedStory(w.db, { title: "A new story from Osaka", articles: [{ country: "JP", publishedAt: at("2026-05-11T20:00:00Z") }] });
    const { articles } = await import("../db/schema");
    await w.db.insert(articles).values({
      storyId: jp.id, url: "https://news.example/follow-up", title: "Drills, day two", originalTitle: "Drills, day two",
      language: "ja", country: "JP", outlet: "Mainichi", publishedAt: at("2026-05-11T21:00:00Z"),
    });
    w.clock.set("2026-05-12T07:01:00Z");
    await runTick(w.deps);
    const rows = await deliveriesOf(w.db, id);
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
    expect(rows[0]!.storyIds).toEqual([jp.id]);
    expect(rows[1]!.storyIds).not.toContain(jp.id);
    expect(w.fake.sent[1]!.html).toContain("A new story from Osaka");
    expect(w.fake.sent[1]!.html).not.toContain("Tokyo rethinks");
  });
});

describe("who is never sent to", () => {
  it("refused credentials hand the batch back; whoever unsubscribed or bounced meanwhile is skipped, the rest sent under the same key", async () => {
    const { subscribers, suppressions } = await import("../db/schema");
    const { eq } = await import("drizzle-orm");
    await seedNews();
    const gone = await addSubscriber(w.db, { email: "gone@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const bounced = await addSubscriber(w.db, { email: "bounced@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const stays = await addSubscriber(w.db, { email: "stays@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const keys: string[] = [];
    const refusing = w.withMailer({
      async sendBatch(_emails, { idempotencyKey }) {
        keys.push(idempotencyKey);
        return { kind: "failed", retryable: false, status: 401, error: "validation_error: API key is invalid" };
      },
    });
    const first = await runTick(refusing);
    expect(first).toMatchObject({ planned: 3, sent: 0, failed: 0 });
    expect(first.stopped).toMatch(/refused/);
    expect((await deliveriesOf(w.db, stays))[0]!.status).toBe("sending");

    await w.db.update(subscribers).set({ status: "unsubscribed" }).where(eq(subscribers.id, gone));
    await w.db.insert(suppressions).values({ email: "bounced@example.com", reason: "bounced" });
    w.clock.advance(60_000);
    const second = await runTick(w.deps);
    expect(second).toMatchObject({ planned: 0, sent: 1, skipped: 2 });
    expect([...sentPerRecipient(w.fake).keys()]).toEqual(["stays@example.com"]);
    expect(w.fake.requests[0]!.idempotencyKey).toBe(keys[0]);
    expect((await deliveriesOf(w.db, gone))[0]).toMatchObject({ status: "skipped", reason: "subscriber unsubscribed before sending" });
    expect((await deliveriesOf(w.db, bounced))[0]).toMatchObject({ status: "skipped", reason: "address suppressed (bounce or complaint)" });
  });

  it("an unsubscribed or suppressed subscriber is not even planned", async () => {
    const { suppressions } = await import("../db/schema");
    await seedNews();
    const gone = await addSubscriber(w.db, { email: "gone@example.com", countries: ["JP"], status: "unsubscribed", nextSendAt: at("2026-05-11T07:00:00Z") });
    const suppressed = await addSubscriber(w.db, { email: "sup@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    await w.db.insert(suppressions).values({ email: "sup@example.com", reason: "complained" });
    expect(await runTick(w.deps)).toMatchObject({ planned: 0, sent: 0 });
    expect(await deliveriesOf(w.db, gone)).toEqual([]);
    expect(await deliveriesOf(w.db, suppressed)).toEqual([]);
    expect(w.fake.requests).toHaveLength(0);
  });
});

describe("ticks at the same time", () => {
  it("never overlap within a process: the second one does nothing and says so", async () => {
    await seedNews();
    await addSubscriber(w.db, { email: "ana@example.com", countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = w.withMailer({
      async sendBatch(emails, options) {
        await held;
        return w.deps.mailer.sendBatch(emails, options);
      },
    });
    const first = runTick(slow);
    await new Promise((r) => setTimeout(r, 50));
    const second = await runTick(slow);
    expect(second).toMatchObject({ overlapped: true, planned: 0, sent: 0 });
    release();
    expect(await first).toMatchObject({ planned: 1, sent: 1 });
    expect(w.fake.sent).toHaveLength(1);
  });

  it.skipIf(!process.env.DATABASE_URL)("two ticks on separate connections plan each edition once and send it once", async () => {
    const { connectPostgres } = await import("../db/client");
    await seedNews();
    for (let i = 0; i < 120; i++) await addSubscriber(w.db, { email: `r${i}@example.com`, countries: ["JP", "BR"], nextSendAt: at("2026-05-11T07:00:00Z") });
    const other = connectPostgres(w.database.url!);
    try {
      const [a, b] = await Promise.all([
        runTick(w.deps, { chunkSize: 10, batchSize: 7 }),
        runTick({ ...w.deps, db: other.db }, { chunkSize: 10, batchSize: 7 }),
      ]);
      expect(a.planned + b.planned).toBe(120);
      expect(a.sent + b.sent).toBe(120);
      expect(a.planned > 0 && b.planned > 0).toBe(true);
      const per = sentPerRecipient(w.fake);
      expect(per.size).toBe(120);
      expect([...per.values()].every((list) => list.length === 1)).toBe(true);
      expect(w.fake.violations).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
