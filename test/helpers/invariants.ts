// What must hold in the database whatever requests came in: the abuse and load tests check these after
// every run. Returns the violations as readable lines (an empty list when everything holds).
import type { Db } from "../../db/client";
import { articles, deliveries, deliveryStatuses, frequencies, mailQueue, queuedMailKinds, sources, subscriberStatuses, subscribers, suppressions } from "../../db/schema";
import { isCountryCode } from "../../src/countries";
import { isValidTimeZone } from "../../src/time-zones";
import { parseEmail, MAX_COUNTRIES } from "../../src/subscriptions/preferences";

const httpUrl = (u: string) => /^https?:\/\/[^\s]+$/i.test(u);

export async function invariantViolations(db: Db): Promise<string[]> {
  const out: string[] = [];
  const bad = (what: string, row: unknown) => out.push(`${what}: ${JSON.stringify(row).slice(0, 300)}`);

  for (const s of await db.select().from(subscribers)) {
    const who = { id: s.id, email: s.email, status: s.status };
    if (!(subscriberStatuses as readonly string[]).includes(s.status)) bad("subscriber status outside the allowed set", who);
    if (s.email !== s.email.trim().toLowerCase() || !parseEmail(s.email).ok) bad("subscriber email not a trimmed lower-case address", who);
    else if ((parseEmail(s.email) as { value: string }).value !== s.email) bad("subscriber email not in its one canonical form", who);
    if (s.countries.length === 0) bad("subscriber without countries", who);
    if (s.countries.length > MAX_COUNTRIES) bad("subscriber with too many countries", { ...who, countries: s.countries.length });
    if (s.countries.some((c) => !isCountryCode(c))) bad("subscriber with an unknown country", { ...who, countries: s.countries });
    if (new Set(s.countries).size !== s.countries.length) bad("subscriber with a repeated country", { ...who, countries: s.countries });
    if (!(frequencies as readonly string[]).includes(s.frequency)) bad("subscriber frequency outside the allowed set", { ...who, frequency: s.frequency });
    if (s.frequency === "weekly" ? s.weeklyDay === null || s.weeklyDay < 0 || s.weeklyDay > 6 : s.weeklyDay !== null) {
      bad("weekly day inconsistent with the frequency", { ...who, frequency: s.frequency, weeklyDay: s.weeklyDay });
    }
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(s.deliveryTime)) bad("delivery time not HH:MM", { ...who, deliveryTime: s.deliveryTime });
    if (!isValidTimeZone(s.timeZone)) bad("time zone not an IANA zone", { ...who, timeZone: s.timeZone });
    if (s.status === "active" && s.nextSendAt === null) bad("active subscriber without next_send_at", who);
    if (s.status !== "active" && s.nextSendAt !== null) bad("inactive subscriber with next_send_at", { ...who, nextSendAt: s.nextSendAt });
    if (s.status === "active" && s.confirmedAt === null) bad("active subscriber never confirmed", who);
    if (s.status === "unsubscribed" && s.unsubscribedAt === null) bad("unsubscribed without unsubscribed_at", who);
    if (s.tokenVersion < 1) bad("token version below 1", who);
  }

  for (const q of await db.select().from(mailQueue)) {
    const who = { id: q.id, kind: q.kind };
    if (!(queuedMailKinds as readonly string[]).includes(q.kind)) bad("queued mail of an unknown kind", who);
    if (q.kind === "subscribe" && (!q.email || !q.preferences || !parseEmail(q.email).ok)) bad("queued subscribe request without a valid address and preferences", who);
    if (q.kind !== "subscribe" && (!q.subscriberId || q.tokenVersion === null)) bad("queued email without its subscriber and token version", who);
  }

  for (const row of await db.select().from(suppressions)) {
    if (row.email !== row.email.trim().toLowerCase() || !row.email.includes("@")) bad("suppression not a lower-case address", row);
  }

  for (const d of await db.select().from(deliveries)) {
    const who = { id: d.id, status: d.status, edition: d.edition };
    if (!(deliveryStatuses as readonly string[]).includes(d.status)) bad("delivery status outside the allowed set", who);
    if (d.status === "sent" && d.sentAt === null) bad("sent delivery without sent_at", who);
    if (d.status === "sending" && d.leaseUntil === null) bad("sending delivery without a lease", who);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.edition)) bad("edition not a date", who);
  }

  for (const s of await db.select().from(sources)) {
    const who = { id: s.id, slug: s.slug, feedUrl: s.feedUrl };
    if (!httpUrl(s.feedUrl) && !s.feedUrl.startsWith("sample:")) bad("source feed URL not http(s)", who);
    if (!httpUrl(s.homepage) && !s.isSample) bad("source homepage not http(s)", who);
    if (s.isReference && s.country !== "US") bad("reference outlet outside the US", who);
    if (!s.isReference && !isCountryCode(s.country)) bad("source with an unknown country", who);
  }

  for (const a of await db.select({ id: articles.id, url: articles.url, title: articles.title, country: articles.country, isReference: articles.isReference }).from(articles)) {
    if (!httpUrl(a.url)) bad("article URL not http(s)", a);
    if (a.title.trim() === "") bad("article without a title", a);
    if (/<[a-z!/]/i.test(a.title)) bad("article title with markup", a);
    if (!a.isReference && !isCountryCode(a.country)) bad("article with an unknown country", a);
  }
  return out;
}
