// The countries the benchmark's generated worlds spread outlets and readers over: those of the outlet
// catalog (db/sources.json), in catalog order — the 56 the service covered when the README's figures were
// taken. Not src/countries.ts, which now holds every ISO country: spreading 144 outlets over 248 countries
// would make another benchmark, not the same one measured again.
import { readSourceCatalog } from "../src/feeds/source-catalog";

export const catalogCountryCodes: readonly string[] = [
  ...new Set(readSourceCatalog().filter((s) => !s.isReference).map((s) => s.country)),
];
