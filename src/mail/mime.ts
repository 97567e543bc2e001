// A minimal RFC 5322 / MIME writer and reader for the local outbox: multipart/alternative with a plain
// text and an HTML part (UTF-8, base64), every header the provider would send. Pure.
import type { OutgoingEmail } from "./mailer";

export interface MimeMeta {
  messageId: string;
  date: Date;
  boundary: string;
}

/** Header values never carry line breaks (header injection) and are trimmed to a sane length. */
function clean(value: string): string {
  return value.replace(/[\r\n\u0000]+/g, " ").trim().slice(0, 2000);
}

/** RFC 2047 for non-ASCII header text (Subject, display names). */
export function encodeHeaderWord(value: string): string {
  const v = clean(value);
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  // Encode in chunks so each encoded word stays short; never split a code point.
  const words: string[] = [];
  let chunk = "";
  for (const ch of v) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join("\r\n ");
}

function decodeHeaderWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64: string) => Buffer.from(b64, "base64").toString("utf8"));
}

/** "Name <addr>" with the name encoded when needed. */
function encodeAddress(value: string): string {
  const v = clean(value);
  const m = /^(.*)<([^<>]+)>$/.exec(v);
  if (!m || !m[1]!.trim()) return v;
  const name = m[1]!.trim().replace(/^"|"$/g, "");
  return `${/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, "")}"` : encodeHeaderWord(name)} <${m[2]!.trim()}>`;
}

function base64Lines(text: string): string {
  return (Buffer.from(text, "utf8").toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

export function formatEml(email: OutgoingEmail, meta: MimeMeta): string {
  const headers: Array<[string, string]> = [
    ["From", encodeAddress(email.from)],
    ["To", encodeAddress(email.to)],
    ["Subject", encodeHeaderWord(email.subject)],
    ["Date", meta.date.toUTCString().replace("GMT", "+0000")],
    ["Message-ID", `<${clean(meta.messageId)}>`],
  ];
  if (email.replyTo) headers.push(["Reply-To", encodeAddress(email.replyTo)]);
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    if (/^[A-Za-z0-9-]+$/.test(name)) headers.push([name, clean(value)]);
  }
  headers.push(["MIME-Version", "1.0"], ["Content-Type", `multipart/alternative; boundary="${meta.boundary}"`]);
  const part = (type: string, body: string) =>
    [`--${meta.boundary}`, `Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: base64", "", base64Lines(body)].join("\r\n");
  return [
    ...headers.map(([n, v]) => `${n}: ${v}`),
    "",
    part("text/plain", email.text),
    part("text/html", email.html),
    `--${meta.boundary}--`,
    "",
  ].join("\r\n");
}

export interface ParsedEml {
  /** Header names as written; values unfolded and decoded. */
  headers: Record<string, string>;
  text: string;
  html: string;
}

function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const unfolded = block.replace(/\r?\n[ \t]+/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    headers[line.slice(0, i).trim()] = decodeHeaderWords(line.slice(i + 1).trim());
  }
  return headers;
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Reads what formatEml wrote (and tolerates a plain single-part message). Never throws. */
export function parseEml(source: string): ParsedEml {
  const split = source.search(/\r?\n\r?\n/);
  const head = split < 0 ? source : source.slice(0, split);
  const body = split < 0 ? "" : source.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers = parseHeaderBlock(head);
  const type = headerOf(headers, "Content-Type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  let text = "";
  let html = "";
  const decode = (partHeaders: Record<string, string>, content: string) =>
    /base64/i.test(headerOf(partHeaders, "Content-Transfer-Encoding") ?? "")
      ? Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8")
      : content;
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith("--")) break;
      const at = chunk.search(/\r?\n\r?\n/);
      if (at < 0) continue;
      const partHeaders = parseHeaderBlock(chunk.slice(0, at).replace(/^\r?\n/, ""));
      const content = decode(partHeaders, chunk.slice(at).replace(/^\r?\n\r?\n/, "").replace(/\r?\n$/, ""));
      const partType = headerOf(partHeaders, "Content-Type") ?? "";
      if (/text\/html/i.test(partType)) html = content;
      else if (/text\/plain/i.test(partType)) text = content;
    }
  } else if (/text\/html/i.test(type)) html = decode(headers, body);
  else text = decode(headers, body);
  return { headers, text, html };
}

export { headerOf };
