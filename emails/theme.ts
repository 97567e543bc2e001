// Shared email styles: inline objects only (no Tailwind: slow to render, heavy on Workers).
// Colors chosen to read on light backgrounds and under mail clients' dark-mode inversion.
import type { CSSProperties } from "react";

export const colors = {
  bg: "#f4f3ef",
  card: "#ffffff",
  ink: "#1c1f24",
  muted: "#5b6270",
  line: "#e3e1da",
  accent: "#0f5c8c",
};

export const fontFamily = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const styles = {
  body: { backgroundColor: colors.bg, margin: 0, padding: "24px 0", fontFamily, color: colors.ink } satisfies CSSProperties,
  container: { maxWidth: "600px", width: "100%", margin: "0 auto", backgroundColor: colors.card, borderRadius: "12px", border: `1px solid ${colors.line}` } satisfies CSSProperties,
  inner: { padding: "28px 32px" } satisfies CSSProperties,
  brand: { fontSize: "15px", fontWeight: 700, letterSpacing: "-0.01em", margin: "0 0 20px", color: colors.ink } satisfies CSSProperties,
  h1: { fontSize: "22px", lineHeight: "1.3", margin: "0 0 12px", color: colors.ink } satisfies CSSProperties,
  p: { fontSize: "15px", lineHeight: "1.6", margin: "0 0 14px", color: colors.ink } satisfies CSSProperties,
  muted: { fontSize: "13px", lineHeight: "1.55", margin: "0 0 10px", color: colors.muted } satisfies CSSProperties,
  button: { backgroundColor: colors.accent, color: "#ffffff", borderRadius: "8px", padding: "12px 20px", fontWeight: 600, fontSize: "15px", textDecoration: "none", display: "inline-block" } satisfies CSSProperties,
  link: { color: colors.accent } satisfies CSSProperties,
  hr: { borderColor: colors.line, margin: "24px 0" } satisfies CSSProperties,
};
