// Every country and territory of ISO 3166-1 (249 alpha-2 codes): code, English name, region, flag. Used by
// validation (pushed articles, sources, the catalog, preferences), the forms, the map and the digest.
// The US is not among `countries`: it is the reference, never a source — isCountryCode("US") is false,
// countryName("US") still names it.
//
// Which of these a reader is *offered* on the subscribe and manage pages depends on the sources that work
// (src/subscriptions/offered-countries.ts); accepting every code keeps any country's article or outlet
// from being refused the day it first appears.
//
// Names are the short English names a reader knows ("South Korea", "Laos", "DR Congo"), not ISO's
// formal ones ("Korea, Republic of"); test/countries.test.ts checks the codes against the standard.
// Every character is Latin-1 (é, ô, ç, ü, Å), so the pre-rendered forms stay one-byte text.
//
// Regions follow the UN M49 geoscheme, as news desks group it: Western Asia and Egypt are "Middle East";
// Cyprus and the South Caucasus are "Europe" (Council of Europe members, and where a reader looks for
// them); the Caribbean, Central America and Greenland are "Americas"; Antarctica and the far southern
// islands go with the continent nearest to them. Six regions keep the country list and the map's zoom
// buttons short; a region of 50 or so countries is fine because the list shows only those with sources.

export const regions = ["Europe", "Asia", "Middle East", "Africa", "Americas", "Oceania"] as const;
export type Region = (typeof regions)[number];

export interface Country {
  code: string;
  name: string;
  region: Region;
  flag: string;
}

