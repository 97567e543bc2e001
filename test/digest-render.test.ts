import { describe, expect, it } from "vitest";
import { buildDigest, type BuildDigestInput } from "../src/digest/build-digest";
import { createDigestRenderer, escapeHtml, MAX_HTML_BYTES, renderDigestFull, utf8Length } from "../src/digest/render-digest";
import type { DigestInput, SelectedStory } from "../src/digest/types";
import { hostileText, largestBuildInput, previewBuildInput, sampleStories } from "../emails/preview-data";

const stories = sampleStories();
const withStories = (picked: SelectedStory[], extra: Partial<BuildDigestInput> = {}): DigestInput =>
  buildDigest({ ...previewBuildInput, stories: picked, ...extra });

function hostileStories(): SelectedStory[] {
  const [a, b] = sampleStories();
  return [
    {
      ...a!,
      id: 900,
      overlookedReason: hostileText.reason,
      lead: { ...a!.lead, id: 9001, title: hostileText.title, summary: hostileText.summary, outlet: hostileText.outlet, url: "https://example.com/a?x=1&y=\"2\"&z=<3>" },
      alternatives: [
        { ...a!.alternatives[0]!, id: 9002, title: hostileText.title, outlet: hostileText.outlet, url: hostileText.url },
        { ...a!.alternatives[1]!, id: 9003, title: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 日本語 العربية 🇯🇵👩‍👩‍👧", outlet: "Ünïcödé" },
      ],
    },
    { ...b!, id: 901, lead: { ...b!.lead, id: 9004, url: hostileText.url, title: "No link: javascript URL dropped" } },
  ];
}

/** Different digests: countries, translated or not, with and without takes, greeting or not, hostile text. */
function variety(): Array<[string, DigestInput]> {
  return [
    ["the preview digest", withStories(stories)],
    ["one untranslated story without alternative takes, no greeting", withStories([stories[2]!], { greeting: null })],
    ["Japan only, reversed order", withStories([stories[4]!, stories[0]!])],
    ["Slovakia then Brazil", withStories([stories[3]!, stories[1]!, stories[2]!])],
    ["hostile text everywhere", withStories(hostileStories(), {
      greeting: `Hi <b>"you"</b> & 'them' ${hostileText.reason}`,
      postalAddress: `${hostileText.title} 1 Rue & Co`,
      links: {
        manage: "https://example.com/manage/a?b=1&c=\"x\"",
        unsubscribe: "https://example.com/unsubscribe/<tok>",
        viewInBrowser: "https://example.com/view/'q'",
      },
    })],
    ["the largest digest, full texts", buildDigest(largestBuildInput(120), 0)],
    ["the largest digest, compact (outlets linked instead of titles)", buildDigest(largestBuildInput(120), 3)],
  ];
}

describe("assembled digests are byte-identical to a full React Email render", () => {
  it("for varied digests rendered by one renderer (cache misses, then hits)", async () => {
    const renderer = createDigestRenderer();
    const cases = variety();
    // Twice: the second pass is served from the cache.
    for (const pass of [1, 2]) {
      for (const [name, digest] of cases) {
        const full = await renderDigestFull(digest);
        const fast = await renderer.render(digest);
        expect(fast.html, `${name} (pass ${pass})`).toBe(full.html);
        expect(fast.text, `${name} (pass ${pass})`).toBe(full.text);
        expect(fast.subject).toBe(full.subject);
      }
    }
  });

  it("when concurrent renders share parts", async () => {
    const renderer = createDigestRenderer();
    const cases = variety();
    const fast = await Promise.all(cases.map(([, d]) => renderer.render(d)));
    for (let i = 0; i < cases.length; i++) expect(fast[i]!.html).toBe((await renderDigestFull(cases[i]![1])).html);
  });

  it("never reuses a cached story block whose text changed under the same ids", async () => {
    const renderer = createDigestRenderer();
    const first = withStories([stories[0]!]);
    await renderer.render(first);
    const changed = withStories([{ ...stories[0]!, lead: { ...stories[0]!.lead, title: "A corrected title & more" } }]);
    const fast = await renderer.render(changed);
    expect(fast.html).toBe((await renderDigestFull(changed)).html);
    expect(fast.html).toContain("A corrected title &amp; more");
  });

  it("keeps hostile text inert and leaves no placeholder behind", async () => {
    const renderer = createDigestRenderer();
    const digest = variety().find(([n]) => n.startsWith("hostile"))![1];
    const { html, text } = await renderer.render(digest);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/\u202e|\ud800(?![\udc00-\udfff])/);
    expect(html).not.toMatch(/wd[0-9a-f]{18}/);
    expect(text).not.toMatch(/wd[0-9a-f]{18}/);
    expect(text).toContain("{{manage}} $& $1 ${x}");
    // Personal values are escaped exactly as React would.
    expect(html).toContain(escapeHtml(digest.greeting!));
    expect(html).toContain('href="https://example.com/unsubscribe/%3Ctok%3E"');
  });

  it("refuses a non-http(s) personal link rather than render something React would not", async () => {
    const renderer = createDigestRenderer();
    const digest = { ...withStories(stories), links: { ...withStories(stories).links, manage: "javascript:alert(1)" } };
    await expect(renderer.render(digest)).rejects.toThrow(/http\(s\)/);
  });

  it("escapeHtml matches React for every special character", async () => {
    const s = `&<>"'`;
    const digest = withStories([stories[2]!], { greeting: s });
    const { html } = await renderDigestFull(digest);
    expect(html).toContain(`>${escapeHtml(s)}</p>`);
    expect(escapeHtml(s)).toBe("&amp;&lt;&gt;&quot;&#x27;");
  });
});

describe("size: the largest allowed digest stays under Gmail's 102 KB clip", () => {
  for (const urlLength of [100, 120, 400]) {
    it(`50 stories, 30 countries, 5 alternative takes each, long texts, ${urlLength}-character links`, async () => {
      const renderer = createDigestRenderer();
      const input = largestBuildInput(urlLength);
      const out = await renderer.renderSelection(input);
      const bytes = utf8Length(out.html);
      expect(bytes).toBe(Buffer.byteLength(out.html, "utf8"));
      expect(bytes).toBeLessThanOrEqual(MAX_HTML_BYTES);
      expect(bytes).toBeLessThan(102 * 1024);
      // Every story is there; texts were shortened before any take was dropped.
      const shown = out.digest.sections.flatMap((s) => s.stories);
      expect(shown).toHaveLength(50);
      for (const st of shown) expect(out.html).toContain(escapeHtml(st.title));
      if (urlLength <= 100) expect(shown.every((s) => s.alternatives.length === 5)).toBe(true);
      // And it is still byte-identical to the full render of what was chosen.
      expect(out.html).toBe((await renderDigestFull(out.digest)).html);
      console.log(`largest digest, ${urlLength}-char links: level ${out.level}, ${bytes} bytes, ${shown[0]!.alternatives.length} takes per story`);
    });
  }

  it("a normal 15-story digest is not shortened", async () => {
    const input = largestBuildInput(120);
    const out = await createDigestRenderer().renderSelection({ ...input, stories: input.stories.slice(0, 15) });
    expect(out.level).toBe(0);
  });
});
