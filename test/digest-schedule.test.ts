import { describe, expect, it } from "vitest";
import {
  offsetAt,
  editionOf,
  isTooLate,
  nextSendAt,
  ScheduleError,
  validTimeZone,
  timeZoneList,
  type SchedulePrefs,
} from "../src/digest/schedule";

const daily = (timeZone: string, deliveryTime: string): SchedulePrefs => ({ timeZone, deliveryTime, frequency: "daily", weeklyDay: null });
const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);

/** Local "YYYY-MM-DD HH:MM" of an instant, via Intl (independent of the code under test). */
function local(instant: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

describe("nextSendAt: ordinary days", () => {
  it("returns today's time when it is still ahead, tomorrow's when it has passed", () => {
    const prefs = daily("America/Chicago", "07:00");
    // 2026-01-15 06:00 CST = 12:00Z
    expect(nextSendAt(prefs, at("2026-01-15T12:00:00Z"))).toEqual({ at: at("2026-01-15T13:00:00Z"), edition: "2026-01-15" });
    expect(nextSendAt(prefs, at("2026-01-15T13:00:00Z"))).toEqual({ at: at("2026-01-16T13:00:00Z"), edition: "2026-01-16" });
  });

  it("uses the subscriber's local date when it differs from the UTC date", () => {
    // 06:30 in Tokyo (+09:00) is 21:30Z the previous UTC day.
    const r = nextSendAt(daily("Asia/Tokyo", "06:30"), at("2026-05-10T12:00:00Z"));
    expect(iso(r.at)).toBe("2026-05-10T21:30:00.000Z");
    expect(r.edition).toBe("2026-05-11");
  });

  it("handles Asia/Kathmandu's +05:45 offset", () => {
    const r = nextSendAt(daily("Asia/Kathmandu", "07:00"), at("2026-06-01T00:00:00Z"));
    expect(iso(r.at)).toBe("2026-06-01T01:15:00.000Z");
    expect(r.edition).toBe("2026-06-01");
  });
});

describe("nextSendAt: daylight-saving days", () => {
  it("America/New_York spring forward: 02:30 does not exist and moves to 03:00 EDT", () => {
    const r = nextSendAt(daily("America/New_York", "02:30"), at("2026-03-07T12:00:00Z"));
    expect(iso(r.at)).toBe("2026-03-08T07:00:00.000Z");
    expect(local(r.at, "America/New_York")).toBe("2026-03-08 03:00");
    expect(r.edition).toBe("2026-03-08");
    const next = nextSendAt(daily("America/New_York", "02:30"), r.at);
    expect(iso(next.at)).toBe("2026-03-09T06:30:00.000Z");
    expect(next.edition).toBe("2026-03-09");
  });

  it("America/New_York fall back: 01:30 happens twice and is used once (the first)", () => {
    const prefs = daily("America/New_York", "01:30");
    const first = nextSendAt(prefs, at("2026-10-31T12:00:00Z"));
    expect(iso(first.at)).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT
    expect(first.edition).toBe("2026-11-01");
    const second = nextSendAt(prefs, first.at);
    expect(iso(second.at)).toBe("2026-11-02T06:30:00.000Z"); // not 06:30Z on Nov 1 (01:30 EST, the repeat)
    expect(second.edition).toBe("2026-11-02");
  });

  it("Europe/London: 01:30 moves to 02:00 BST in spring, is used once in autumn", () => {
    const prefs = daily("Europe/London", "01:30");
    const spring = nextSendAt(prefs, at("2026-03-28T12:00:00Z"));
    expect(iso(spring.at)).toBe("2026-03-29T01:00:00.000Z");
    expect(local(spring.at, "Europe/London")).toBe("2026-03-29 02:00");
    const autumn = nextSendAt(prefs, at("2026-10-24T12:00:00Z"));
    expect(iso(autumn.at)).toBe("2026-10-25T00:30:00.000Z"); // 01:30 BST
    expect(nextSendAt(prefs, autumn.at).edition).toBe("2026-10-26");
  });

  it("Australia/Lord_Howe's 30-minute shift: 02:15 moves to 02:30; 01:45 is used once", () => {
    const spring = nextSendAt(daily("Australia/Lord_Howe", "02:15"), at("2026-10-03T00:00:00Z"));
    expect(iso(spring.at)).toBe("2026-10-03T15:30:00.000Z");
    expect(local(spring.at, "Australia/Lord_Howe")).toBe("2026-10-04 02:30");
    expect(spring.edition).toBe("2026-10-04");

    const prefs = daily("Australia/Lord_Howe", "01:45");
    const first = nextSendAt(prefs, at("2026-04-04T00:00:00Z"));
    expect(iso(first.at)).toBe("2026-04-04T14:45:00.000Z"); // +11:00, before the repeat at 15:15Z (+10:30)
    expect(first.edition).toBe("2026-04-05");
    const next = nextSendAt(prefs, first.at);
    expect(next.edition).toBe("2026-04-06");
    expect(iso(next.at)).toBe("2026-04-05T15:15:00.000Z");
  });

  it("Pacific/Chatham (+12:45/+13:45): 03:00 moves to 03:45 in spring, is used once in autumn", () => {
    const spring = nextSendAt(daily("Pacific/Chatham", "03:00"), at("2026-09-26T00:00:00Z"));
    expect(iso(spring.at)).toBe("2026-09-26T14:00:00.000Z");
    expect(local(spring.at, "Pacific/Chatham")).toBe("2026-09-27 03:45");
    expect(spring.edition).toBe("2026-09-27");

    const prefs = daily("Pacific/Chatham", "03:00");
    const first = nextSendAt(prefs, at("2026-04-04T00:00:00Z"));
    expect(iso(first.at)).toBe("2026-04-04T13:15:00.000Z");
    expect(first.edition).toBe("2026-04-05");
    expect(nextSendAt(prefs, first.at).edition).toBe("2026-04-06");
  });

  it("America/Santiago changes at midnight: 00:30 moves to 01:00 the same day", () => {
    const r = nextSendAt(daily("America/Santiago", "00:30"), at("2026-09-05T12:00:00Z"));
    expect(local(r.at, "America/Santiago")).toBe("2026-09-06 01:00");
    expect(r.edition).toBe("2026-09-06");
  });
});

describe("nextSendAt: weekdays and weekly", () => {
  it("weekdays skips Saturday and Sunday in the subscriber's zone", () => {
    const prefs: SchedulePrefs = { timeZone: "Asia/Tokyo", deliveryTime: "06:30", frequency: "weekdays", weeklyDay: null };
    // Friday 2026-05-15 06:30 JST = 2026-05-14T21:30Z. Right after it, the next is Monday 2026-05-18 (= Sunday 21:30Z).
    const r = nextSendAt(prefs, at("2026-05-14T21:30:00Z"));
    expect(r.edition).toBe("2026-05-18");
    expect(iso(r.at)).toBe("2026-05-17T21:30:00.000Z");
  });

  it("weekly picks the chosen day, and the same day a week later after sending", () => {
    const prefs: SchedulePrefs = { timeZone: "America/Chicago", deliveryTime: "07:00", frequency: "weekly", weeklyDay: 6 };
    const first = nextSendAt(prefs, at("2026-01-14T18:00:00Z")); // a Wednesday
    expect(first.edition).toBe("2026-01-17");
    expect(iso(first.at)).toBe("2026-01-17T13:00:00.000Z");
    expect(nextSendAt(prefs, first.at).edition).toBe("2026-01-24");
  });

  it("weekly on Sunday across the New York spring-forward day", () => {
    const prefs: SchedulePrefs = { timeZone: "America/New_York", deliveryTime: "02:30", frequency: "weekly", weeklyDay: 0 };
    const r = nextSendAt(prefs, at("2026-03-02T12:00:00Z"));
    expect(r.edition).toBe("2026-03-08");
    expect(local(r.at, "America/New_York")).toBe("2026-03-08 03:00");
  });
});

describe("a year of editions", () => {
  const zones: Array<[string, string]> = [
    ["Asia/Tokyo", "06:30"],
    ["America/New_York", "02:30"],
    ["America/New_York", "01:30"],
    ["Europe/London", "01:30"],
    ["Australia/Lord_Howe", "02:15"],
    ["Australia/Lord_Howe", "01:45"],
    ["Pacific/Chatham", "03:00"],
    ["Asia/Kathmandu", "00:00"],
    ["America/Santiago", "00:30"],
    ["America/Chicago", "23:59"],
  ];
  for (const [tz, time] of zones) {
    it(`${tz} at ${time}: exactly one edition per local day, each at or just after the chosen time`, () => {
      const prefs = daily(tz, time);
      let after = at("2025-12-31T00:00:00Z");
      const editions: string[] = [];
      let previous = 0;
      for (let i = 0; i < 366; i++) {
        const r = nextSendAt(prefs, after);
        expect(r.at.getTime()).toBeGreaterThan(previous);
        const wall = local(r.at, tz);
        // On a normal day exactly HH:MM; on a gap day the first valid minute after it, same local date.
        expect(wall.slice(0, 10)).toBe(r.edition);
        expect(wall.slice(11) >= time).toBe(true);
        if (wall.slice(11) !== time) expect(r.at.getTime() - previous).toBeLessThan(25 * 3600_000);
        expect(editionOf(r.at, tz)).toBe(r.edition);
        editions.push(r.edition);
        previous = r.at.getTime();
        after = r.at;
      }
      for (let i = 1; i < editions.length; i++) {
        const gap = Date.parse(`${editions[i]}T00:00:00Z`) - Date.parse(`${editions[i - 1]}T00:00:00Z`);
        expect(gap).toBe(86_400_000);
      }
    });
  }

  it("Kenji (06:30 Asia/Tokyo) gets one edition every Tokyo day, always at 21:30Z, through other zones' DST changes", () => {
    const prefs = daily("Asia/Tokyo", "06:30");
    const seen = new Set<string>();
    let after = at("2025-12-31T12:00:00Z"); // 21:00 on Dec 31 in Tokyo
    for (let i = 0; i < 365; i++) {
      const r = nextSendAt(prefs, after);
      expect(iso(r.at).slice(11)).toBe("21:30:00.000Z");
      expect(seen.has(r.edition)).toBe(false);
      seen.add(r.edition);
      after = r.at;
    }
    // Every local day of the year, none missing: from 2026-01-01 through 2026-12-31.
    expect(seen.size).toBe(365);
    expect(seen.has("2026-01-01") && seen.has("2026-12-31") && seen.has("2026-03-08") && seen.has("2026-11-01")).toBe(true);
  });

  it("a tick every 10 minutes across a year plans one edition per Tokyo day for a weekdays subscriber", () => {
    const prefs: SchedulePrefs = { timeZone: "Asia/Tokyo", deliveryTime: "06:30", frequency: "weekdays", weeklyDay: null };
    let next = nextSendAt(prefs, at("2026-01-01T00:00:00Z"));
    const editions: string[] = [];
    for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 10 * 60_000) {
      if (next.at.getTime() <= t) {
        editions.push(next.edition);
        next = nextSendAt(prefs, next.at);
      }
    }
    expect(new Set(editions).size).toBe(editions.length);
    expect(editions.every((e) => [1, 2, 3, 4, 5].includes(new Date(`${e}T00:00:00Z`).getUTCDay()))).toBe(true);
    expect(editions.length).toBe(261); // weekdays in 2026 (the tick ends 2026-12-31T23:50Z, 08:50 on Jan 1 in Tokyo)
  });
});

