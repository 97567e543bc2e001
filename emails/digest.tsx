/** @jsxImportSource react */
// The morning digest: a frame (brand, date, counts, footer) around one section per country.
// Everything it prints arrives final in DigestInput (src/digest/build-digest.ts formats it); the
// template only lays it out. Each personal text is the only child of its element and is printed once,
// so src/digest/render-digest.ts can render this frame once per run with placeholders and fill them in
// per subscriber, byte-identical to a full render. Keep it that way when editing (the test will tell).
import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Heading } from "@react-email/heading";
import { Html } from "@react-email/html";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { CSSProperties } from "react";
import type { DigestInput } from "../src/digest/types";
import { CountrySection } from "./digest-parts";
import { previewDigest } from "./preview-data";
import { colors, fontFamily, styles } from "./theme";

export { digestPreheader, digestSubject, digestText } from "./digest-text";
export { CountrySection, StoryBlock } from "./digest-parts";

/**
 * Head styles for clients that read them (inline styles carry the design everywhere else): brand colour
 * for the take links, which carry no inline colour to save bytes, and dark mode (Apple Mail, Outlook
 * apps; other clients invert on their own). Body's inner cell and the section rules have inline colours,
 * hence the !important overrides.
 */
export const DIGEST_CSS =
  ":root{color-scheme:light dark;supported-color-schemes:light dark}" +
  ".wd-card .m a{color:#0f5c8c}" +
  "@media (prefers-color-scheme:dark){" +
  ".wd-bg,body,.wd-bg>table>tbody>tr>td{background-color:#16181b!important}" +
  ".wd-card{background-color:#212429!important;border-color:#3a3e45!important}" +
  ".wd-card h1,.wd-card p,.wd-card b{color:#e9e7e2!important}" +
  ".wd-card h2{border-color:#3a3e45!important}" +
  ".wd-bg .m,.wd-bg .m b,.wd-foot p{color:#aab0ba!important}" +
  ".wd-bg a,.wd-card .m a{color:#86c3ee!important}" +
  "}";

const hidden: CSSProperties = { display: "none", overflow: "hidden", lineHeight: "1px", opacity: 0, maxHeight: 0, maxWidth: 0 };
/** Keeps the start of the body out of the inbox preview line after the preheader (fixed, not per length). */
const PREHEADER_PAD = "\u034f\u00a0".repeat(60);

const s = {
  date: { fontSize: "13px", color: colors.muted, margin: "0 0 4px" } satisfies CSSProperties,
  h1: { ...styles.h1, margin: "0 0 4px" } satisfies CSSProperties,
  greeting: { ...styles.p, margin: "8px 0 4px" } satisfies CSSProperties,
  footer: { maxWidth: "600px", width: "100%", margin: "0 auto", padding: "16px 32px" } satisfies CSSProperties,
  footerText: { fontSize: "12px", lineHeight: "1.55", color: colors.muted, margin: "0 0 8px" } satisfies CSSProperties,
};

export function DigestEmail(props: DigestInput) {
  const { links } = props;
  return (
    <Html lang="en">
      <Head>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{props.subject}</title>
        <style>{DIGEST_CSS}</style>
      </Head>
      <Body style={{ ...styles.body, fontFamily }} className="wd-bg">
        <div style={hidden}>{props.preheader}</div>
        <div style={hidden}>{PREHEADER_PAD}</div>
        <Container style={styles.container} className="wd-card">
          <Section style={styles.inner}>
            <Text style={styles.brand}>🌍 World Digest</Text>
            <Text className="m" style={s.date}>{props.dateLabel}</Text>
            {props.greeting ? <Text style={s.greeting}>{props.greeting}</Text> : null}
            <Heading as="h1" style={s.h1}>{props.countsLine}</Heading>
            {props.sections.map((section) => (
              <CountrySection key={section.country} section={section} />
            ))}
          </Section>
        </Container>
        <Container style={s.footer} className="wd-foot">
          <Text style={s.footerText}>{props.whyYouGetThis}</Text>
          <Text style={s.footerText}>
            <Link href={links.manage} style={styles.link}>Manage</Link>
            {" · "}
            <Link href={links.unsubscribe} style={styles.link}>Unsubscribe</Link>
            {" · "}
            <Link href={links.viewInBrowser} style={styles.link}>View in browser</Link>
          </Text>
          <Text style={s.footerText}>{props.postalAddress}</Text>
        </Container>
      </Body>
    </Html>
  );
}

DigestEmail.PreviewProps = previewDigest satisfies DigestInput;

export default DigestEmail;
