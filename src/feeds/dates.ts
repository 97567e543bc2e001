// Dates as feeds write them: RFC 822 (RSS), ISO 8601 (Atom, dc:date) and the sloppy variants in between
// (no weekday, two-digit years, full or localised month names, "GMT+9", missing zone → UTC).

const monthPrefixes: Record<string, number> = {
  jan: 0, ene: 0, feb: 1, fev: 1, "fév": 1, mar: 2, "mär": 2, apr: 3, avr: 3, abr: 3, may: 4, mai: 4, jun: 5,
  jul: 6, aug: 7, ago: 7, "aoû": 7, sep: 8, set: 8, oct: 9, okt: 9, out: 9, nov: 10, dec: 11, "déc": 11, dez: 11,
  dic: 11,
};

/** Zone abbreviations seen in feeds, as hours east of UTC (IST is read as India's). */
const zoneHours: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7,
  akst: -9, akdt: -8, hst: -10, ast: -4, adt: -3, nst: -3.5, ndt: -2.5, wet: 0, west: 1, bst: 1, cet: 1,
  cest: 2, met: 1, mest: 2, mez: 1, mesz: 2, eet: 2, eest: 3, msk: 3, ist: 5.5, pkt: 5, npt: 5.75, wib: 7, ict: 7, sgt: 8,
  hkt: 8, pht: 8, awst: 8, jst: 9, kst: 9, acst: 9.5, aest: 10, aedt: 11, nzst: 12, nzdt: 13, sast: 2,
  eat: 3, wat: 1, cat: 2, brt: -3, art: -3, clt: -4, cot: -5,
};

function monthOf(token: string): number | undefined {
  const t = token.toLowerCase().replace(/\.$/, "");
  if (t.length < 3 || !/^\p{L}+$/u.test(t)) return undefined;
  if (t.startsWith("juin")) return 5;
  if (t.startsWith("juil")) return 6;
  return monthPrefixes[t.slice(0, 3)];
}

/** "+0900", "+09:00", "-05", "GMT+9", "UTC-03:30" → minutes east of UTC; undefined if not an offset. */
function offsetMinutes(token: string): number | undefined {
  const m = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(token);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): Date | null {
  if (y < 1970 || y > 2200 || mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const local = new Date(Date.UTC(y, mo, d, h, mi, Math.min(s, 59)));
  if (local.getUTCDate() !== d && h !== 24) return null; // 31 February and friends
  return new Date(local.getTime() - offset * 60_000);
}

const iso =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const isoBasic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso(s: string): Date | null | undefined {
  const m = iso.exec(s) ?? isoBasic.exec(s);
  if (!m) return undefined;
  const zone = m[7];
  const offset = !zone || /^(z|utc|gmt)$/i.test(zone) ? 0 : offsetMinutes(zone);
  if (offset === undefined) return null;
  return build(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), offset);
}

/** RFC 822 and relatives, read token by token; unknown words (a weekday in any language) are ignored. */
function parseLoose(s: string): Date | null {
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let time: number[] | undefined;
  let meridiem: string | undefined;
  let offset = 0;
  for (const raw of s.replace(/\([^)]*\)/g, " ").replace(/[,;]/g, " ").split(/\s+/)) {
    let token = raw;
    if (!token) continue;
    const timeAndZone = /^(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)(z|[+-]\d{2}:?\d{2})$/i.exec(token);
    if (timeAndZone) {
      token = timeAndZone[1]!;
      offset = /^z$/i.test(timeAndZone[2]!) ? 0 : (offsetMinutes(timeAndZone[2]!) ?? 0);
    }
    const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(token);
    const lower = token.toLowerCase().replace(/\.$/, "");
    if (t && !time) time = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
    else if (lower === "am" || lower === "pm") meridiem = lower;
    else if (/^\d{4}$/.test(token) && year === undefined) year = Number(token);
    else if (/^\d{1,2}(st|nd|rd|th|\.)?$/i.test(token) && day === undefined) day = parseInt(token, 10);
    else if (/^\d{2}$/.test(token) && year === undefined) year = Number(token) + (Number(token) < 50 ? 2000 : 1900);
    else if (offsetMinutes(token) !== undefined) offset = offsetMinutes(token)!;
    else if (Object.hasOwn(zoneHours, lower)) offset = zoneHours[lower]! * 60; // not "constructor": feed text
    else if (monthOf(token) !== undefined) month = monthOf(token); // the last one wins: "mar 10 jun" is Tuesday
    else if (!/^\p{L}+\.?$/u.test(token)) return null;
  }
  if (day === undefined || month === undefined || year === undefined) return null;
  let [h, mi, sec] = time ?? [0, 0, 0];
  if (meridiem && h! <= 12) h = (h! % 12) + (meridiem === "pm" ? 12 : 0);
  return build(year, month, day, h!, mi!, sec!, offset);
}

/** A feed's date string → Date, or null when it cannot be read. Missing zone means UTC. */
export function parseFeedDate(raw: string | null | undefined): Date | null {
  const s = (raw ?? "").trim().replace(/\s+/g, " ");
  if (!s || s.length > 100) return null;
  const fromIso = parseIso(s);
  if (fromIso !== undefined) return fromIso;
  return parseLoose(s);
}
