// The digest's subject, preheader and plain-text part. Plain text is written, not derived from the HTML:
// it reads better, and it is built from the same parts the cached renderer reuses (a story's text, a
// section heading, the frame), so the assembled text equals `digestText()` by construction.
import type { DigestInput, DigestSection, DigestStory } from "../src/digest/types";
import { sectionHeading, storyMeta, takeLabel } from "./digest-parts";

/** "and"-joined list: "Japan, Brazil and Slovakia". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** "7 overlooked stories from Japan, Brazil and Slovakia"; beyond three countries, "… and 4 more countries". */
export function digestSubject(storyCount: number, countryNames: readonly string[]): string {
  const what = storyCount === 1 ? "1 overlooked story" : `${storyCount} overlooked stories`;
  if (countryNames.length === 0) return what;
  const shown = countryNames.length > 3 ? [...countryNames.slice(0, 3), `${countryNames.length - 3} more ${countryNames.length - 3 === 1 ? "country" : "countries"}`] : countryNames;
  return `${what} from ${joinNames(shown)}`;
}

/** The inbox preview line: the first stories' titles, about 140 characters. */
export function digestPreheader(sections: readonly DigestSection[]): string {
  const titles = sections.flatMap((s) => s.stories.slice(0, 1).map((st) => `${s.name}: ${st.title}`));
  let out = "";
  for (const t of titles) {
    const next = out ? `${out} · ${t}` : t;
    if (next.length > 140) return out || `${t.slice(0, 139).trimEnd()}…`;
    out = next;
  }
  return out;
}

export function storyText(story: DigestStory): string {
  const lines = [story.title, storyMeta(story)];
  if (story.url) lines.push(story.url);
  if (story.summary) lines.push("", story.summary);
  if (story.whyOverlooked) lines.push("", `Why it’s overlooked: ${story.whyOverlooked}`);
  if (story.alternatives.length > 0) {
    lines.push("", "Alternative takes:");
    for (const take of story.alternatives) {
      lines.push(`  - ${takeLabel(take)}${take.title || take.outlet}`);
      if (take.url) lines.push(`    ${take.url}`);
    }
  }
  return `${lines.join("\n")}\n\n`;
}

export function sectionHeadingText(section: Pick<DigestSection, "flag" | "name">): string {
  const heading = sectionHeading(section);
  return `${heading.toUpperCase()}\n${"=".repeat(24)}\n\n`;
}

export function digestTextHead(input: DigestInput): string {
  const lines = ["World Digest", input.dateLabel, ""];
  if (input.greeting) lines.push(input.greeting, "");
  lines.push(input.countsLine, "", "");
  return lines.join("\n");
}

export function digestTextFoot(input: DigestInput): string {
  return [
    "--",
    input.whyYouGetThis,
    "",
    `Manage your subscription: ${input.links.manage}`,
    `Unsubscribe: ${input.links.unsubscribe}`,
    `View in browser: ${input.links.viewInBrowser}`,
    "",
    input.postalAddress,
    "",
  ].join("\n");
}

/** The whole plain-text part. */
export function digestText(input: DigestInput): string {
  let out = digestTextHead(input);
  for (const section of input.sections) {
    out += sectionHeadingText(section);
    for (const story of section.stories) out += storyText(story);
  }
  return out + digestTextFoot(input);
}
