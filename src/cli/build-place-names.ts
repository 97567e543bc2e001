// `npx tsx src/cli/build-place-names.ts`: writes src/stories/place-names-data.ts, the table story grouping
// uses to tell which countries a text names. Made once from the `world-countries` package (a dev
// dependency: Natural Earth / mledoze data — English names, official names, Latin-script alternative
// spellings, capitals of sovereign states, English demonyms) plus the English short forms and plurals
// news writing uses that the package lacks, and the US states (a US state named in a text places it in
// the US). Run again after upgrading world-countries; the output is committed.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { foldPlaceName } from "../stories/place-names";

interface WorldCountry {
  cca2: string;
  independent: boolean | null;
  name: { common: string; official: string };
  altSpellings: string[];
  capital?: string[];
  demonyms?: { eng?: { m: string; f: string } };
}

const require = createRequire(import.meta.url);
const countries = JSON.parse(readFileSync(require.resolve("world-countries/countries.json"), "utf8")) as WorldCountry[];

/** Short forms and plurals of English news writing that the package does not have. */
const EXTRA: Record<string, string[]> = {
  TR: ["Turkey", "Turks"],
  KR: ["Korea"],
  PG: ["Papua"],
  GB: ["Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Briton", "Britons", "English", "Scottish", "Welsh"],
  US: ["America", "U.S.", "U.S.A.", "Americans"],
  ES: ["Spaniard", "Spaniards"],
  PH: ["Filipinos", "Filipinas"],
  NZ: ["New Zealanders"],
  CZ: ["Czech Republic", "Czechs"],
  UA: ["Kyiv", "Kiev"],
  AE: ["Emirati", "Emiratis", "Emirates"],
  DK: ["Danes"],
  SE: ["Swedes"],
  FI: ["Finns"],
  PL: ["Poles"],
  NL: ["Dutch", "Holland"],
  CH: ["Swiss"],
  IL: ["Israelis"],
  SA: ["Saudis", "Saudi"],
  MM: ["Burma"],
  CI: ["Ivory Coast", "Ivorians"],
  CD: ["Democratic Republic of the Congo", "Congo-Kinshasa"],
  CG: ["Congo-Brazzaville"],
  LA: ["Lao", "Laotians"],
  KG: ["Kyrgyz"],
  TJ: ["Tajik", "Tajiks"],
  UZ: ["Uzbek", "Uzbeks"],
  KZ: ["Kazakh", "Kazakhs"],
  TM: ["Turkmen"],
  AZ: ["Azeri", "Azeris"],
  BA: ["Bosnia", "Bosnian", "Bosnians", "Herzegovina"],
  MK: ["Macedonia", "Macedonian", "Macedonians"],
  VA: ["Holy See"],
  PS: ["Gaza", "West Bank"],
  CV: ["Cabo Verde"],
  SZ: ["Swaziland"],
  TL: ["East Timor", "Timorese"],
  VN: ["Vietnamese"],
  GE: ["Georgians"],
};
/** Upper-case abbreviations, matched only when written in capitals. */
const ABBREVIATIONS: Record<string, string> = { UK: "GB", US: "US", USA: "US", UAE: "AE", DRC: "CD", PNG: "PG", KSA: "SA", ROK: "KR", DPRK: "KP", PRC: "CN" };
/** Capitals that are also common place names elsewhere (Victoria, Kingston...): not a sign of their country. */
const AMBIGUOUS_CAPITALS = new Set(["Victoria", "Kingston", "Georgetown", "Hamilton", "Saint John's", "Plymouth", "Jamestown", "Washington D.C."]);
const US_STATES = `Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Hawaii Idaho Illinois Indiana
Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada
Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Wisconsin Wyoming`.split(/\s+/);
const US_STATES_2 = ["New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "South Carolina", "South Dakota", "Rhode Island", "West Virginia", "Puerto Rico", "Washington"];

// Phrase → [code, kind, rank]: a phrase named by several countries goes to the sovereign one, then the
// most specific kind (country name over demonym over capital).
const table = new Map<string, { code: string; kind: "country" | "capital" | "state"; rank: number }>();
const add = (phrase: string, code: string, kind: "country" | "capital" | "state", rank: number) => {
  const key = foldPlaceName(phrase);
  if (key.length < 3) return;
  const old = table.get(key);
  if (!old || old.rank < rank) table.set(key, { code, kind, rank });
};
for (const c of countries) {
  const sovereign = c.independent ? 100 : 0;
  add(c.name.common, c.cca2, "country", sovereign + 10);
  add(c.name.official, c.cca2, "country", sovereign + 10);
  for (const alt of c.altSpellings) {
    if (alt.length > 3 && !alt.includes(",") && /^[\p{Script=Latin}\s.'’-]+$/u.test(alt)) add(alt, c.cca2, "country", sovereign + 9);
  }
  if (c.independent) for (const capital of c.capital ?? []) if (!AMBIGUOUS_CAPITALS.has(capital)) add(capital, c.cca2, "capital", sovereign + 8);
  const demonym = c.demonyms?.eng;
  if (demonym) {
    for (const d of new Set([demonym.m, demonym.f])) {
      add(d, c.cca2, "country", sovereign + 7);
      if (!/(s|ese|ish|ch|sh)$/.test(d)) add(`${d}s`, c.cca2, "country", sovereign + 7);
    }
  }
}
for (const [code, names] of Object.entries(EXTRA)) for (const name of names) add(name, code, "country", 150);
for (const state of [...US_STATES, ...US_STATES_2]) add(state, "US", "state", 50);

const entries = [...table].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v.kind === "country" ? v.code : `${v.code}:${v.kind}`)}`);
const out = `// Generated by src/cli/build-place-names.ts from world-countries ${require("world-countries/package.json").version}; do not edit.
// Folded phrase → ISO 3166-1 code ("KE") for a country's names, short forms and demonyms, or "KE:capital" /
// "US:state" for a place that stands for its country.
export const PLACE_NAMES: Readonly<Record<string, string>> = {${entries.join(",")}};
export const PLACE_ABBREVIATIONS: Readonly<Record<string, string>> = ${JSON.stringify(ABBREVIATIONS)};
`;
writeFileSync(fileURLToPath(new URL("../stories/place-names-data.ts", import.meta.url)), out);
console.log(`${table.size} place names written`);
