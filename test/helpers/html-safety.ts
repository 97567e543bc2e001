// Finds what could execute in an HTML page or email: script elements, event-handler attributes, links and
// form targets with a scheme other than http(s)/mailto, and elements that only appear when markup from input
// got through (iframe, svg, base, meta refresh...). A deliberately small tokenizer: escaped input never
// forms a tag or an attribute, so anything it reports is markup the templates did not write.

export interface HtmlSafetyOptions {
  /** `src` values of the scripts the page itself loads (e.g. "/assets/app.js"). */
  allowScriptSrc?: string[];
  /** Elements this page legitimately has that are otherwise reported (e.g. "iframe" in the outbox viewer). */
  allowTags?: string[];
}

const TAG = /<\/?([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "srcset", "ping", "cite"]);
const SUSPICIOUS_TAGS = new Set(["script", "iframe", "frame", "object", "embed", "base", "svg", "math", "img", "video", "audio", "applet", "marquee", "frameset", "portal"]);

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n", sol: "/" };

/** Decodes character references the way a browser does inside an attribute value (enough for scheme checks). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "\uFFFD";
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

/** The scheme a browser would see for a URL attribute value, lower-cased ("" for relative URLs). */
export function urlScheme(value: string): string {
  const cleaned = decodeEntities(value).replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
  return m ? m[1]!.toLowerCase() : "";
}

export function unsafeHtmlFindings(html: string, options: HtmlSafetyOptions = {}): string[] {
  const findings: string[] = [];
  const allowTags = new Set((options.allowTags ?? []).map((t) => t.toLowerCase()));
  const allowSrc = new Set(options.allowScriptSrc ?? []);
  let titles = 0;
  for (const m of html.matchAll(TAG)) {
    const whole = m[0];
    if (whole.startsWith("</")) continue;
    const name = m[1]!.toLowerCase();
    const attrs = new Map<string, string>();
    for (const a of (m[2] ?? "").matchAll(ATTR)) attrs.set(a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? "");
    if (name === "title") titles++;
    if (name === "script") {
      if (!allowSrc.has(attrs.get("src") ?? "\u0000")) findings.push(`script element: ${whole.slice(0, 120)}`);
    } else if (SUSPICIOUS_TAGS.has(name) && !allowTags.has(name)) {
      findings.push(`<${name}> element: ${whole.slice(0, 120)}`);
    }
    if (name === "meta" && attrs.has("http-equiv") && /refresh/i.test(attrs.get("http-equiv")!)) findings.push(`meta refresh: ${whole.slice(0, 120)}`);
    for (const [attr, value] of attrs) {
      if (/^on/i.test(attr)) findings.push(`event handler ${attr}: ${whole.slice(0, 120)}`);
      if (URL_ATTRS.has(attr)) {
        const scheme = urlScheme(value);
        if (scheme && scheme !== "http" && scheme !== "https" && scheme !== "mailto") findings.push(`${attr} with ${scheme}: ${whole.slice(0, 120)}`);
      }
      if (attr === "style" && /javascript:|expression\s*\(|url\s*\(\s*['"]?\s*(?!https?:|data:image\/)[a-z]+:/i.test(decodeEntities(value))) {
        findings.push(`style that runs code: ${whole.slice(0, 120)}`);
      }
    }
  }
  if (titles > 1) findings.push(`${titles} <title> elements (a </title> breakout?)`);
  return findings;
}

/** Every http(s) link (href) of an HTML document, entity-decoded. */
export function linksIn(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) out.push(decodeEntities(m[1] ?? m[2] ?? ""));
  return out;
}
