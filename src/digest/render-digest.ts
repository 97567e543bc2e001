// Rendering digests fast: byte-identical to a full React Email render, without one per subscriber.
//
// A full render of a 15-story digest costs a few milliseconds; the morning run renders 100,000. Whole
// digests rarely repeat, but their parts do. A DigestRenderer lives for one run and caches:
//   - each story block's HTML and text, keyed by story, lead article and alternative takes (and checked
//     field by field on a hit, so a changed text can never reuse a stale block);
//   - each country section's opening and closing HTML (keyed by its heading);
//   - the frame (head, brand, footer), rendered ONCE with placeholders for the personal parts.
// A subscriber's email is then concatenation: frame chunks, escaped personal values, section prefixes,
// cached story blocks. No string search or replace runs over assembled output, so no text — however
// hostile — can inject a placeholder: placeholders exist only in the frame template, which is split
// into chunks once, and they carry a random nonce per renderer so the template cannot contain one by
// accident.
//
// Why this is byte-identical: React's server renderer escapes text and attribute values with the same
// function (& < > " ' → entities), emits a separator comment only between adjacent text nodes, and
// renders an element's markup independently of its siblings. The templates keep every personal value
// the only child of its element (emails/digest.tsx), parts are cut out of a full render with sentinel
// children, and links are checked to be http(s) (React rewrites javascript: URLs). The test compares
// assembled and full renders on varied and hostile digests; a library change that breaks an assumption
// makes the template split throw here rather than send a wrong email.
import { render } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import DigestEmail, { CountrySection, StoryBlock } from "../../emails/digest";
import { digestText, digestTextFoot, digestTextHead, sectionHeadingText, storyText } from "../../emails/digest-text";
import { ChunkArena, jsonChunk } from "../mail/json-body";
import type { EncodedBodies } from "../mail/mailer";
import { buildDigest, DIGEST_LEVELS, type BuildDigestInput } from "./build-digest";
import type { DigestInput, DigestSection, DigestStory } from "./types";

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  /** The assembled renderer only: html and text as chunks of their JSON encoding (see src/mail/json-body.ts). */
  encoded?: EncodedBodies;
  /** The assembled renderer only: the UTF-8 size of `html`. */
  htmlBytes?: number;
}

/** The text that chunks of a JSON string encoding (jsonChunk, without quotes) encode together. */
export function decodeJsonChunks(chunks: readonly Uint8Array[]): string {
  return JSON.parse(`"${Buffer.concat(chunks).toString("utf8")}"`) as string;
}

/**
 * An assembled digest as the mailer needs it: its HTML and text as chunks of their JSON encoding. The
 * strings are decoded from the chunks on first access (the local outbox, "view in browser", tests) and
 * then kept. A spread ({ ...digest }) decodes them too; pass the object itself along to keep it small.
 */
export function assembledDigest(subject: string, encoded: EncodedBodies, htmlBytes: number): RenderedDigest {
  let html: string | undefined;
  let text: string | undefined;
  return {
    subject,
    encoded,
    htmlBytes,
    get html() {
      return (html ??= decodeJsonChunks(encoded.html));
    },
    get text() {
      return (text ??= decodeJsonChunks(encoded.text));
    },
  };
}

/** Gmail clips HTML above 102 KB; stay under it with a margin. */
export const MAX_HTML_BYTES = 102_000;

