// Sample digests: the React Email preview (PreviewProps) and the tests use the same data.
// Deterministic (no clock, no randomness), so tests and previews are reproducible.
import { buildDigest, type BuildDigestInput } from "../src/digest/build-digest";
import { countries } from "../src/countries";
import type { CandidateArticle, DigestInput, SelectedStory } from "../src/digest/types";

const day = new Date("2026-05-11T05:00:00Z");

let articleSeq = 1000;
function art(country: string, outlet: string, language: string, title: string, extra: Partial<CandidateArticle> = {}): CandidateArticle {
  const id = articleSeq++;
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60);
  return {
    id,
    title,
    summary: "",
    url: `https://${outlet.toLowerCase().replace(/[^a-z0-9]+/g, "")}.example/${slug}-${id}`,
    outlet,
    country,
    language,
    translated: language !== "en",
    originalTitle: title,
    publishedAt: day,
    ...extra,
  };
}

function selected(id: number, country: string, lead: CandidateArticle, reason: string, alternatives: CandidateArticle[] = []): SelectedStory {
  const outlets = new Set([lead, ...alternatives].map((a) => a.outlet)).size;
  const countryCount = new Set([lead, ...alternatives].map((a) => a.country)).size;
  return { id, title: lead.title, overlookedScore: 1, overlookedReason: reason, outletCount: outlets, countryCount, country, lead, alternatives, rank: 1 };
}

/** Ana's Monday: Japan, Brazil, Slovakia; translated and English, with and without alternative takes. */
export function sampleStories(): SelectedStory[] {
  return [
    selected(1, "JP", art("JP", "Asahi Shimbun", "ja", "Rural towns in Shimane turn empty schools into night nurseries for shift workers", {
      summary: "Three towns reopened closed primary schools as overnight childcare for nurses and factory workers. The prefecture wants to copy the model in twelve more municipalities by next spring.",
      originalTitle: "島根の町、廃校を夜間保育所に",
    }), "Covered by 3 outlets in 2 countries; none of the 6 US outlets we track.", [
      art("KR", "Hankyoreh", "ko", "Japan's night nurseries: a lesson for Korea's shrinking provinces?"),
      art("JP", "The Japan Times", "en", "Shimane's overnight childcare experiment draws national interest"),
    ]),
    selected(2, "BR", art("BR", "Folha de S.Paulo", "pt", "Amazon river ferries get solar roofs as diesel prices double", {
      summary: "A cooperative in Pará fitted 40 passenger boats with solar panels, halving fuel costs on routes where the boat is the only way to reach hospitals and schools.",
    }), "Covered by 4 outlets in 3 countries; none of the 6 US outlets we track.", [
      art("PT", "Público", "pt", "Barcos solares na Amazónia: a cooperativa que cortou o gasóleo para metade", { translated: false }),
      art("CO", "El Tiempo", "es", "Colombian river towns look at Brazil's solar ferries"),
      art("BR", "O Globo", "pt", "Solar boats reach the lower Amazon"),
    ]),
    selected(3, "BR", art("BR", "Agência Brasil", "pt", "Recife opens Latin America's largest public library of sign-language books", {
      summary: "The collection holds 12,000 titles in Libras video format, recorded by deaf translators over six years.",
    }), "Covered by 1 outlet; none of the 6 US outlets we track."),
    selected(4, "SK", art("SK", "SME", "sk", "Slovak villages vote to share one mayor to keep their schools open", {
      summary: "Five villages in eastern Slovakia merged their administrations without merging the villages, freeing money for teachers. Other regions are watching the experiment.",
    }), "Covered by 2 outlets in 2 countries; none of the 6 US outlets we track.", [
      art("CZ", "Deník N", "cs", "Slovak villages share a mayor; Czech towns ask whether they could too"),
    ]),
    selected(5, "JP", art("JP", "The Japan Times", "en", "Kyoto caps tour buses in residential lanes after a two-year trial", {
      summary: "The city will limit large buses to main roads from July, after a trial cut congestion complaints by two thirds.",
    }), "Covered by 2 outlets in 1 country; none of the 6 US outlets we track.", [
      art("JP", "NHK World", "en", "Kyoto to restrict tour buses in narrow streets"),
    ]),
  ];
}

export const previewBuildInput: BuildDigestInput = {
  stories: sampleStories(),
  subscriber: { countries: ["JP", "BR", "SK"], timeZone: "America/Chicago", deliveryTime: "07:00", frequency: "weekdays", weeklyDay: null },
  edition: "2026-05-11",
  links: {
    manage: "http://localhost:8787/manage/EXAMPLE-TOKEN",
    unsubscribe: "http://localhost:8787/unsubscribe/EXAMPLE-TOKEN",
    viewInBrowser: "http://localhost:8787/view/EXAMPLE-TOKEN",
  },
  postalAddress: "World Digest, 1 Example Street, Springfield, USA",
  greeting: "Good morning.",
};

export const previewDigest: DigestInput = buildDigest(previewBuildInput);

// ---- Test data --------------------------------------------------------------------------------------

/** Deterministic filler text of a given length, with some non-ASCII. */
export function filler(length: number, seed: number): string {
  const words = ["municipal", "río", "Zürich", "coalition", "élection", "harbour", "ministry", "reform", "Łódź", "budget", "水道", "São", "council", "drought"];
  let out = "";
  let i = seed;
  while (out.length < length) out += (out ? " " : "") + words[i++ % words.length];
  return out.slice(0, length);
}

/**
 * The largest digest the configuration allows: 50 stories across 30 countries, every text longer than
 * its cap, 5 alternative takes each, links of `urlLength` characters.
 */
export function largestBuildInput(urlLength = 120): BuildDigestInput {
  const codes = countries.slice(0, 30).map((c) => c.code);
  const url = (n: number) => {
    const base = `https://www.outlet-${n}.example/news/2026/05/11/`;
    return base + "a".repeat(Math.max(0, urlLength - base.length - 8)) + `-${String(n).padStart(7, "0")}`;
  };
  const stories: SelectedStory[] = [];
  for (let i = 0; i < 50; i++) {
    const country = codes[i % codes.length]!;
    const lead = art(country, filler(80, i), "ja", filler(400, i + 1), { summary: filler(800, i + 2), url: url(i * 10) });
    const alternatives = [1, 2, 3, 4, 5].map((k) =>
      art(codes[(i + k) % codes.length]!, filler(80, i + k), "de", filler(300, i + k + 3), { url: url(i * 10 + k) }),
    );
    stories.push(selected(100 + i, country, lead, filler(400, i + 4), alternatives));
  }
  return {
    ...previewBuildInput,
    stories,
    subscriber: { ...previewBuildInput.subscriber, countries: codes },
    greeting: filler(300, 9),
    postalAddress: filler(400, 5),
  };
}

/** Text written to break things: markup, quotes, entities, bidi overrides, a lone surrogate, emoji. */
export const hostileText = {
  title: `<script>alert("x")</script> & "quotes" 'single' </a><a href="javascript:alert(1)">`,
  summary: `Tom & Jerry &amp; &lt;b&gt; <!-- comment --> ]]> \u202eevil\u202c \ud800 half, 🇯🇵🙂 ok, tab\tnew\nline`,
  reason: `{{manage}} $& $1 \${x} %s <%= x %> nonce-placeholder`,
  outlet: `O'Reilly & Sons <Ltd>`,
  url: `javascript:alert(document.cookie)`,
};
