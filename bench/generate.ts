// The benchmark's world: N active subscribers all due at one moment, two days of articles grouped into
// stories, and (for returning subscribers) yesterday's sent edition as history. Deterministic for a seed.
//
//   - 150 outlets (144 foreign over the 56 catalogue countries, 6 US reference outlets), 500 articles a
//     day for two days, grouped into stories of 1–8 articles, some covered in several countries;
//   - subscribers follow 1–8 countries with skewed popularity (a few countries much more followed),
//     live in ~25 zones, get daily (70 %), weekdays (20 %) or weekly (10 %) digests, and are all due in
//     the hour before `now` (their delivery time is the local time of that instant, so the stored
//     next_send_at is exactly what the schedule computes);
//   - a share (`returning`, default 80 %) already got yesterday's edition: last_edition_at is set and a
//     sent delivery names the stories they were given ("never a story twice" then has work to do).
// Rows go in with multi-row inserts (thousands of rows a statement): 100,000 subscribers take seconds.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { articles, stories, type Frequency } from "../db/schema";
import { insertSentHistory, insertSubscriberSeeds, type SubscriberSeed } from "./bench-queries";
import { catalogCountryCodes } from "./catalog-countries";

export interface WorldSpec {
  subscribers: number;
  /** The measured moment: every subscriber is due at or before it (within the hour). */
  now: Date;
  seed?: number;
  /** Share of subscribers who got yesterday's edition (history, last_edition_at). */
  returning?: number;
  articlesPerDay?: number;
  days?: number;
  outlets?: number;
  /** Recipient addresses are `${emailPrefix}${i}@bench.example`. */
  emailPrefix?: string;
}

export interface WorldSummary {
  subscribers: number;
  returning: number;
  stories: number;
  articles: number;
  outlets: number;
  historyDeliveries: number;
  /** Average countries per subscriber. */
  countriesPerSubscriber: number;
  /** Distinct country sets among subscribers. */
  distinctCountrySets: number;
  /** Followers of the most and least followed country. */
  mostFollowed: { country: string; subscribers: number };
  leastFollowed: { country: string; subscribers: number };
  ms: number;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Where readers live (weights: more in the big zones).
const ZONES: Array<[string, number]> = [
  ["America/New_York", 14], ["America/Chicago", 8], ["America/Denver", 3], ["America/Los_Angeles", 9],
  ["America/Toronto", 3], ["America/Mexico_City", 3], ["America/Sao_Paulo", 4], ["America/Argentina/Buenos_Aires", 2],
  ["Europe/London", 8], ["Europe/Paris", 6], ["Europe/Berlin", 6], ["Europe/Madrid", 3], ["Europe/Kyiv", 2],
  ["Europe/Istanbul", 2], ["Africa/Lagos", 2], ["Africa/Nairobi", 2], ["Asia/Dubai", 2], ["Asia/Kolkata", 5],
  ["Asia/Kathmandu", 1], ["Asia/Singapore", 3], ["Asia/Tokyo", 5], ["Australia/Sydney", 4],
  ["Australia/Lord_Howe", 1], ["Pacific/Auckland", 2], ["Pacific/Chatham", 1], ["UTC", 2],
];

const LANGUAGES: Record<string, string> = {
  GB: "en", IE: "en", FR: "fr", DE: "de", ES: "es", PT: "pt", IT: "it", NL: "nl", PL: "pl", SK: "sk", CZ: "cs",
  HU: "hu", RO: "ro", GR: "el", SE: "sv", NO: "no", FI: "fi", UA: "uk", RU: "ru", RS: "sr", JP: "ja", KR: "ko",
  CN: "zh", TW: "zh", HK: "zh", IN: "hi", PK: "ur", BD: "bn", ID: "id", PH: "en", VN: "vi", TH: "th", MY: "ms",
  SG: "en", NP: "ne", TR: "tr", IL: "he", IR: "fa", SA: "ar", AE: "ar", QA: "ar", EG: "ar", NG: "en", KE: "en",
  ZA: "en", GH: "en", ET: "am", MA: "ar", BR: "pt", MX: "es", AR: "es", CO: "es", CL: "es", CA: "en", AU: "en", NZ: "en",
};

const SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "su", "del", "an", "ber", "ko", "zi", "mar", "pu", "nel", "ta", "gor", "shi", "val", "en"];
const COMMON = "the of and in to a on for with after over as new from says by minister government court election bank prices protest talks deal storm floods strike company market city council president parliament budget school hospital".split(" ");

function weightedPicker<T>(items: Array<[T, number]>, rand: () => number): () => T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  return () => {
    let r = rand() * total;
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  };
}

const localParts = new Map<string, { date: string; time: string; weekday: number }>();
/** Local date, "HH:MM" and weekday of an instant in a zone (memoised: few distinct pairs). */
function local(instant: number, timeZone: string): { date: string; time: string; weekday: number } {
  const key = `${timeZone}|${instant}`;
  let hit = localParts.get(key);
  if (!hit) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short" })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, p.value]),
    );
    hit = {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      time: `${parts.hour}:${parts.minute}`,
      weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday!),
    };
    localParts.set(key, hit);
  }
  return hit;
}