/** The naive way: one full React Email render. The reference for tests and the benchmark. */
export async function renderDigestFull(digest: DigestInput): Promise<RenderedDigest> {
  return { subject: digest.subject, html: await render(createElement(DigestEmail, digest)), text: digestText(digest) };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
/** React DOM server's escapeTextForBrowser, used for text and attribute values alike. */
export function escapeHtml(value: string): string {
  return /["'&<>]/.test(value) ? value.replace(/["'&<>]/g, (c) => ESCAPES[c]!) : value;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const FIELDS = ["subject", "preheader", "dateLabel", "greeting", "countsLine", "whyYouGetThis", "manage", "unsubscribe", "viewInBrowser", "postalAddress"] as const;
type Field = (typeof FIELDS)[number] | "sections";
const LINK_FIELDS = new Set<Field>(["manage", "unsubscribe", "viewInBrowser"]);
/**
 * Personal values worth remembering: they repeat across a morning (the date, the counts line, the postal
 * address). The subject, preheader and "why you get this" follow each reader's countries (64,000 distinct
 * sets among 100,000 readers in the benchmark): remembered, they filled the cache with ~4 MB that was
 * rarely used again and stayed live all run.
 */
const REPEATING_FIELDS = new Set<Field>(["dateLabel", "countsLine", "postalAddress"]);

interface Template {
  slots: Field[];
  /** Each chunk's JSON encoding and UTF-8 size. */
  encoded: Buffer[];
  bytes: number[];
}

/**
 * A cached part: its HTML's JSON encoding and UTF-8 size. Not the HTML: cut out of a full render, it is a
 * slice that would keep the whole render alive (~1 MB of documents in a sending process's heap).
 */
interface Part {
  encoded: Buffer;
  bytes: number;
}

function randomNonce(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return `wd${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function splitOnce(html: string, part: string, what: string): [string, string] {
  const pieces = html.split(part);
  if (pieces.length !== 2) throw new Error(`Digest template: ${what} found ${pieces.length - 1} times, expected once`);
  return [pieces[0]!, pieces[1]!];
}

function fieldValue(digest: DigestInput, field: Exclude<Field, "sections">): string {
  switch (field) {
    case "manage":
    case "unsubscribe":
    case "viewInBrowser":
      return digest.links[field];
    case "greeting":
      return digest.greeting ?? "";
    default:
      return digest[field];
  }
}

const sameTakes = (a: DigestStory["alternatives"], b: DigestStory["alternatives"]) =>
  a === b ||
  (a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return x.id === y.id && x.outlet === y.outlet && x.countryFlag === y.countryFlag && x.countryName === y.countryName && x.title === y.title && x.url === y.url;
    }));

function sameStory(a: DigestStory, b: DigestStory): boolean {
  return (
    a === b ||
    (a.id === b.id && a.articleId === b.articleId && a.title === b.title && a.url === b.url && a.outlet === b.outlet &&
      a.countryFlag === b.countryFlag && a.countryName === b.countryName && a.translatedFrom === b.translatedFrom &&
      a.summary === b.summary && a.whyOverlooked === b.whyOverlooked && sameTakes(a.alternatives, b.alternatives))
  );
}

interface StoryEntry {
  story: DigestStory;
  pending: Promise<Part>;
  html?: Part;
  encodedText: Buffer;
}

interface SectionEntry {
  pending: Promise<unknown>;
  value?: { open: Part; close: Part; encodedText: Buffer };
}

export interface DigestRenderer {
  /** One subscriber's email, byte-identical to renderDigestFull(digest). */
  render(digest: DigestInput): Promise<RenderedDigest>;
  /**
   * Builds the digest (build-digest.ts) and renders it; when the HTML passes `maxBytes` it rebuilds at the
   * next compactness level (shorter texts, then fewer alternative takes). `level` says which was used.
   */
  renderSelection(input: BuildDigestInput, maxBytes?: number): Promise<RenderedDigest & { digest: DigestInput; level: number }>;
  /** How many parts were rendered with React so far (for logs and the benchmark). */
  stats(): { storyBlocks: number; sections: number; frames: number };
}

/** Create one per run (or per tick): its caches assume the run's stories do not change under it. */
export function createDigestRenderer(): DigestRenderer {
  const nonce = randomNonce();
  // The cached parts' and values' encodings, packed together (they live as long as the renderer).
  const arena = new ChunkArena();
  const part = (html: string): Part => ({ encoded: arena.jsonChunk(html), bytes: Buffer.byteLength(html) });
  let wrap: Promise<{ prefix: string; suffix: string }> | undefined;
  const frames = new Map<boolean, { pending: Promise<Template>; value?: Template }>();
  // Resolved values are kept beside the promises so a cache hit costs no await.
  const sections = new Map<string, SectionEntry>();
  // Some personal values repeat too (REPEATING_FIELDS): their encodings are remembered, up to a bound.
  const values = new Map<string, { encoded: Buffer; bytes: number }>();
  const stories = new Map<string, StoryEntry>();
  const byObject = new WeakMap<DigestStory, StoryEntry>();
  let storyRenders = 0;

  /** What render() puts around a fragment (doctype, Suspense markers), measured once. */
  const fragmentWrap = () =>
    (wrap ??= render(createElement("i", null, nonce)).then((probe) => {
      const [prefix, suffix] = splitOnce(probe, `<i>${nonce}</i>`, "fragment probe");
      return { prefix, suffix };
    }));

  async function renderFragment(element: ReactElement): Promise<string> {
    const { prefix, suffix } = await fragmentWrap();
    const html = await render(element);
    if (!html.startsWith(prefix) || !html.endsWith(suffix)) throw new Error("Digest template: unexpected fragment output");
    return html.slice(prefix.length, html.length - suffix.length);
  }

  const sentinelSection = (): DigestSection => ({ country: "ZZ", flag: "", name: `${nonce}section`, stories: [] });
  const sentinelStory = (): DigestStory => ({
    id: -1, articleId: -1, title: `${nonce}story`, url: "", outlet: "", countryFlag: "", countryName: "",
    translatedFrom: "", summary: "", whyOverlooked: "", alternatives: [],
  });

  async function buildFrame(withGreeting: boolean): Promise<Template> {
    const token = (f: Field) => `${nonce}_${FIELDS.indexOf(f as never)}_`;
    const props: DigestInput = {
      subject: token("subject"), preheader: token("preheader"), dateLabel: token("dateLabel"),
      greeting: withGreeting ? token("greeting") : null, countsLine: token("countsLine"), sections: [sentinelSection()],
      whyYouGetThis: token("whyYouGetThis"), postalAddress: token("postalAddress"),
      links: { manage: token("manage"), unsubscribe: token("unsubscribe"), viewInBrowser: token("viewInBrowser") },
    };
    const [full, section] = await Promise.all([
      render(createElement(DigestEmail, props)),
      renderFragment(createElement(CountrySection, { section: sentinelSection() })),
    ]);
    const [before, after] = splitOnce(full, section, "sections slot");
    const marked = `${before}${nonce}_s_${after}`;
    const chunks: string[] = [];
    const slots: Field[] = [];
    const re = new RegExp(`${nonce}_(\\d+|s)_`, "g");
    let last = 0;
    for (const m of marked.matchAll(re)) {
      chunks.push(marked.slice(last, m.index));
      slots.push(m[1] === "s" ? "sections" : FIELDS[Number(m[1])]!);
      last = m.index! + m[0].length;
    }
    chunks.push(marked.slice(last));
    const expected = FIELDS.filter((f) => withGreeting || f !== "greeting");
    for (const f of [...expected, "sections" as const]) {
      if (slots.filter((s) => s === f).length !== 1) throw new Error(`Digest template: placeholder ${f} must appear exactly once`);
    }
    return { slots, encoded: chunks.map((c) => arena.jsonChunk(c)), bytes: chunks.map((c) => Buffer.byteLength(c)) };
  }

  const frame = (withGreeting: boolean) => {
    let f = frames.get(withGreeting);
    if (!f) {
      const entry: { pending: Promise<Template>; value?: Template } = { pending: buildFrame(withGreeting).then((t) => (entry.value = t)) };
      frames.set(withGreeting, (f = entry));
    }
    return f;
  };

  function section(s: DigestSection): SectionEntry {
    const key = `${s.flag}\u0000${s.name}`;
    let cached = sections.get(key);
    if (!cached) {
      const story = sentinelStory();
      const entry: SectionEntry = {
        pending: Promise.all([
          renderFragment(createElement(CountrySection, { section: { ...s, stories: [story] } })),
          renderFragment(createElement(StoryBlock, { story })),
        ]).then(([html, block]) => {
          const [open, close] = splitOnce(html, block, "story slot");
          entry.value = { open: part(open), close: part(close), encodedText: arena.jsonChunk(sectionHeadingText(s)) };
        }),
      };
      sections.set(key, (cached = entry));
    }
    return cached;
  }

  function value(field: Exclude<Field, "sections">, raw: string) {
    const keep = REPEATING_FIELDS.has(field);
    if (keep) {
      const known = values.get(raw);
      if (known) return known;
    }
    const escaped = escapeHtml(raw);
    if (!keep || values.size >= 10_000) return { encoded: jsonChunk(escaped), bytes: Buffer.byteLength(escaped) };
    const v = { encoded: arena.jsonChunk(escaped), bytes: Buffer.byteLength(escaped) };
    values.set(raw, v);
    return v;
  }

  function story(s: DigestStory): StoryEntry {
    // buildDigest hands the same DigestStory object to every digest showing the same story the same way.
    const same = byObject.get(s);
    if (same) return same;
    const key = `${s.id}/${s.articleId}/${s.alternatives.map((a) => a.id).join(",")}`;
    const hit = stories.get(key);
    if (hit && sameStory(hit.story, s)) {
      byObject.set(s, hit);
      return hit;
    }
    storyRenders++;
    const entry: StoryEntry = {
      story: s,
      pending: renderFragment(createElement(StoryBlock, { story: s })).then((html) => (entry.html = part(html))),
      encodedText: arena.jsonChunk(storyText(s)),
    };
    stories.set(key, entry);
    byObject.set(s, entry);
    return entry;
  }

  async function renderDigest(digest: DigestInput): Promise<RenderedDigest> {
    const withGreeting = Boolean(digest.greeting);
    const parts = digest.sections.map((s) => ({ s, sec: section(s), stories: s.stories.map(story) }));
    // Misses render concurrently, once; hits need no await at all.
    const waits: Promise<unknown>[] = [];
    const fr = frame(withGreeting);
    if (!fr.value) waits.push(fr.pending);
    for (const p of parts) {
      if (!p.sec.value) waits.push(p.sec.pending);
      for (const st of p.stories) if (st.html === undefined) waits.push(st.pending);
    }
    if (waits.length > 0) await Promise.all(waits);

    // The HTML and text as chunks of their JSON encoding, the only form the mailer sends: the strings are
    // decoded from them when someone asks (assembledDigest). A batch's emails wait for the provider while
    // other batches are rendered; ropes of their HTML and text, kept beside the chunks, were the largest
    // part of what a sending process moved into V8's old generation (test/digest-render checks the decoded
    // strings against full renders).
    // Arrays of their exact final size (an email keeps them until the provider answers).
    const template = fr.value!;
    let storyCount = 0;
    for (const p of parts) storyCount += p.stories.length;
    const encodedHtml = new Array<Buffer>(template.encoded.length + template.slots.length - 1 + 2 * parts.length + storyCount);
    const encodedText = new Array<Buffer>(2 + parts.length + storyCount);
    let h = 0;
    let t = 0;
    encodedText[t++] = jsonChunk(digestTextHead(digest));
    let htmlBytes = template.bytes[0]!;
    encodedHtml[h++] = template.encoded[0]!;
    for (let i = 0; i < template.slots.length; i++) {
      const slot = template.slots[i]!;
      if (slot === "sections") {
        for (const p of parts) {
          const { open, close, encodedText: headingText } = p.sec.value!;
          encodedHtml[h++] = open.encoded;
          htmlBytes += open.bytes;
          encodedText[t++] = headingText;
          for (const st of p.stories) {
            const block = st.html!;
            encodedHtml[h++] = block.encoded;
            htmlBytes += block.bytes;
            encodedText[t++] = st.encodedText;
          }
          encodedHtml[h++] = close.encoded;
          htmlBytes += close.bytes;
        }
      } else {
        const raw = fieldValue(digest, slot);
        if (LINK_FIELDS.has(slot) && !/^https?:\/\//i.test(raw)) throw new Error(`Digest link ${slot} must be an http(s) URL`);
        const v = value(slot, raw);
        htmlBytes += v.bytes;
        encodedHtml[h++] = v.encoded;
      }
      htmlBytes += template.bytes[i + 1]!;
      encodedHtml[h++] = template.encoded[i + 1]!;
    }
    encodedText[t++] = jsonChunk(digestTextFoot(digest));
    if (h !== encodedHtml.length || t !== encodedText.length) throw new Error("Digest assembly: chunk count mismatch");
    return assembledDigest(digest.subject, { html: encodedHtml, text: encodedText }, htmlBytes);
  }

  return {
    render: renderDigest,
    stats: () => ({ storyBlocks: storyRenders, sections: sections.size, frames: frames.size }),
    async renderSelection(input, maxBytes = MAX_HTML_BYTES) {
      for (let level = 0; ; level++) {
        const digest = buildDigest(input, level);
        const out = await renderDigest(digest);
        const fits = (out.htmlBytes ?? utf8Length(out.html)) <= maxBytes;
        // Not a spread: that would decode the strings assembledDigest keeps encoded.
        if (fits || level >= DIGEST_LEVELS.length - 1) return Object.assign(out, { digest, level });
      }
    },
  };
}