const byRegion: Record<Region, Array<[code: string, name: string]>> = {
  Europe: [
    ["AD", "Andorra"], ["AL", "Albania"], ["AM", "Armenia"], ["AT", "Austria"], ["AX", "Åland Islands"],
    ["AZ", "Azerbaijan"], ["BA", "Bosnia and Herzegovina"], ["BE", "Belgium"], ["BG", "Bulgaria"],
    ["BY", "Belarus"], ["CH", "Switzerland"], ["CY", "Cyprus"], ["CZ", "Czechia"], ["DE", "Germany"],
    ["DK", "Denmark"], ["EE", "Estonia"], ["ES", "Spain"], ["FI", "Finland"], ["FO", "Faroe Islands"],
    ["FR", "France"], ["GB", "United Kingdom"], ["GE", "Georgia"], ["GG", "Guernsey"], ["GI", "Gibraltar"],
    ["GR", "Greece"], ["HR", "Croatia"], ["HU", "Hungary"], ["IE", "Ireland"], ["IM", "Isle of Man"],
    ["IS", "Iceland"], ["IT", "Italy"], ["JE", "Jersey"], ["LI", "Liechtenstein"], ["LT", "Lithuania"],
    ["LU", "Luxembourg"], ["LV", "Latvia"], ["MC", "Monaco"], ["MD", "Moldova"], ["ME", "Montenegro"],
    ["MK", "North Macedonia"], ["MT", "Malta"], ["NL", "Netherlands"], ["NO", "Norway"], ["PL", "Poland"],
    ["PT", "Portugal"], ["RO", "Romania"], ["RS", "Serbia"], ["RU", "Russia"], ["SE", "Sweden"],
    ["SI", "Slovenia"], ["SJ", "Svalbard and Jan Mayen"], ["SK", "Slovakia"], ["SM", "San Marino"],
    ["UA", "Ukraine"], ["VA", "Vatican City"],
  ],
  Asia: [
    ["AF", "Afghanistan"], ["BD", "Bangladesh"], ["BN", "Brunei"], ["BT", "Bhutan"], ["CN", "China"],
    ["HK", "Hong Kong"], ["ID", "Indonesia"], ["IN", "India"], ["IO", "British Indian Ocean Territory"],
    ["JP", "Japan"], ["KG", "Kyrgyzstan"], ["KH", "Cambodia"], ["KP", "North Korea"], ["KR", "South Korea"],
    ["KZ", "Kazakhstan"], ["LA", "Laos"], ["LK", "Sri Lanka"], ["MM", "Myanmar"], ["MN", "Mongolia"],
    ["MO", "Macao"], ["MV", "Maldives"], ["MY", "Malaysia"], ["NP", "Nepal"], ["PH", "Philippines"],
    ["PK", "Pakistan"], ["SG", "Singapore"], ["TH", "Thailand"], ["TJ", "Tajikistan"], ["TL", "Timor-Leste"],
    ["TM", "Turkmenistan"], ["TW", "Taiwan"], ["UZ", "Uzbekistan"], ["VN", "Vietnam"],
  ],
  "Middle East": [
    ["AE", "United Arab Emirates"], ["BH", "Bahrain"], ["EG", "Egypt"], ["IL", "Israel"], ["IQ", "Iraq"],
    ["IR", "Iran"], ["JO", "Jordan"], ["KW", "Kuwait"], ["LB", "Lebanon"], ["OM", "Oman"], ["PS", "Palestine"],
    ["QA", "Qatar"], ["SA", "Saudi Arabia"], ["SY", "Syria"], ["TR", "Türkiye"], ["YE", "Yemen"],
  ],
  Africa: [
    ["AO", "Angola"], ["BF", "Burkina Faso"], ["BI", "Burundi"], ["BJ", "Benin"], ["BV", "Bouvet Island"],
    ["BW", "Botswana"], ["CD", "DR Congo"], ["CF", "Central African Republic"], ["CG", "Republic of the Congo"],
    ["CI", "Côte d'Ivoire"], ["CM", "Cameroon"], ["CV", "Cape Verde"], ["DJ", "Djibouti"], ["DZ", "Algeria"],
    ["EH", "Western Sahara"], ["ER", "Eritrea"], ["ET", "Ethiopia"], ["GA", "Gabon"], ["GH", "Ghana"],
    ["GM", "Gambia"], ["GN", "Guinea"], ["GQ", "Equatorial Guinea"], ["GW", "Guinea-Bissau"], ["KE", "Kenya"],
    ["KM", "Comoros"], ["LR", "Liberia"], ["LS", "Lesotho"], ["LY", "Libya"], ["MA", "Morocco"],
    ["MG", "Madagascar"], ["ML", "Mali"], ["MR", "Mauritania"], ["MU", "Mauritius"], ["MW", "Malawi"],
    ["MZ", "Mozambique"], ["NA", "Namibia"], ["NE", "Niger"], ["NG", "Nigeria"], ["RE", "Réunion"],
    ["RW", "Rwanda"], ["SC", "Seychelles"], ["SD", "Sudan"], ["SH", "Saint Helena"], ["SL", "Sierra Leone"],
    ["SN", "Senegal"], ["SO", "Somalia"], ["SS", "South Sudan"], ["ST", "São Tomé and Príncipe"],
    ["SZ", "Eswatini"], ["TD", "Chad"], ["TF", "French Southern Territories"], ["TG", "Togo"], ["TN", "Tunisia"],
    ["TZ", "Tanzania"], ["UG", "Uganda"], ["YT", "Mayotte"], ["ZA", "South Africa"], ["ZM", "Zambia"],
    ["ZW", "Zimbabwe"],
  ],
  Americas: [
    ["AG", "Antigua and Barbuda"], ["AI", "Anguilla"], ["AR", "Argentina"], ["AW", "Aruba"], ["BB", "Barbados"],
    ["BL", "Saint Barthélemy"], ["BM", "Bermuda"], ["BO", "Bolivia"], ["BQ", "Caribbean Netherlands"],
    ["BR", "Brazil"], ["BS", "Bahamas"], ["BZ", "Belize"], ["CA", "Canada"], ["CL", "Chile"], ["CO", "Colombia"],
    ["CR", "Costa Rica"], ["CU", "Cuba"], ["CW", "Curaçao"], ["DM", "Dominica"], ["DO", "Dominican Republic"],
    ["EC", "Ecuador"], ["FK", "Falkland Islands"], ["GD", "Grenada"], ["GF", "French Guiana"],
    ["GL", "Greenland"], ["GP", "Guadeloupe"], ["GS", "South Georgia and the South Sandwich Islands"],
    ["GT", "Guatemala"], ["GY", "Guyana"], ["HN", "Honduras"], ["HT", "Haiti"], ["JM", "Jamaica"],
    ["KN", "Saint Kitts and Nevis"], ["KY", "Cayman Islands"], ["LC", "Saint Lucia"], ["MF", "Saint Martin"],
    ["MQ", "Martinique"], ["MS", "Montserrat"], ["MX", "Mexico"], ["NI", "Nicaragua"], ["PA", "Panama"],
    ["PE", "Peru"], ["PM", "Saint Pierre and Miquelon"], ["PR", "Puerto Rico"], ["PY", "Paraguay"],
    ["SR", "Suriname"], ["SV", "El Salvador"], ["SX", "Sint Maarten"], ["TC", "Turks and Caicos Islands"],
    ["TT", "Trinidad and Tobago"], ["UY", "Uruguay"], ["VC", "Saint Vincent and the Grenadines"],
    ["VE", "Venezuela"], ["VG", "British Virgin Islands"], ["VI", "US Virgin Islands"],
  ],
  Oceania: [
    ["AQ", "Antarctica"], ["AS", "American Samoa"], ["AU", "Australia"], ["CC", "Cocos (Keeling) Islands"],
    ["CK", "Cook Islands"], ["CX", "Christmas Island"], ["FJ", "Fiji"], ["FM", "Micronesia"], ["GU", "Guam"],
    ["HM", "Heard and McDonald Islands"], ["KI", "Kiribati"], ["MH", "Marshall Islands"],
    ["MP", "Northern Mariana Islands"], ["NC", "New Caledonia"], ["NF", "Norfolk Island"], ["NR", "Nauru"],
    ["NU", "Niue"], ["NZ", "New Zealand"], ["PF", "French Polynesia"], ["PG", "Papua New Guinea"],
    ["PN", "Pitcairn Islands"], ["PW", "Palau"], ["SB", "Solomon Islands"], ["TK", "Tokelau"], ["TO", "Tonga"],
    ["TV", "Tuvalu"], ["UM", "US Minor Outlying Islands"], ["VU", "Vanuatu"], ["WF", "Wallis and Futuna"],
    ["WS", "Samoa"],
  ],
};

/** The reference country: named, flagged, never a source. */
export const REFERENCE_COUNTRY = { code: "US", name: "United States" } as const;

/** Regional-indicator emoji for an ISO code ("JP" → 🇯🇵). */
export function flagOf(code: string): string {
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

/** Every ISO 3166-1 country but the US, by region in region order, names sorted within a region. */
export const countries: readonly Country[] = regions.flatMap((region) =>
  byRegion[region]
    .map(([code, name]) => ({ code, name, region, flag: flagOf(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, "en")),
);

const byCode = new Map(countries.map((c) => [c.code, c]));

export function isCountryCode(code: string): boolean {
  return byCode.has(code);
}

export function countryByCode(code: string): Country | undefined {
  return byCode.get(code);
}

export function countryName(code: string): string {
  if (code === REFERENCE_COUNTRY.code) return REFERENCE_COUNTRY.name;
  return byCode.get(code)?.name ?? code;
}

const grouped = regions.map((region) => ({ region, countries: countries.filter((c) => c.region === region) }));

/** Countries grouped by region, in region order, names sorted (the same arrays every call: do not change them). */
export function countriesByRegion(): ReadonlyArray<{ region: Region; countries: readonly Country[] }> {
  return grouped;
}
