// IANA time zones: validation and the list the forms offer when JavaScript cannot detect the zone.

const valid = new Map<string, boolean>();

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > 64) return false;
  const known = valid.get(tz);
  if (known !== undefined) return known;
  let ok = false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    ok = /^[A-Za-z0-9_+\-/]+$/.test(tz);
  } catch {
    ok = false;
  }
  if (valid.size < 2000) valid.set(tz, ok);
  return ok;
}

/**
 * Node 20's ICU lists some zones by their old names, while browsers report the current ones
 * (Asia/Kathmandu, not Asia/Katmandu): offer the current name wherever the runtime knows it.
 */
const renamed: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
  "America/Godthab": "America/Nuuk",
};

let zones: string[] | undefined;
/** Zones for the form's select, sorted, with UTC first and current names where they were renamed. */
export function timeZoneList(): string[] {
  if (!zones) {
    const list = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    const current = list.map((z) => (renamed[z] && isValidTimeZone(renamed[z]) ? renamed[z] : z));
    zones = ["UTC", ...[...new Set(current)].filter((z) => z !== "UTC").sort()];
  }
  return zones;
}
