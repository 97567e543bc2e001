import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { render } from "@react-email/render";
import DigestEmail from "../emails/digest";
import { buildDigest } from "../src/digest/build-digest";
import { renderDigestFull } from "../src/digest/render-digest";
import { previewBuildInput, previewDigest, sampleStories } from "../emails/preview-data";

describe("the digest email", () => {
  it("has PreviewProps that render", async () => {
    expect(DigestEmail.PreviewProps).toBe(previewDigest);
    const html = await render(createElement(DigestEmail, DigestEmail.PreviewProps));
    expect(html).toContain("5 overlooked stories from 3 countries");
  });

  it("is dark-mode friendly, 600 px wide, and loads nothing from outside", async () => {
    const { html } = await renderDigestFull(previewDigest);
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark"/>');
    expect(html).toContain("@media (prefers-color-scheme:dark)");
    expect(html).toContain("max-width:600px");
    expect(html).not.toMatch(/<img|<script|<link|\ssrc=|url\(/i);
  });

  it("shows the date, the counts, a section per country with its flag, and each story's parts", async () => {
    const { html } = await renderDigestFull(previewDigest);
    expect(html).toContain("Monday, 11 May 2026");
    expect(html).toContain("Good morning.");
    for (const heading of ["🇯🇵 Japan", "🇧🇷 Brazil", "🇸🇰 Slovakia"]) expect(html).toContain(`>${heading}</h2>`);
    const story = previewDigest.sections[0]!.stories[0]!;
    expect(html).toContain(`<a href="${story.url}"`);
    expect(html).toContain(`>${story.title}</a>`);
    expect(html).toContain("Asahi Shimbun · 🇯🇵 Japan · Translated from Japanese");
    expect(html).toContain("The Japan Times · 🇯🇵 Japan</p>"); // English original: no translation note
    expect(html).toContain(story.summary);
    expect(html).toContain("Why it’s overlooked: </b>Covered by 3 outlets in 2 countries; none of the 6 US outlets we track.");
    expect(html).toContain("<b>Alternative takes:</b><br/>🇰🇷 South Korea · Hankyoreh: <a href=");
  });

  it("leaves out sections without stories and the alternative takes of a story that has none", async () => {
    const digest = buildDigest({ ...previewBuildInput, stories: [sampleStories()[2]!] });
    const { html } = await renderDigestFull(digest);
    expect(html).not.toContain("🇯🇵 Japan</h2>");
    expect(html).not.toContain("🇸🇰 Slovakia</h2>");
    expect(html).not.toContain("Alternative takes");
    expect(html).toContain("🇧🇷 Brazil</h2>");
  });

  it("has a footer with why they get it, Manage, Unsubscribe, View in browser and the postal address", async () => {
    const { html } = await renderDigestFull(previewDigest);
    expect(html).toContain(previewDigest.whyYouGetThis);
    expect(html).toMatch(/<a href="http:\/\/localhost:8787\/manage\/EXAMPLE-TOKEN"[^>]*>Manage<\/a>/);
    expect(html).toMatch(/<a href="http:\/\/localhost:8787\/unsubscribe\/EXAMPLE-TOKEN"[^>]*>Unsubscribe<\/a>/);
    expect(html).toMatch(/<a href="http:\/\/localhost:8787\/view\/EXAMPLE-TOKEN"[^>]*>View in browser<\/a>/);
    expect(html).toContain("World Digest, 1 Example Street, Springfield, USA");
  });

  it("starts the body with the hidden preheader", async () => {
    const { html } = await renderDigestFull(previewDigest);
    const body = html.slice(html.indexOf("<body"));
    const first = body.indexOf(previewDigest.preheader);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(body.indexOf("World Digest</p>"));
  });

  it("has a plain-text part with every story, link and the footer", async () => {
    const { text } = await renderDigestFull(previewDigest);
    expect(text.startsWith("World Digest\nMonday, 11 May 2026\n\nGood morning.\n\n5 overlooked stories from 3 countries\n")).toBe(true);
    for (const section of previewDigest.sections) {
      expect(text).toContain(`${section.flag} ${section.name}`.toUpperCase());
      for (const story of section.stories) {
        expect(text).toContain(story.title);
        expect(text).toContain(story.url);
        for (const take of story.alternatives) expect(text).toContain(take.url);
      }
    }
    expect(text).toContain("Translated from Japanese");
    expect(text).toContain("Manage your subscription: http://localhost:8787/manage/EXAMPLE-TOKEN");
    expect(text).toContain("Unsubscribe: http://localhost:8787/unsubscribe/EXAMPLE-TOKEN");
    expect(text).toContain("View in browser: http://localhost:8787/view/EXAMPLE-TOKEN");
    expect(text.trimEnd().endsWith("World Digest, 1 Example Street, Springfield, USA")).toBe(true);
    expect(text).not.toMatch(/<[a-z]/i);
  });
});
