/** @jsxImportSource react */
// The repeating parts of the digest: a country section and a story block. Plain elements with short
// inline styles: a 50-story digest with 5 alternative takes each must stay under Gmail's 102 KB clip.
//
// Rules that make the cached assembly in src/digest/render-digest.ts byte-identical to a full render:
// - every variable text is the only child of its element (React then emits no <!-- --> separators
//   that would depend on the value), and
// - no component reads the values except to print them; conditionals on content (translated,
//   alternatives, link) live in these parts, which are rendered whole and cached by content.
import type { CSSProperties } from "react";
import type { DigestSection, DigestStory, DigestTake } from "../src/digest/types";
import { colors } from "./theme";

// Sections set the muted small type; the elements inside only add what differs (fewer bytes per story).
export const digestStyles = {
  section: { margin: "28px 0 0", fontSize: "13px", lineHeight: "1.45", color: colors.muted } satisfies CSSProperties,
  sectionTitle: { fontSize: "13px", letterSpacing: "0.06em", textTransform: "uppercase", margin: "0 0 12px", paddingBottom: "6px", borderBottom: `1px solid ${colors.line}` } satisfies CSSProperties,
  story: { margin: "0 0 22px" } satisfies CSSProperties,
  title: { fontSize: "17px", fontWeight: 700, color: colors.accent, textDecoration: "none" } satisfies CSSProperties,
  titleText: { fontSize: "17px", fontWeight: 700, lineHeight: "1.35", margin: 0, color: colors.ink } satisfies CSSProperties,
  meta: { margin: "4px 0 0" } satisfies CSSProperties,
  summary: { margin: "6px 0 0", fontSize: "15px", lineHeight: "1.5", color: colors.ink } satisfies CSSProperties,
  note: { margin: "6px 0 0" } satisfies CSSProperties,
  link: { color: colors.accent } satisfies CSSProperties,
};

/** "Le Monde · 🇫🇷 France · Translated from French" */
export function storyMeta(story: Pick<DigestStory, "outlet" | "countryFlag" | "countryName" | "translatedFrom">): string {
  const parts = [story.outlet, `${story.countryFlag} ${story.countryName}`];
  if (story.translatedFrom) parts.push(story.translatedFrom);
  return parts.join(" · ");
}

/** "🇫🇷 France · Le Monde: " before the linked title; "🇫🇷 France · " before the linked outlet when the title is left out. */
export function takeLabel(take: DigestTake): string {
  return take.title ? `${take.countryFlag} ${take.countryName} · ${take.outlet}: ` : `${take.countryFlag} ${take.countryName} · `;
}

// Take links keep the client's link colour: 20 bytes of style × 250 links is 5 KB of a 102 KB budget.
function Take({ take }: { take: DigestTake }) {
  const text = take.title || take.outlet;
  return (
    <>
      <br />
      {takeLabel(take)}
      {take.url ? <a href={take.url}>{text}</a> : <i>{text}</i>}
    </>
  );
}

export function StoryBlock({ story }: { story: DigestStory }) {
  const s = digestStyles;
  return (
    <div style={s.story}>
      {story.url ? (
        <a href={story.url} style={s.title}>{story.title}</a>
      ) : (
        <p style={s.titleText}>{story.title}</p>
      )}
      <p className="m" style={s.meta}>{storyMeta(story)}</p>
      {story.summary ? <p style={s.summary}>{story.summary}</p> : null}
      {story.whyOverlooked ? (
        <p className="m" style={s.note}>
          <b>Why it’s overlooked: </b>
          {story.whyOverlooked}
        </p>
      ) : null}
      {story.alternatives.length > 0 ? (
        <p className="m" style={s.note}>
          <b>Alternative takes:</b>
          {story.alternatives.map((take) => (
            <Take key={take.id} take={take} />
          ))}
        </p>
      ) : null}
    </div>
  );
}

export function sectionHeading(section: Pick<DigestSection, "flag" | "name">): string {
  return `${section.flag} ${section.name}`;
}

export function CountrySection({ section }: { section: DigestSection }) {
  return (
    <div style={digestStyles.section}>
      <h2 className="m" style={digestStyles.sectionTitle}>{sectionHeading(section)}</h2>
      {section.stories.map((story) => (
        <StoryBlock key={story.id} story={story} />
      ))}
    </div>
  );
}