describe("cached offsets", () => {
  it("equal Intl's answer at any instant, including every transition minute, in many zones", () => {
    const zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "America/Santiago", "Asia/Tehran", "Africa/Casablanca", "America/St_Johns", "Pacific/Apia"];
    const formats = new Map<string, Intl.DateTimeFormat>();
    const exact = (ms: number, tz: string) => {
      let f = formats.get(tz);
      if (!f) {
        f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
        formats.set(tz, f);
      }
      const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
      const whole = Math.floor(ms / 1000) * 1000;
      return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - whole;
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const start = Date.parse("2024-01-01T00:00:00Z");
    const span = Date.parse("2030-01-01T00:00:00Z") - start;
    for (const tz of zones) {
      // Random instants, then every minute of the days around each change found on the way.
      let previous = exact(start, tz);
      for (let t = start; t < start + span; t += 6 * 3_600_000) {
        const o = exact(t, tz);
        if (o !== previous) {
          for (let m = t - 7 * 3_600_000; m <= t; m += 60_000) expect(offsetAt(m, tz)).toBe(exact(m, tz));
          previous = o;
        }
      }
      for (let i = 0; i < 300; i++) {
        const t = start + Math.floor(random() * span);
        expect(offsetAt(t, tz)).toBe(exact(t, tz));
      }
    }
  });
});

