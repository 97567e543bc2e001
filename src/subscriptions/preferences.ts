// Validation of what a person (form) or the news app (JSON) asks for. Pure: input in, value or
// per-field messages out, so the form can be shown again with the person's values and what was wrong.
import { isCountryCode } from "../countries";
import { frequencies, type Frequency } from "../../db/schema";
import { isValidTimeZone } from "../time-zones";
import { canonicalEmail } from "./mailbox";

export interface Preferences {
  countries: string[];
  frequency: Frequency;
  /** 0 = Sunday … 6 = Saturday; set only for weekly. */
  weeklyDay: number | null;
  /** "HH:MM", local. */
  deliveryTime: string;
  timeZone: string;
}

export type PreferenceField = "email" | "countries" | "frequency" | "weeklyDay" | "deliveryTime" | "timeZone";
export type FieldErrors = Partial<Record<PreferenceField, string>>;

/** What came in, as strings, to show again in a form. */
export interface RawPreferences {
  email?: string;
  countries: string[];
  frequency?: string;
  weeklyDay?: string;
  deliveryTime?: string;
  timeZone?: string;
}

export const weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const MAX_COUNTRIES = 30;
export const DEFAULT_DELIVERY_TIME = "07:00";

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/** Accepts form values (string | string[]) or JSON values and reduces them to strings. */
export function rawFrom(input: Record<string, unknown>): RawPreferences {
  const c = input.countries;
  const list = Array.isArray(c) ? c : typeof c === "string" ? c.split(",") : [];
  return {
    email: str(input.email),
    countries: list.filter((x): x is string => typeof x === "string").map((x) => x.trim().toUpperCase()).filter(Boolean).slice(0, 100),
    frequency: str(input.frequency),
    weeklyDay: str(input.weeklyDay),
    deliveryTime: str(input.deliveryTime),
    timeZone: str(input.timeZone),
  };
}

export function parseEmail(value: string | undefined): { ok: true; value: string } | { ok: false; error: string } {
  const email = (value ?? "").trim().toLowerCase();
  if (!email) return { ok: false, error: "Enter your email address." };
  // Control and format characters (NUL, bidi overrides, zero-width) and lone surrogates are never part of
  // an address: NUL cannot even be stored in PostgreSQL, the others disguise what the address is.
  if (/[\p{Cc}\p{Cf}\p{Cs}]/u.test(email)) return { ok: false, error: "Enter an email address like name@example.com." };
  if (email.length > 254 || !/^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]{2,}$/i.test(email)) {
    return { ok: false, error: "Enter an email address like name@example.com." };
  }
  // One stored form per mailbox spelling (NFC, punycode domain): src/subscriptions/mailbox.ts.
  const canonical = canonicalEmail(email);
  if (!canonical || canonical.length > 254) return { ok: false, error: "Enter an email address like name@example.com." };
  return { ok: true, value: canonical };
}

export function parsePreferences(raw: RawPreferences): Parsed<Preferences> {
  const errors: FieldErrors = {};
  const countries = [...new Set(raw.countries)];
  if (countries.length === 0) errors.countries = "Choose at least one country.";
  else if (countries.length > MAX_COUNTRIES) errors.countries = `Choose at most ${MAX_COUNTRIES} countries.`;
  else if (countries.some((c) => !isCountryCode(c))) errors.countries = "One of the countries is not one we cover.";

  const frequency = (raw.frequency ?? "daily") as Frequency;
  if (!frequencies.includes(frequency)) errors.frequency = "Choose daily, weekdays or weekly.";

  let weeklyDay: number | null = null;
  if (frequency === "weekly") {
    const day = Number(raw.weeklyDay ?? "1");
    if (!Number.isInteger(day) || day < 0 || day > 6 || (raw.weeklyDay ?? "1").trim() === "") {
      errors.weeklyDay = "Choose a day of the week.";
    } else weeklyDay = day;
  }

  const deliveryTime = (raw.deliveryTime ?? DEFAULT_DELIVERY_TIME).trim();
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(deliveryTime);
  if (!m) errors.deliveryTime = "Choose a time like 07:00.";

  const timeZone = (raw.timeZone ?? "").trim();
  if (!isValidTimeZone(timeZone)) errors.timeZone = "Choose your time zone, e.g. America/Chicago.";

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { countries: countries.sort(), frequency, weeklyDay, deliveryTime, timeZone } };
}

/** "weekdays at 07:00 (America/Chicago)" */
export function describeSchedule(p: Pick<Preferences, "frequency" | "weeklyDay" | "deliveryTime" | "timeZone">): string {
  const when =
    p.frequency === "daily"
      ? "Every day"
      : p.frequency === "weekdays"
        ? "Weekdays (Monday to Friday)"
        : `Every ${weekdayNames[p.weeklyDay ?? 1]}`;
  return `${when} at ${p.deliveryTime} (${p.timeZone.replace(/_/g, " ")})`;
}
