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

let zones: string[] | undefined;
/** Canonical zones, sorted, with UTC first. */
export function timeZoneList(): string[] {
  if (!zones) {
    const list = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    zones = ["UTC", ...list.filter((z) => z !== "UTC")];
  }
  return zones;
}
