// The preference fields shared by the subscribe form and the manage page: countries grouped by region,
// frequency, weekly day, delivery time and time zone. Values and per-field messages come back on errors.
import { countries, countriesByRegion } from "../countries";
import { raw } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import { timeZoneList } from "../time-zones";
import { WorldMap } from "./world-map";
import { weekdayNames, type FieldErrors, type RawPreferences } from "../subscriptions/preferences";

const deliveryTimes = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);

// The long lists (~430 time zones, 48 times, 50-odd countries) are the same on every page but for which item
// is selected: each item is rendered once, both ways, and a page joins the ready-made HTML (the manage
// page is served several thousand times a second; rendering these as elements each time was most of it).
interface Item {
  off: string;
  on: string;
}
// Characters beyond Latin-1 (the flags) as character references: one such character makes V8 keep the
// whole page as two-byte text, which then costs twice to measure and encode for every response.
const asLatin1 = (html: string) => html.replace(/[^\u0000-\u00ff]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16)};`);
function prerender<T>(items: readonly T[], render: (item: T, on: boolean) => JSX.Element): Item[] {
  return items.map((item) => ({ off: asLatin1(String(render(item, false))), on: asLatin1(String(render(item, true))) }));
}
function joined(items: readonly Item[], on: (index: number) => boolean) {
  let html = "";
  for (let i = 0; i < items.length; i++) html += on(i) ? items[i]!.on : items[i]!.off;
  return raw(html);
}

// An option's value is its text when it has no value attribute (HTML's option value algorithm): left out
// where they are the same, a quarter of the manage page's bytes.
const TimeOption = ({ value, label, on }: { value: string; label: string; on: boolean }) => (
  <option value={value === label ? undefined : value} selected={on}>
    {label}
  </option>
);
const CountryCheck = ({ code, flag, name, on, note }: { code: string; flag: string; name: string; on: boolean; note?: string }) => (
  <label class="check">
    <input type="checkbox" name="countries" value={code} checked={on} />
    <span aria-hidden="true">{flag}</span> {name}
    {note ? <span class="note">{note}</span> : null}
  </label>
);
let timeItems: Item[] | undefined;
let zoneItems: { zones: string[]; index: Map<string, number>; items: Item[] } | undefined;
let countryItems: Map<string, Item> | undefined;
const timeOptions = () => (timeItems ??= prerender(deliveryTimes, (t, on) => <TimeOption value={t} label={t} on={on} />));
const zoneOptions = () => {
  if (!zoneItems) {
    const zones = timeZoneList();
    zoneItems = { zones, index: new Map(zones.map((z, i) => [z, i])), items: prerender(zones, (z, on) => <TimeOption value={z} label={z.replace(/_/g, " ")} on={on} />) };
  }
  return zoneItems;
};
const countryItem = (code: string) => {
  countryItems ??= new Map(countries.map((c) => [c.code, prerender([c], (c, on) => <CountryCheck code={c.code} flag={c.flag} name={c.name} on={on} />)[0]!]));
  return countryItems.get(code)!;
};

/**
 * The countries a form lists: those with a working source, and whatever the reader already follows (a
 * choice made when its country had a source is kept, ticked, with a note, until the reader unticks it).
 * Countries with no source are left out of the list rather than shown disabled: 190 greyed-out lines
 * would bury the 57 a reader can use, and the map still shows every country, muted.
 */
function CountryChecks({ offered, selected, openChosenOnly }: { offered: ReadonlySet<string>; selected: ReadonlySet<string>; openChosenOnly: boolean }) {
  return (
    <div class="regions">
      {countriesByRegion().map(({ region, countries }) => {
        const shown = countries.filter((c) => offered.has(c.code) || selected.has(c.code));
        if (shown.length === 0) return null;
        const count = shown.filter((c) => selected.has(c.code)).length;
        let html = "";
        for (const c of shown) {
          if (offered.has(c.code)) html += selected.has(c.code) ? countryItem(c.code).on : countryItem(c.code).off;
          else html += asLatin1(String(<CountryCheck code={c.code} flag={c.flag} name={c.name} on note="no working source right now" />));
        }
        return (
          <details class="region" open={count > 0 || (!openChosenOnly && (region === "Europe" || region === "Asia"))}>
            <summary>
              {region} <span class="count">{count ? `(${count} selected)` : ""}</span>
            </summary>
            <div class="checks">{raw(html)}</div>
          </details>
        );
      })}
    </div>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p class="error" id={id} role="alert">
      {message}
    </p>
  ) : null;
}

export interface PreferencesFieldsProps {
  values: RawPreferences;
  errors: FieldErrors;
  zoneChosen: boolean;
  /** Countries with a working source (src/subscriptions/offered-countries.ts). */
  offered: ReadonlySet<string>;
  /** Open only the regions with a ticked country (a country page: the rest is one click away). */
  openChosenOnly?: boolean;
}

export function PreferencesFields({ values, errors, zoneChosen, offered, openChosenOnly = false }: PreferencesFieldsProps) {
  const selected = new Set(values.countries);
  const frequency = values.frequency ?? "daily";
  const time = values.deliveryTime ?? "07:00";
  const times = deliveryTimes.includes(time) ? deliveryTimes : [...deliveryTimes, time].sort();
  const zone = values.timeZone || "UTC";
  return (
    <>
      <fieldset class="field" aria-describedby={errors.countries ? "countries-error" : undefined}>
        <legend>Countries</legend>
        <p class="hint">
          Pick the countries whose news you want; you can change this any time. Listed: the {offered.size} countries we
          have a working news source in, more as we add outlets.
        </p>
        <FieldError id="countries-error" message={errors.countries} />
        <WorldMap />
        <CountryChecks offered={offered} selected={selected} openChosenOnly={openChosenOnly} />
      </fieldset>

      <fieldset class="field" aria-describedby={errors.frequency ? "frequency-error" : undefined}>
        <legend>How often</legend>
        <div class="freq">
          {(
            [
              ["daily", "Every day"],
              ["weekdays", "Weekdays"],
              ["weekly", "Once a week"],
            ] as const
          ).map(([value, label]) => (
            <label class="pill">
              <input type="radio" name="frequency" value={value} checked={frequency === value} /> {label}
            </label>
          ))}
        </div>
        <FieldError id="frequency-error" message={errors.frequency} />
      </fieldset>

      <div class="row">
        <div class="field" id="weekly-day-field">
          <label for="weeklyDay">Day (weekly)</label>
          <select id="weeklyDay" name="weeklyDay" aria-describedby={errors.weeklyDay ? "weeklyDay-error" : undefined}>
            {weekdayNames.map((name, i) => (
              <option value={String(i)} selected={(values.weeklyDay ?? "6") === String(i)}>
                {name}
              </option>
            ))}
          </select>
          <FieldError id="weeklyDay-error" message={errors.weeklyDay} />
        </div>
        <div class="field">
          <label for="deliveryTime">Delivery time</label>
          <select id="deliveryTime" name="deliveryTime" aria-describedby={errors.deliveryTime ? "deliveryTime-error" : undefined}>
            {times === deliveryTimes
              ? joined(timeOptions(), (i) => deliveryTimes[i] === time)
              : times.map((t) => <TimeOption value={t} label={t} on={t === time} />)}
          </select>
          <FieldError id="deliveryTime-error" message={errors.deliveryTime} />
        </div>
      </div>
      <div class="field">
        <label for="timeZone">Time zone</label>
        <p class="hint">Your digest arrives at that time in this zone, daylight saving included.</p>
        <select
          id="timeZone"
          name="timeZone"
          data-detect-zone=""
          data-user-chose={zoneChosen ? "1" : "0"}
          aria-describedby={errors.timeZone ? "timeZone-error" : undefined}
        >
          {((zones) => joined(zones.items, (i) => i === zones.index.get(zone)))(zoneOptions())}
        </select>
        <FieldError id="timeZone-error" message={errors.timeZone} />
      </div>
    </>
  );
}