interface GenArticle {
  storyIndex: number;
  country: string;
  outlet: string;
  language: string;
  isReference: boolean;
  publishedAt: number;
}

export async function generateWorld(db: Db, spec: WorldSpec): Promise<WorldSummary> {
  const started = performance.now();
  const rand = prng(spec.seed ?? 20260513);
  const now = spec.now.getTime();
  const days = spec.days ?? 2;
  const totalArticles = (spec.articlesPerDay ?? 500) * days;
  const outletCount = spec.outlets ?? 150;
  const returningShare = spec.returning ?? 0.8;
  const prefix = spec.emailPrefix ?? "reader";
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const word = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(SYLLABLES)).join("");
  const sentence = (chars: number) => {
    const words: string[] = [];
    let n = 0;
    while (n < chars) {
      const w = rand() < 0.45 ? pick(COMMON) : word();
      words.push(w);
      n += w.length + 1;
    }
    const s = words.join(" ");
    return s[0]!.toUpperCase() + s.slice(1);
  };

  // ---- outlets: 6 US reference outlets, the rest spread over the catalogue's countries.
  const codes = [...catalogCountryCodes];
  const outlets = Array.from({ length: outletCount }, (_, i) => {
    const reference = i >= outletCount - 6;
    const country = reference ? "US" : codes[i % codes.length]!;
    return { name: reference ? `US Reference ${i}` : `${word()[0]!.toUpperCase()}${word()} ${pick(["Times", "Herald", "News", "Post", "Daily", "Observer", "Tribune"])}`, country, language: reference ? "en" : (LANGUAGES[country] ?? "en"), reference };
  });
  const byCountry = new Map<string, typeof outlets>();
  for (const o of outlets) {
    let list = byCountry.get(o.country);
    if (!list) byCountry.set(o.country, (list = []));
    list.push(o);
  }
  const foreignOutlets = outlets.filter((o) => !o.reference);
  const usOutlets = outlets.filter((o) => o.reference);

  // ---- stories and their articles: sizes 1–8 (mostly small), a home country, often other countries too.
  const genArticles: GenArticle[] = [];
  const storySizes: number[] = [];
  while (genArticles.length < totalArticles) {
    const storyIndex = storySizes.length;
    const size = Math.min(totalArticles - genArticles.length, 1 + Math.floor(Math.pow(rand(), 2.5) * 8));
    const home = pick(foreignOutlets);
    const first = now - rand() * days * DAY;
    for (let k = 0; k < size; k++) {
      const r = rand();
      const o = k === 0 ? home : r < 0.08 ? pick(usOutlets) : r < 0.5 ? pick(byCountry.get(home.country)!) : pick(foreignOutlets);
      genArticles.push({ storyIndex, country: o.country, outlet: o.name, language: o.language, isReference: o.reference, publishedAt: Math.min(now - 60_000, first + rand() * 10 * HOUR) });
    }
    storySizes.push(size);
  }
  const storyRows = storySizes.map((_, i) => {
    const arts = genArticles.filter((a) => a.storyIndex === i);
    const foreign = arts.filter((a) => !a.isReference);
    const us = new Set(arts.filter((a) => a.isReference).map((a) => a.outlet)).size;
    const outletsN = new Set(foreign.map((a) => a.outlet)).size;
    const countriesSet = [...new Set(foreign.map((a) => a.country))].sort();
    const times = arts.map((a) => a.publishedAt);
    return {
      title: sentence(60 + Math.floor(rand() * 50)),
      firstSeenAt: new Date(Math.min(...times)),
      lastArticleAt: new Date(Math.max(...times)),
      articleCount: foreign.length,
      outletCount: outletsN,
      countryCount: countriesSet.length,
      countries: countriesSet,
      usOutletCount: us,
      overlookedScore: us > 0 ? 0.1 * rand() : 0.3 + 0.7 * rand(),
      overlookedReason:
        us > 0
          ? `Covered by ${outletsN} outlet${outletsN === 1 ? "" : "s"} in ${countriesSet.length} countr${countriesSet.length === 1 ? "y" : "ies"} and by ${us} of the 6 US outlets we track.`
          : `Covered by ${outletsN} outlet${outletsN === 1 ? "" : "s"} in ${countriesSet.length} countr${countriesSet.length === 1 ? "y" : "ies"}, by none of the 6 US outlets we track.`,
      updatedAt: new Date(now),
    };
  });
  const storyIds: number[] = [];
  for (let i = 0; i < storyRows.length; i += 500) {
    const ids = await db.insert(stories).values(storyRows.slice(i, i + 500)).returning({ id: stories.id });
    storyIds.push(...ids.map((r) => r.id));
  }
  const articleRows = genArticles.map((a, i) => {
    const title = sentence(50 + Math.floor(rand() * 70));
    return {
      storyId: storyIds[a.storyIndex]!,
      url: `https://www.${a.outlet.toLowerCase().replace(/[^a-z]+/g, "")}.example/${new Date(a.publishedAt).toISOString().slice(0, 10).replace(/-/g, "/")}/${title.toLowerCase().replace(/[^a-z]+/g, "-").slice(0, 60)}-${i}`,
      title,
      summary: sentence(140 + Math.floor(rand() * 160)),
      originalTitle: a.language === "en" ? title : sentence(40 + Math.floor(rand() * 40)),
      language: a.language,
      translated: a.language !== "en",
      country: a.country,
      outlet: a.outlet,
      isReference: a.isReference,
      publishedAt: new Date(a.publishedAt),
      fetchedAt: new Date(a.publishedAt + 10 * 60_000),
    };
  });
  for (let i = 0; i < articleRows.length; i += 500) await db.insert(articles).values(articleRows.slice(i, i + 500));

  // ---- what a returning subscriber got yesterday: per country, the 3 best stories of the day before.
  const yesterday = now - DAY;
  const bestOfYesterday = new Map<string, number[]>();
  {
    const ranked = new Map<string, Array<{ story: number; score: number }>>();
    genArticles.forEach((a) => {
      if (a.isReference || a.publishedAt > yesterday || a.publishedAt <= yesterday - DAY) return;
      let list = ranked.get(a.country);
      if (!list) ranked.set(a.country, (list = []));
      const story = storyIds[a.storyIndex]!;
      if (!list.some((x) => x.story === story)) list.push({ story, score: storyRows[a.storyIndex]!.overlookedScore });
    });
    for (const [c, list] of ranked) bestOfYesterday.set(c, list.sort((x, y) => y.score - x.score).slice(0, 3).map((x) => x.story));
  }

  // ---- subscribers: skewed popularity (country k is followed ~1/(k+1)^0.9 as often as the first).
  const popularity = weightedPicker(codes.map((c, k) => [c, 1 / Math.pow(k + 1, 0.9)] as [string, number]), rand);
  // Shuffle which countries are popular (not just catalogue order), deterministically.
  const shuffled = [...codes].sort(() => rand() - 0.5);
  const popularityOrder = new Map(codes.map((c, k) => [c, shuffled[k]!]));
  const zone = weightedPicker(ZONES, rand);
  const frequency = weightedPicker<Frequency>([["daily", 70], ["weekdays", 20], ["weekly", 10]], rand);
  const followers = new Map<string, number>();
  const sets = new Set<string>();
  let countrySum = 0;
  let returning = 0;
  let historyRows = 0;
  const CHUNK = 5_000;
  const created = new Date(now - 30 * DAY).toISOString();
  for (let start = 0; start < spec.subscribers; start += CHUNK) {
    const subRows: SubscriberSeed[] = [];
    const histRows: Parameters<typeof insertSentHistory>[1] = [];
    for (let i = start; i < Math.min(spec.subscribers, start + CHUNK); i++) {
      const n = 1 + Math.floor(rand() * 8);
      const chosen = new Set<string>();
      while (chosen.size < n) chosen.add(popularityOrder.get(popularity())!);
      const mine = [...chosen];
      for (const c of mine) followers.set(c, (followers.get(c) ?? 0) + 1);
      sets.add([...mine].sort().join(","));
      countrySum += mine.length;
      const tz = zone();
      const freq = frequency();
      const dueAt = now - Math.floor(rand() * 4) * 15 * 60_000;
      const l = local(dueAt, tz);
      const id = randomUUID();
      const isReturning = rand() < returningShare;
      const previous = dueAt - (freq === "weekly" ? 7 * DAY : DAY);
      subRows.push({
        id,
        email: `${prefix}${i}@bench.example`,
        countries: mine,
        frequency: freq,
        weeklyDay: freq === "weekly" ? l.weekday : null,
        deliveryTime: l.time,
        timeZone: tz,
        nextSendAt: new Date(dueAt).toISOString(),
        lastEditionAt: isReturning ? new Date(previous).toISOString() : null,
        createdAt: created,
      });
      if (!isReturning) continue;
      returning++;
      if (freq === "weekly") continue; // a week ago: none of these two days' stories
      const given = [...new Set(mine.flatMap((c) => bestOfYesterday.get(c) ?? []))].slice(0, 15);
      if (given.length === 0) continue;
      histRows.push({ subscriberId: id, edition: local(previous, tz).date, at: new Date(previous).toISOString(), storyIds: given });
    }
    await insertSubscriberSeeds(db, subRows);
    await insertSentHistory(db, histRows);
    historyRows += histRows.length;
  }
  const ranked = [...followers.entries()].sort((a, b) => b[1] - a[1]);
  return {
    subscribers: spec.subscribers,
    returning,
    stories: storyRows.length,
    articles: articleRows.length,
    outlets: outlets.length,
    historyDeliveries: historyRows,
    countriesPerSubscriber: spec.subscribers ? countrySum / spec.subscribers : 0,
    distinctCountrySets: sets.size,
    mostFollowed: { country: ranked[0]?.[0] ?? "", subscribers: ranked[0]?.[1] ?? 0 },
    leastFollowed: { country: ranked[ranked.length - 1]?.[0] ?? "", subscribers: ranked[ranked.length - 1]?.[1] ?? 0 },
    ms: Math.round(performance.now() - started),
  };
}
