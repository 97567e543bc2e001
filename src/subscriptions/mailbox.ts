// One inbox, one spelling. An address reaches the same mailbox whatever the case, the Unicode
// normalisation form of its local part (é as one code point or as e + U+0301), and whether its domain is
// written in Unicode or in its punycode (IDNA) form; and "name+tag@" is delivered to "name@" by most
// providers. Pure: used by validation (the stored form) and by the per-mailbox mail cap.

/** Valid LDH labels, the last one a real top-level domain (letters, or an IDNA "xn--" label). */
const ASCII_DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** Characters a URL parser treats as structure: a domain containing them is no domain. */
const URL_SYNTAX = /[/?#%\\@:[\]\s]/;

/**
 * The one form an address is stored and compared in: trimmed, lower case, local part in NFC, domain in
 * its ASCII (IDNA, UTS #46) form — which is also the form every mail system can deliver to. Null when
 * the domain is not a domain name. Idempotent: canonicalEmail(canonicalEmail(x)) === canonicalEmail(x).
 */
export function canonicalEmail(raw: string): string | null {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return null;
  const local = trimmed.slice(0, at).normalize("NFC").toLowerCase().normalize("NFC");
  const domain = asciiDomain(trimmed.slice(at + 1));
  return domain ? `${local}@${domain}` : null;
}

/** "münchen.de", "mu\u0308nchen.de", "MÜNCHEN.DE" → "xn--mnchen-3ya.de"; null when not a domain name. */
function asciiDomain(domain: string): string | null {
  if (URL_SYNTAX.test(domain)) return null;
  let host: string;
  try {
    // WHATWG URL host parsing is UTS #46 (mapping, NFC, punycode) on Node and on Workers alike.
    host = new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
  return host.length <= 253 && ASCII_DOMAIN.test(host) ? host : null;
}

/**
 * The mailbox an address delivers to, for counting mail per inbox: the canonical address with the
 * sub-address tag ("+news") set aside. Only for counting — the address is stored and mailed as given.
 */
export function mailboxKey(canonical: string): string {
  const at = canonical.lastIndexOf("@");
  const local = canonical.slice(0, at);
  const plus = local.indexOf("+");
  return `${plus > 0 ? local.slice(0, plus) : local}${canonical.slice(at)}`;
}

/** "ana@example.com" → "a•••@example.com": enough to recognise one's own address, not to learn someone's. */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const first = [...email.slice(0, at)][0] ?? "";
  return `${first}•••${email.slice(at)}`;
}
