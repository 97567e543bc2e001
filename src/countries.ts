// The countries World Digest covers: ISO 3166-1 alpha-2 code, English name, region, flag.
// Used by the forms, by validation and by the digest. The US is not here: it is the reference, not a source.

export const regions = ["Europe", "Asia", "Middle East", "Africa", "Americas", "Oceania"] as const;
export type Region = (typeof regions)[number];

export interface Country {
  code: string;
  name: string;
  region: Region;
  flag: string;
}

const list: Array<[code: string, name: string, region: Region]> = [
  ["GB", "United Kingdom", "Europe"], ["IE", "Ireland", "Europe"], ["FR", "France", "Europe"],
  ["DE", "Germany", "Europe"], ["ES", "Spain", "Europe"], ["PT", "Portugal", "Europe"],
  ["IT", "Italy", "Europe"], ["NL", "Netherlands", "Europe"], ["PL", "Poland", "Europe"],
  ["SK", "Slovakia", "Europe"], ["CZ", "Czechia", "Europe"], ["HU", "Hungary", "Europe"],
  ["RO", "Romania", "Europe"], ["GR", "Greece", "Europe"], ["SE", "Sweden", "Europe"],
  ["NO", "Norway", "Europe"], ["FI", "Finland", "Europe"], ["UA", "Ukraine", "Europe"],
  ["RU", "Russia", "Europe"], ["RS", "Serbia", "Europe"],
  ["JP", "Japan", "Asia"], ["KR", "South Korea", "Asia"], ["CN", "China", "Asia"],
  ["TW", "Taiwan", "Asia"], ["HK", "Hong Kong", "Asia"], ["IN", "India", "Asia"],
  ["PK", "Pakistan", "Asia"], ["BD", "Bangladesh", "Asia"], ["ID", "Indonesia", "Asia"],
  ["PH", "Philippines", "Asia"], ["VN", "Vietnam", "Asia"], ["TH", "Thailand", "Asia"],
  ["MY", "Malaysia", "Asia"], ["SG", "Singapore", "Asia"], ["NP", "Nepal", "Asia"],
  ["TR", "Türkiye", "Middle East"], ["IL", "Israel", "Middle East"], ["IR", "Iran", "Middle East"],
  ["SA", "Saudi Arabia", "Middle East"], ["AE", "United Arab Emirates", "Middle East"],
  ["QA", "Qatar", "Middle East"], ["EG", "Egypt", "Middle East"],
  ["NG", "Nigeria", "Africa"], ["KE", "Kenya", "Africa"], ["ZA", "South Africa", "Africa"],
  ["GH", "Ghana", "Africa"], ["ET", "Ethiopia", "Africa"], ["MA", "Morocco", "Africa"],
  ["BR", "Brazil", "Americas"], ["MX", "Mexico", "Americas"], ["AR", "Argentina", "Americas"],
  ["CO", "Colombia", "Americas"], ["CL", "Chile", "Americas"], ["CA", "Canada", "Americas"],
  ["AU", "Australia", "Oceania"], ["NZ", "New Zealand", "Oceania"],
];

/** Regional-indicator emoji for an ISO code ("JP" → 🇯🇵). */
export function flagOf(code: string): string {
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

export const countries: readonly Country[] = list.map(([code, name, region]) => ({ code, name, region, flag: flagOf(code) }));

const byCode = new Map(countries.map((c) => [c.code, c]));

export function isCountryCode(code: string): boolean {
  return byCode.has(code);
}

export function countryByCode(code: string): Country | undefined {
  return byCode.get(code);
}

export function countryName(code: string): string {
  return byCode.get(code)?.name ?? code;
}

/** Countries grouped by region, in region order, names sorted. */
export function countriesByRegion(): Array<{ region: Region; countries: Country[] }> {
  return regions.map((region) => ({
    region,
    countries: countries.filter((c) => c.region === region).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}
