// The assembled renderer also hands the mailer its HTML and text as chunks of their JSON encoding
// (src/mail/json-body.ts): concatenated, they are exactly the JSON encoding of the full render's HTML and
// text, and htmlBytes is its UTF-8 size — for ordinary, hostile and the largest digests, on cache misses
// and hits.
import { describe, expect, it } from "vitest";
import { buildDigest, type BuildDigestInput } from "../src/digest/build-digest";
import { createDigestRenderer, renderDigestFull } from "../src/digest/render-digest";
import { jsonChunk } from "../src/mail/json-body";
import type { DigestInput, SelectedStory } from "../src/digest/types";
import { hostileText, largestBuildInput, previewBuildInput, sampleStories } from "../emails/preview-data";

const stories = sampleStories();
const withStories = (picked: SelectedStory[], extra: Partial<BuildDigestInput> = {}): DigestInput =>
  buildDigest({ ...previewBuildInput, stories: picked, ...extra });

const cases: Array<[string, DigestInput]> = [
  ["the preview digest", withStories(stories)],
  ["one story, no greeting", withStories([stories[2]!], { greeting: null })],
  [
    "hostile text",
    withStories(
      [{ ...stories[0]!, id: 77, lead: { ...stories[0]!.lead, id: 7701, title: hostileText.title, summary: `${hostileText.summary} "\\" \u2028 🇯🇵`, outlet: hostileText.outlet } }],
      { greeting: `Hi <b>"you"</b> \\ ${hostileText.reason}`, postalAddress: `${hostileText.title} 1 Rue & Co` },
    ),
  ],
  ["the largest digest", buildDigest(largestBuildInput(120), 0)],
];

describe("the assembled renderer's JSON chunks", () => {
  it("encode exactly the full render's HTML and text, with its UTF-8 size", async () => {
    const renderer = createDigestRenderer();
    for (const pass of [1, 2]) {
      for (const [name, digest] of cases) {
        const full = await renderDigestFull(digest);
        const fast = await renderer.render(digest);
        expect(fast.html, name).toBe(full.html);
        expect(Buffer.concat(fast.encoded!.html).equals(jsonChunk(full.html)), `${name} html (pass ${pass})`).toBe(true);
        expect(Buffer.concat(fast.encoded!.text).equals(jsonChunk(full.text)), `${name} text (pass ${pass})`).toBe(true);
        expect(fast.htmlBytes, name).toBe(Buffer.byteLength(full.html));
      }
    }
  });
});
