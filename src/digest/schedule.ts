// When a subscriber's digest is due: pure, no I/O, Intl.DateTimeFormat only (works on Node and Workers).
//
// A subscriber asks for "HH:MM" local time in an IANA zone, daily / weekdays (Mon–Fri, in their zone) /
// weekly on one day. `nextSendAt(prefs, after)` walks the subscriber's local calendar from the day before
// `after`'s local date and returns the first due instant strictly after `after`, with the edition (the
// intended local date). Chaining `after = previous.at` therefore yields exactly one edition per due local
// day, whatever other zones do.
//
// Local time → instant, DST-correct:
// - a local time that exists once maps to that instant;
// - a repeated local time (fall back) maps to its FIRST occurrence, so it is used once;
// - a local time that does not exist (spring-forward gap) moves to the next valid instant, i.e. the
//   transition itself (02:30 in America/New_York on the spring-forward day → 03:00 EDT).
import type { Frequency } from "../../db/schema";
export { isValidTimeZone as validTimeZone, timeZoneList } from "../time-zones";

export interface SchedulePrefs {
  /** IANA zone, e.g. "America/Chicago". */
  timeZone: string;
  /** Local "HH:MM", 24-hour. */
  deliveryTime: string;
  frequency: Frequency;
  /** 0 = Sunday … 6 = Saturday; required for weekly, ignored otherwise. */
  weeklyDay: number | null;
}

export interface DueEdition {
  at: Date;
  /** The subscriber's local date of the edition, "YYYY-MM-DD". */
  edition: string;
}

export class ScheduleError extends Error {
  override name = "ScheduleError";
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new ScheduleError(`Unknown time zone: ${JSON.stringify(timeZone).slice(0, 80)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time of `ms` in `timeZone`, expressed as if it were UTC (epoch ms, whole seconds). */
function wallClock(ms: number, timeZone: string): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of formatterFor(timeZone).formatToParts(ms)) {
    switch (p.type) {
      case "year": y = Number(p.value); break;
      case "month": mo = Number(p.value); break;
      case "day": d = Number(p.value); break;
      case "hour": h = Number(p.value) % 24; break;
      case "minute": mi = Number(p.value); break;
      case "second": s = Number(p.value); break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function exactOffset(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

// formatToParts costs microseconds and the morning run asks for the same zones' offsets around the same
// hours 100,000 times, so offsets are cached per zone and quarter hour (UTC). A quarter whose first and
// last second agree has one offset throughout (zones never change twice within 15 minutes); a quarter
// holding a transition is marked and always computed exactly.
const QUARTER = 900_000;
const offsetCache = new Map<string, Map<number, number>>();

/** UTC offset of `timeZone` at instant `ms`, in ms (local = utc + offset). */
export function offsetAt(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER);
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const first = exactOffset(bucket * QUARTER, timeZone);
    offset = first === exactOffset(bucket * QUARTER + QUARTER - 1000, timeZone) ? first : Number.NaN;
    if (zone.size >= 20_000) zone.clear();
    zone.set(bucket, offset);
  }
  return Number.isNaN(offset) ? exactOffset(ms, timeZone) : offset;
}

/**
 * The instant of local wall time `wall` (epoch ms as if UTC) in `timeZone`: the first occurrence when it
 * is repeated, the end of the gap when it does not exist.
 */
export function instantOfLocal(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const valid: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const t = wall - offset;
    if (offsetAt(t, timeZone) === offset) valid.push(t);
  }
  if (valid.length > 0) return Math.min(...valid);
  if (before === after) {
    // Two transitions within a day around this time (rare, historical): fall back to a direct search.
    return searchTransition(wall - before - DAY, wall - before + DAY, wall, timeZone);
  }
  // In a gap: the wall time is skipped. The transition lies between the two readings; find the first
  // instant whose wall clock is at or past `wall`.
  return searchTransition(wall - Math.max(before, after), wall - Math.min(before, after), wall, timeZone);
}

/** Smallest instant in [lo, hi] (to the second) whose wall clock is >= `wall`. */
function searchTransition(lo: number, hi: number, wall: number, timeZone: string): number {
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (wallClock(mid * 1000, timeZone) >= wall) b = mid;
    else a = mid + 1;
  }
  return a * 1000;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function checkPrefs(prefs: SchedulePrefs): { minutes: number } {
  const m = TIME.exec(String(prefs.deliveryTime));
  if (!m) throw new ScheduleError(`Delivery time must be HH:MM (24-hour), got ${JSON.stringify(prefs.deliveryTime)}`);
  if (prefs.frequency !== "daily" && prefs.frequency !== "weekdays" && prefs.frequency !== "weekly") {
    throw new ScheduleError(`Frequency must be daily, weekdays or weekly, got ${JSON.stringify(prefs.frequency)}`);
  }
  if (prefs.frequency === "weekly") {
    const d = prefs.weeklyDay;
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 6) {
      throw new ScheduleError(`Weekly delivery needs a day from 0 (Sunday) to 6 (Saturday), got ${JSON.stringify(d)}`);
    }
  }
  formatterFor(prefs.timeZone);
  return { minutes: Number(m[1]) * 60 + Number(m[2]) };
}

function isDueDay(prefs: SchedulePrefs, dayStart: number): boolean {
  const weekday = new Date(dayStart).getUTCDay();
  if (prefs.frequency === "weekdays") return weekday >= 1 && weekday <= 5;
  if (prefs.frequency === "weekly") return weekday === prefs.weeklyDay;
  return true;
}

function isoDate(dayStart: number): string {
  return new Date(dayStart).toISOString().slice(0, 10);
}

/** The first due instant strictly after `after`, and its edition (the intended local date). */
export function nextSendAt(prefs: SchedulePrefs, after: Date): DueEdition {
  const { minutes } = checkPrefs(prefs);
  const afterMs = after.getTime();
  if (!Number.isFinite(afterMs)) throw new ScheduleError("`after` is not a valid date");
  const localToday = Math.floor((afterMs + offsetAt(afterMs, prefs.timeZone)) / DAY) * DAY;
  // Start a day early: a gap can push the previous day's time past midnight. 16 days covers weekly
  // schedules even across a skipped calendar day (Pacific/Apia, 2011-12-30).
  for (let i = -1; i < 16; i++) {
    const day = localToday + i * DAY;
    if (!isDueDay(prefs, day)) continue;
    const at = instantOfLocal(day + minutes * MINUTE, prefs.timeZone);
    if (at > afterMs) return { at: new Date(at), edition: isoDate(day) };
  }
  throw new ScheduleError("No due time found in the next two weeks");
}

/** The local date ("YYYY-MM-DD") of an instant in a zone. */
export function editionOf(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  return isoDate(Math.floor((ms + offsetAt(ms, timeZone)) / DAY) * DAY);
}

/** True when an edition due at `dueAt` is more than `lateAfterHours` late at `now` (record as missed). */
export function isTooLate(dueAt: Date, now: Date, lateAfterHours: number): boolean {
  return now.getTime() - dueAt.getTime() > lateAfterHours * 3_600_000;
}
