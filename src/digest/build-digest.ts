// SelectedStory[] + subscriber preferences + links → DigestInput, the final texts the email prints.
// Pure. Untrusted text (feeds) is cleaned and bounded here, once: control and bidi-override characters
// removed, whitespace collapsed, lone surrogates repaired, lengths capped so the largest digest stays
// under Gmail's 102 KB clip, and links reduced to http(s).
import { countryByCode } from "../countries";
import type { Frequency } from "../../db/schema";
import { digestPreheader, digestSubject, joinNames } from "../../emails/digest-text";
import type { DigestInput, DigestLinks, DigestSection, DigestStory, DigestTake, SelectedStory } from "./types";

/** Caps in characters at each compactness level; links longer than `url` lose their link. */
export interface DigestLimits {
  title: number;
  summary: number;
  reason: number;
  outlet: number;
  takeTitle: number;
  /** Alternative takes per story. */
  takes: number;
}

/**
 * Level 0 is the normal digest. A digest whose HTML would pass the size budget (Gmail clips at 102 KB) is
 * rebuilt at the next level: shorter texts first, fewer alternative takes only at the last levels (see
 * renderSelection in render-digest.ts).
 */
export const DIGEST_LEVELS: readonly DigestLimits[] = [
  { title: 150, summary: 320, reason: 160, outlet: 60, takeTitle: 110, takes: 5 },
  { title: 120, summary: 220, reason: 120, outlet: 40, takeTitle: 80, takes: 5 },
  { title: 100, summary: 160, reason: 90, outlet: 32, takeTitle: 56, takes: 5 },
  // Alternative takes show the linked outlet instead of the title (takeTitle 0).
  { title: 90, summary: 130, reason: 80, outlet: 28, takeTitle: 0, takes: 5 },
  { title: 90, summary: 130, reason: 80, outlet: 28, takeTitle: 0, takes: 3 },
  { title: 80, summary: 110, reason: 70, outlet: 28, takeTitle: 0, takes: 1 },
  { title: 80, summary: 100, reason: 60, outlet: 28, takeTitle: 0, takes: 0 },
];

const URL_MAX = 400;
const GREETING_MAX = 120;
const POSTAL_MAX = 300;

export interface BuildDigestInput {
  stories: readonly SelectedStory[];
  subscriber: {
    countries: readonly string[];
    timeZone: string;
    deliveryTime: string;
    frequency: Frequency;
    weeklyDay: number | null;
  };
  /** The edition, the subscriber's local date "YYYY-MM-DD" (from nextSendAt / the delivery row). */
  edition: string;
  links: DigestLinks;
  postalAddress: string;
  greeting?: string | null;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Controls (C0, DEL, C1), bidi overrides/isolates, zero-width no-break space; line breaks become spaces.
const UNWANTED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Single-line, well-formed, bounded text; cut at a word boundary with "…" when too long. */
export function cleanText(value: unknown, max: number): string {
  if (max <= 0) return "";
  let s = typeof value === "string" ? value : value == null ? "" : String(value);
  s = s.replace(LONE_SURROGATE, "\ufffd").replace(UNWANTED, " ").replace(/\s+/g, " ").trim();
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  // Already at a word boundary when the next character is a space; otherwise back up to the last one.
  const space = s[cut.length] === " " ? cut.length : cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** An http(s) link, normalised, or "" when the value is not one (javascript:, data:, too long, garbage). */
export function safeUrl(value: unknown): string {
  if (typeof value !== "string" || value.length > URL_MAX * 2) return "";
  try {
    const url = new URL(value.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return "";
    return url.href.length <= URL_MAX ? url.href : "";
  } catch {
    return "";
  }
}

// Personal links are one of a few prefixes ("https://host/manage/") plus a token: a prefix whose URL
// normalises to itself, followed by one plain path segment, normalises to itself too. Checking each prefix
// once spares the morning run three URL parses per digest; anything else goes through safeUrl.
const safePrefixes = new Map<string, boolean>();
const PLAIN_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

function requireLink(name: string, value: string): string {
  const cut = typeof value === "string" ? value.lastIndexOf("/") + 1 : 0;
  if (cut > 0 && value.length <= URL_MAX && PLAIN_SEGMENT.test(value.slice(cut))) {
    const prefix = value.slice(0, cut);
    let ok = safePrefixes.get(prefix);
    if (ok === undefined) {
      ok = safeUrl(`${prefix}x`) === `${prefix}x`;
      if (safePrefixes.size < 100) safePrefixes.set(prefix, ok);
    }
    if (ok) return value;
  }
  const url = safeUrl(value);
  if (!url) throw new Error(`Digest link "${name}" must be an http(s) URL`);
  return url;
}

const languageNames = new Map<string, string>();
/** "ja" → "Japanese"; an unknown code is shown as is. */
export function languageName(code: string): string {
  const key = cleanText(code, 20);
  let name = languageNames.get(key);
  if (name === undefined) {
    try {
      name = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" }).of(key) ?? key;
    } catch {
      name = key;
    }
    if (languageNames.size < 1000) languageNames.set(key, name);
  }
  return name;
}

function place(code: string): { flag: string; name: string } {
  const c = countryByCode(code);
  return c ? { flag: c.flag, name: c.name } : { flag: "🌐", name: cleanText(code, 40) };
}

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "every day at 07:00", "Monday to Friday at 07:00", "every Saturday at 07:00". */
export function scheduleWords(frequency: Frequency, weeklyDay: number | null, deliveryTime: string): string {
  const when =
    frequency === "weekdays" ? "Monday to Friday" : frequency === "weekly" ? `every ${weekdays[weeklyDay ?? 1] ?? "week"}` : "every day";
  return `${when} at ${deliveryTime}`;
}

let dateFormat: Intl.DateTimeFormat | undefined;
const labels = new Map<string, string>();
/** "Monday, 11 May 2026" for edition "2026-05-11" (already the subscriber's local date). */
export function editionLabel(edition: string): string {
  const known = labels.get(edition);
  if (known) return known;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(edition);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)) : null;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`Edition must be YYYY-MM-DD, got ${JSON.stringify(edition)}`);
  dateFormat ??= new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const label = dateFormat.format(date);
  if (labels.size < 1000) labels.set(edition, label);
  return label;
}

