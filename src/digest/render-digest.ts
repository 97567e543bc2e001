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
import { buildDigest, DIGEST_LEVELS, type BuildDigestInput } from "./build-digest";
import type { DigestInput, DigestSection, DigestStory } from "./types";

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
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

interface Template {
  chunks: string[];
  slots: Field[];
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
  pending: Promise<string>;
  html?: string;
  text: string;
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
  let wrap: Promise<{ prefix: string; suffix: string }> | undefined;
  const frames = new Map<boolean, { pending: Promise<Template>; value?: Template }>();
  // Resolved values are kept beside the promises so a cache hit costs no await.
  const sections = new Map<string, { pending: Promise<[string, string]>; value?: [string, string] }>();
  const stories = new Map<string, StoryEntry>();
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
    return { chunks, slots };
  }

  const frame = (withGreeting: boolean) => {
    let f = frames.get(withGreeting);
    if (!f) {
      const entry: { pending: Promise<Template>; value?: Template } = { pending: buildFrame(withGreeting).then((t) => (entry.value = t)) };
      frames.set(withGreeting, (f = entry));
    }
    return f;
  };

  function section(s: DigestSection) {
    const key = `${s.flag}\u0000${s.name}`;
    let cached = sections.get(key);
    if (!cached) {
      const story = sentinelStory();
      const entry: { pending: Promise<[string, string]>; value?: [string, string] } = {
        pending: Promise.all([
          renderFragment(createElement(CountrySection, { section: { ...s, stories: [story] } })),
          renderFragment(createElement(StoryBlock, { story })),
        ]).then(([html, block]) => (entry.value = splitOnce(html, block, "story slot"))),
      };
      sections.set(key, (cached = entry));
    }
    return cached;
  }

  function story(s: DigestStory): StoryEntry {
    const key = `${s.id}/${s.articleId}/${s.alternatives.map((a) => a.id).join(",")}`;
    const hit = stories.get(key);
    if (hit && sameStory(hit.story, s)) return hit;
    storyRenders++;
    const entry: StoryEntry = {
      story: s,
      pending: renderFragment(createElement(StoryBlock, { story: s })).then((html) => (entry.html = html)),
      text: storyText(s),
    };
    stories.set(key, entry);
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

    let sectionsHtml = "";
    let sectionsText = "";
    for (const p of parts) {
      const [open, close] = p.sec.value!;
      sectionsHtml += open;
      sectionsText += sectionHeadingText(p.s);
      for (const st of p.stories) {
        sectionsHtml += st.html!;
        sectionsText += st.text;
      }
      sectionsHtml += close;
    }
    const template = fr.value!;
    let html = template.chunks[0]!;
    for (let i = 0; i < template.slots.length; i++) {
      const slot = template.slots[i]!;
      if (slot === "sections") html += sectionsHtml;
      else {
        const value = fieldValue(digest, slot);
        if (LINK_FIELDS.has(slot) && !/^https?:\/\//i.test(value)) throw new Error(`Digest link ${slot} must be an http(s) URL`);
        html += escapeHtml(value);
      }
      html += template.chunks[i + 1]!;
    }
    return { subject: digest.subject, html, text: digestTextHead(digest) + sectionsText + digestTextFoot(digest) };
  }

  return {
    render: renderDigest,
    stats: () => ({ storyBlocks: storyRenders, sections: sections.size, frames: frames.size }),
    async renderSelection(input, maxBytes = MAX_HTML_BYTES) {
      for (let level = 0; ; level++) {
        const digest = buildDigest(input, level);
        const out = await renderDigest(digest);
        // UTF-8 is at most 3 bytes per UTF-16 unit: count exactly only when it could matter.
        const fits = out.html.length * 3 <= maxBytes || utf8Length(out.html) <= maxBytes;
        if (fits || level >= DIGEST_LEVELS.length - 1) return { ...out, digest, level };
      }
    },
  };
}
