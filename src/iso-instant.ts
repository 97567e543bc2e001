// A date or date-time from outside (the API's query strings and bodies) to an instant PostgreSQL can
// store. Date.parse alone is not enough: it takes year 0 ("0000-01-01", or "0001-01-01T00:00+14:00",
// which PostgreSQL refuses: its calendar has no year 0), years past 9999 that offsets carry dates into,
// and days no month has ("2026-02-30" becomes 2 March). Pure.

/** The instant, or null when the text is not an ISO 8601 date (YYYY-MM-DD…) of a real day in years 1–9999. */
export function parseIsoInstant(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day); // setUTCFullYear: years 0–99 are not read as 1900–1999
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  const at = new Date(ms);
  return at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999 ? at : null;
}