// Memo per lead article object (candidates are loaded once per run and treated as immutable): thousands of
// subscribers get the same story block, and returning the same object lets the renderer's cache check
// be an identity check. The result is the same as computing it again.
const storyMemo = new WeakMap<object, Array<{ s: SelectedStory; limits: DigestLimits; out: DigestStory }>>();

function sameSelection(a: SelectedStory, b: SelectedStory): boolean {
  return (
    a === b ||
    (a.id === b.id && a.lead === b.lead && a.title === b.title && a.overlookedReason === b.overlookedReason &&
      (a.alternatives === b.alternatives || (a.alternatives.length === b.alternatives.length && a.alternatives.every((x, i) => x === b.alternatives[i]))))
  );
}

function toStoryMemo(s: SelectedStory, limits: DigestLimits): DigestStory {
  let entries = storyMemo.get(s.lead);
  const hit = entries?.find((e) => e.limits === limits && sameSelection(e.s, s));
  if (hit) return hit.out;
  const out = toStory(s, limits);
  if (!entries) storyMemo.set(s.lead, (entries = []));
  if (entries.length < 16) entries.push({ s, limits, out });
  return out;
}

function toStory(s: SelectedStory, limits: DigestLimits): DigestStory {
  const lead = s.lead;
  const where = place(lead.country);
  const alternatives: DigestTake[] = s.alternatives.slice(0, limits.takes).map((a) => {
    const w = place(a.country);
    return { id: a.id, outlet: cleanText(a.outlet, limits.outlet), countryFlag: w.flag, countryName: w.name, title: cleanText(a.title, limits.takeTitle), url: safeUrl(a.url) };
  });
  return {
    id: s.id,
    articleId: lead.id,
    title: cleanText(lead.title || s.title, limits.title),
    url: safeUrl(lead.url),
    outlet: cleanText(lead.outlet, limits.outlet),
    countryFlag: where.flag,
    countryName: where.name,
    translatedFrom: lead.translated ? `Translated from ${languageName(lead.language)}` : "",
    // A title made from a one-sentence text (src/feeds/derived-title.ts) is that text: shown once.
    summary: lead.summary === lead.title ? "" : cleanText(lead.summary, limits.summary),
    whyOverlooked: cleanText(s.overlookedReason, limits.reason),
    alternatives,
  };
}

/** One selected story as the digest prints it, at the normal (roomiest) level: the country pages show these. */
export function presentStory(s: SelectedStory): DigestStory {
  return toStoryMemo(s, DIGEST_LEVELS[0]!);
}

let lastPostal: { raw: string; clean: string } | undefined;
/** The sender's address (the same in every digest of a run). */
function postal(raw: string): string {
  if (lastPostal?.raw !== raw) lastPostal = { raw, clean: cleanText(raw, POSTAL_MAX) };
  return lastPostal.clean;
}

/** Sections in the order of their best story (stories arrive ranked), stories in rank order. */
export function buildDigest(input: BuildDigestInput, level = 0): DigestInput {
  const limits = DIGEST_LEVELS[Math.min(Math.max(0, Math.floor(level)), DIGEST_LEVELS.length - 1)]!;
  if (input.stories.length === 0) throw new Error("A digest needs at least one story (skip the edition instead)");
  const sections: DigestSection[] = [];
  const byCountry = new Map<string, DigestSection>();
  for (const story of input.stories) {
    let section = byCountry.get(story.country);
    if (!section) {
      section = { country: story.country, ...place(story.country), stories: [] };
      byCountry.set(story.country, section);
      sections.push(section);
    }
    section.stories.push(toStoryMemo(story, limits));
  }
  const count = input.stories.length;
  const names = sections.map((s) => s.name);
  const { subscriber } = input;
  return {
    subject: digestSubject(count, names),
    preheader: digestPreheader(sections),
    dateLabel: editionLabel(input.edition),
    greeting: input.greeting ? cleanText(input.greeting, GREETING_MAX) || null : null,
    countsLine: `${count === 1 ? "1 overlooked story" : `${count} overlooked stories`} from ${sections.length === 1 ? names[0] : `${sections.length} countries`}`,
    sections,
    whyYouGetThis: `You get this because you follow ${joinNames(subscriber.countries.map((c) => place(c).name))} on World Digest, ${scheduleWords(subscriber.frequency, subscriber.weeklyDay, subscriber.deliveryTime)} (${subscriber.timeZone}).`,
    links: {
      manage: requireLink("manage", input.links.manage),
      unsubscribe: requireLink("unsubscribe", input.links.unsubscribe),
      viewInBrowser: requireLink("viewInBrowser", input.links.viewInBrowser),
    },
    postalAddress: postal(input.postalAddress),
  };
}
