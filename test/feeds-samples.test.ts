// The offline demo content: real legacy-encoded bytes, fresh-looking dates, complete translations, and
// events covered across countries (with the US reference covering exactly one of them).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isCountryCode } from "../src/countries";
import { decodeFeed } from "../src/feeds/decode";
import {
  loadSampleFeed,
  readSampleFeed,
  SAMPLE_NEWEST_AGE_MS,
  sampleFeedsDir,
  sampleManifest,
  sampleSources,
  sampleTranslation,
  sampleTranslations,
} from "../src/feeds/sample-feeds";
import type { FeedItem, SourceRecord } from "../src/feeds/types";

const now = new Date("2026-07-01T06:30:00Z");
const outlets = sampleManifest().outlets;
const sources = sampleSources();

async function allItems(at: Date): Promise<Array<{ source: SourceRecord; item: FeedItem }>> {
  const out: Array<{ source: SourceRecord; item: FeedItem }> = [];
  for (const source of sources) for (const item of await loadSampleFeed(source.slug, at)) out.push({ source, item });
  return out;
}

const english = (item: FeedItem) => (item.language === "en" ? item.title : sampleTranslation(item.title)!);

describe("sample outlets", () => {
  it("are clearly sample content, on reserved .example hosts, with valid countries and languages", () => {
    const slugs = new Set(sources.map((s) => s.slug));
    expect(slugs.size).toBe(sources.length);
    for (const s of sources) {
      expect(s.isSample).toBe(true);
      expect(s.name).toMatch(/^Sample: /);
      expect(new URL(s.homepage).hostname).toMatch(/\.example$/);
      expect(s.feedUrl).toBe(`sample:${s.slug}`);
      expect(s.isReference ? s.country === "US" : isCountryCode(s.country)).toBe(true);
      expect(s.language).toMatch(/^[a-z]{2,3}$/);
    }
  });

  it("span a dozen countries, three formats and the legacy encodings real feeds use", () => {
    expect(new Set(sources.filter((s) => !s.isReference).map((s) => s.country)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(outlets.map((o) => o.format))).toEqual(new Set(["rss", "rdf", "atom"]));
    const encodings = new Set(outlets.map((o) => o.encoding));
    for (const e of ["shift_jis", "euc-kr", "big5", "windows-1251", "koi8-r", "iso-8859-2", "windows-1250", "utf-16le", "utf-8"]) {
      expect(encodings).toContain(e);
    }
    expect(sources.filter((s) => s.isReference)).toHaveLength(1);
  });

  it("are saved as real bytes in their encoding, which the decoder finds on its own", () => {
    for (const outlet of outlets) {
      const path = `${sampleFeedsDir}${outlet.file}`;
      expect(existsSync(path)).toBe(true);
      const bytes = new Uint8Array(readFileSync(path));
      const decoded = decodeFeed(bytes);
      const expected = outlet.encoding === "iso-8859-1" ? "windows-1252" : outlet.encoding;
      expect(decoded.encoding).toBe(expected);
      expect(decoded.warnings).toEqual([]);
      const validUtf8 = (() => {
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes);
          return true;
        } catch {
          return false;
        }
      })();
      if (!["utf-8", "utf-16le"].includes(outlet.encoding) && bytes.some((b) => b >= 0x80)) expect(validUtf8).toBe(false);
    }
  });

  it("parse without warnings, every item with a title, a link on the outlet's host and a date", async () => {
    for (const source of sources) {
      const feed = await readSampleFeed(source.slug, now);
      expect(feed.warnings).toEqual([]);
      expect(feed.items.length).toBeGreaterThanOrEqual(2);
      for (const item of feed.items) {
        expect(item.title).not.toBe("");
        expect(item.summary).not.toBe("");
        expect(new URL(item.link).hostname).toBe(new URL(source.homepage).hostname);
        expect(item.link).not.toMatch(/utm_/);
        expect(item.language).toBe(source.language);
      }
    }
  });
});

describe("sample dates", () => {
  it("are shifted so the newest item is two hours before now, keeping the spacing", async () => {
    const items = await allItems(now);
    const newest = Math.max(...items.map(({ item }) => item.published.getTime()));
    expect(newest).toBe(now.getTime() - SAMPLE_NEWEST_AGE_MS);
    const later = await allItems(new Date(now.getTime() + 86_400_000));
    items.forEach(({ item }, i) => expect(later[i]!.item.published.getTime() - item.published.getTime()).toBe(86_400_000));
  });

  it("anchor on the real newest item of the files", async () => {
    const unshifted = await allItems(new Date(Date.parse(sampleManifest().newestItemAt) + SAMPLE_NEWEST_AGE_MS));
    expect(new Date(Math.max(...unshifted.map(({ item }) => item.published.getTime()))).toISOString()).toBe(sampleManifest().newestItemAt);
  });

  it("put every item within the last four days", async () => {
    for (const { item } of await allItems(now)) {
      expect(now.getTime() - item.published.getTime()).toBeLessThan(4 * 86_400_000);
      expect(item.published.getTime()).toBeLessThan(now.getTime());
    }
  });
});

describe("sample translations", () => {
  it("give English for every non-English title and summary, and nothing else", async () => {
    const needed = new Set<string>();
    for (const { item } of await allItems(now)) {
      if (item.language === "en") continue;
      for (const text of [item.title, item.summary]) {
        expect(sampleTranslation(text), text).toMatch(/[A-Za-z]/);
        needed.add(text);
      }
    }
    expect([...sampleTranslations().keys()].filter((k) => !needed.has(k))).toEqual([]);
  });

  it("keep the original-language text in the feed", async () => {
    const [first] = await loadSampleFeed("sample-jp-tokyo-morning-post", now);
    expect(first?.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(sampleTranslation(first!.title)).toMatch(/earthquake/i);
  });
});

describe("sample events", () => {
  const events: Array<[name: string, pattern: RegExp, minOutlets: number, minCountries: number]> = [
    ["Hokkaido earthquake", /earthquake.*Hokkaido|Hokkaido.*earthquake/i, 3, 3],
    ["Danube floods", /Danube floods/i, 4, 4],
    ["coffee prices", /coffee.*record|record.*coffee/i, 3, 3],
    ["Barents Sea cod quotas", /cod .*quota/i, 3, 3],
  ];

  it.each(events)("%s: covered by several outlets in several countries within two days, in shared English words", async (_name, pattern, minOutlets, minCountries) => {
    const covering = (await allItems(now)).filter(({ source, item }) => !source.isReference && pattern.test(english(item)));
    expect(new Set(covering.map(({ source }) => source.slug)).size).toBeGreaterThanOrEqual(minOutlets);
    expect(new Set(covering.map(({ source }) => source.country)).size).toBeGreaterThanOrEqual(minCountries);
    const times = covering.map(({ item }) => item.published.getTime());
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it("the US reference feed covers the earthquake and none of the other events", async () => {
    const us = (await allItems(now)).filter(({ source }) => source.isReference).map(({ item }) => item.title);
    expect(us.some((t) => events[0]![1].test(t))).toBe(true);
    for (const [, pattern] of events.slice(1)) expect(us.some((t) => pattern.test(t))).toBe(false);
  });

  it("include single stories too", async () => {
    const all = await allItems(now);
    const inEvents = all.filter(({ item }) => events.some(([, p]) => p.test(english(item))));
    expect(all.length - inEvents.length).toBeGreaterThanOrEqual(15);
  });
});