describe("validation and helpers", () => {
  it("rejects bad preferences with a clear error", () => {
    const base = daily("Europe/Paris", "07:00");
    expect(() => nextSendAt({ ...base, deliveryTime: "7:00" }, new Date())).toThrow(ScheduleError);
    expect(() => nextSendAt({ ...base, deliveryTime: "24:00" }, new Date())).toThrow(/HH:MM/);
    expect(() => nextSendAt({ ...base, timeZone: "Mars/Olympus" }, new Date())).toThrow(/Unknown time zone/);
    expect(() => nextSendAt({ ...base, frequency: "hourly" as never }, new Date())).toThrow(/Frequency/);
    expect(() => nextSendAt({ ...base, frequency: "weekly", weeklyDay: 7 }, new Date())).toThrow(/day/);
    expect(() => nextSendAt({ ...base, frequency: "weekly", weeklyDay: null }, new Date())).toThrow(/day/);
    expect(() => nextSendAt(base, new Date(Number.NaN))).toThrow(ScheduleError);
  });

  it("editionOf gives the local date", () => {
    expect(editionOf(at("2026-05-10T21:30:00Z"), "Asia/Tokyo")).toBe("2026-05-11");
    expect(editionOf(at("2026-05-10T21:30:00Z"), "America/Los_Angeles")).toBe("2026-05-10");
    expect(editionOf(at("2026-05-10T18:15:00Z"), "Asia/Kathmandu")).toBe("2026-05-11");
  });

  it("isTooLate is strictly beyond the configured hours", () => {
    const due = at("2026-05-11T07:00:00Z");
    expect(isTooLate(due, at("2026-05-11T13:00:00Z"), 6)).toBe(false);
    expect(isTooLate(due, at("2026-05-11T13:00:01Z"), 6)).toBe(true);
    expect(isTooLate(due, at("2026-05-11T07:20:00Z"), 0.25)).toBe(true);
  });

  it("validTimeZone accepts IANA zones and rejects the rest; the list is usable for a select", () => {
    expect(validTimeZone("Pacific/Chatham")).toBe(true);
    expect(validTimeZone("UTC")).toBe(true);
    expect(validTimeZone("Mars/Olympus")).toBe(false);
    expect(validTimeZone("")).toBe(false);
    expect(validTimeZone("<script>")).toBe(false);
    const list = timeZoneList();
    expect(validTimeZone("Asia/Kathmandu")).toBe(true);
    expect(list).toContain("Pacific/Chatham");
    expect(list).toContain("Australia/Lord_Howe");
    expect(list.every(validTimeZone)).toBe(true);
  });
});
