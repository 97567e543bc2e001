// Issue 15, finding 2: the per-address cap counts mailboxes, not spellings. Sub-address tags, Unicode
// normalisation forms and the punycode form of a domain reach the same inbox: one stored form, one count.
// A burst of simultaneous requests for a new address sends one confirmation; unconfirmed requests are
// purged once their link has expired.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSubscriberByEmail } from "../db/queries/subscribers";
import { subscribers } from "../db/schema";
import { canonicalEmail, mailboxKey } from "../src/subscriptions/mailbox";
import { parseEmail } from "../src/subscriptions/preferences";
import { createTestApp, pathOf, postForm, postFormFrom, type TestApp } from "./helpers/app";
import { linkIn } from "./helpers/memory-mailer";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 100_000 });
});
afterAll(() => t.close());

const form = (email: string) => ({ email, countries: ["JP"], frequency: "daily", deliveryTime: "07:00", timeZone: "Europe/Berlin" });
const confirmationsTo = (predicate: (to: string) => boolean) => t.mailer.sent.filter((m) => m.subject.startsWith("Confirm") && predicate(m.to));

describe("one mailbox, many spellings", () => {
  it("victim+1 … victim+10@example.com reach one inbox: at most 5 confirmations an hour, from 10 different IPs", async () => {
    for (let i = 1; i <= 10; i++) expect((await postFormFrom(t, `192.0.2.${i}`, "/subscribe", form(`victim+${i}@example.com`))).status).toBe(200);
    await t.drain();
    expect(confirmationsTo((to) => /^victim(\+\d+)?@example\.com$/.test(to))).toHaveLength(5);
    // An hour later the mailbox may be written to again.
    t.clock.advance(3600_000);
    await postForm(t, "/subscribe", form("victim+11@example.com"));
    await t.drain();
    expect(confirmationsTo((to) => /^victim(\+\d+)?@example\.com$/.test(to))).toHaveLength(6);
  });

  it("bob@münchen.de, its NFD form and its punycode form are one subscriber, stored once (punycode domain), mailed once", async () => {
    const spellings = ["bob@münchen.de", "bob@mu\u0308nchen.de", "bob@xn--mnchen-3ya.de", "BOB@MÜNCHEN.DE"];
    for (const email of spellings) expect((await postForm(t, "/subscribe", form(email))).status).toBe(200);
    await t.drain();
    const rows = (await t.deps.db.select().from(subscribers)).filter((s) => s.email.startsWith("bob@"));
    expect(rows.map((r) => r.email)).toEqual(["bob@xn--mnchen-3ya.de"]);
    expect(confirmationsTo((to) => to.startsWith("bob@"))).toHaveLength(1);
    for (const email of spellings) expect((await findSubscriberByEmail(t.deps.db, parseEmail(email).ok ? (parseEmail(email) as { value: string }).value : ""))?.id).toBe(rows[0]!.id);
  });

  it("the canonical form: lower case, NFC local part, ASCII (IDNA) domain; the mailbox key sets the +tag aside", () => {
    expect(canonicalEmail("  Ana@Example.COM ")).toBe("ana@example.com");
    expect(canonicalEmail("jose\u0301@ｅｘａｍｐｌｅ.com")).toBe("josé@example.com");
    expect(canonicalEmail("x@bücher.example")).toBe("x@xn--bcher-kva.example");
    expect(canonicalEmail("x@exa/mple.com")).toBeNull();
    expect(canonicalEmail("x@exa%41mple.com")).toBeNull();
    expect(canonicalEmail("x@127.0.0.1")).toBeNull();
    expect(mailboxKey("victim+news@example.com")).toBe("victim@example.com");
    expect(mailboxKey("victim@example.com")).toBe("victim@example.com");
    expect(mailboxKey("+only@example.com")).toBe("+only@example.com");
    for (const raw of ["bob@münchen.de", "E\u0301VA@ÉCOLE.fr", "ｆｕｌｌ＜ｗｉｄｔｈ＞@example.com", "e\u0301\u0301\u0301@example.com"]) {
      const once = canonicalEmail(raw)!;
      expect(canonicalEmail(once), raw).toBe(once);
    }
  });

  it("20 simultaneous posts for one new address send one confirmation", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => postFormFrom(t, `198.51.100.${i}`, "/subscribe", form("burst@example.com"))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    // Drained by several runners at once, as several processes (or Workers) would.
    await Promise.all([t.drain(), t.drain(), t.drain(), t.drain()]);
    expect(confirmationsTo((to) => to === "burst@example.com")).toHaveLength(1);
  });
});

describe("unconfirmed requests are not kept", () => {
  it("a request never confirmed is erased once its link has expired (7 days); a confirmed reader is kept", async () => {
    await postForm(t, "/subscribe", form("never@example.com"));
    await postForm(t, "/subscribe", form("kept@example.com"));
    await t.drain();
    const link = linkIn(t.mailer.lastTo("kept@example.com")!.text, "confirm")!;
    expect((await postForm(t, pathOf(link), {})).status).toBe(200);
    t.clock.advance(6 * 86_400_000);
    await t.drain();
    expect(await findSubscriberByEmail(t.deps.db, "never@example.com")).toBeDefined();
    t.clock.advance(86_400_000 + 60_000);
    await t.drain();
    expect(await findSubscriberByEmail(t.deps.db, "never@example.com")).toBeUndefined();
    expect((await findSubscriberByEmail(t.deps.db, "kept@example.com"))?.status).toBe("active");
  });
});
