// The preference fields shared by the subscribe form and the manage page: countries grouped by region,
// frequency, weekly day, delivery time and time zone. Values and per-field messages come back on errors.
import { countriesByRegion } from "../countries";
import { timeZoneList } from "../time-zones";
import { weekdayNames, type FieldErrors, type RawPreferences } from "../subscriptions/preferences";

const deliveryTimes = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p class="error" id={id} role="alert">
      {message}
    </p>
  ) : null;
}

export function PreferencesFields({ values, errors, zoneChosen }: { values: RawPreferences; errors: FieldErrors; zoneChosen: boolean }) {
  const selected = new Set(values.countries);
  const frequency = values.frequency ?? "daily";
  const time = values.deliveryTime ?? "07:00";
  const times = deliveryTimes.includes(time) ? deliveryTimes : [...deliveryTimes, time].sort();
  const zone = values.timeZone || "UTC";
  return (
    <>
      <fieldset class="field" aria-describedby={errors.countries ? "countries-error" : undefined}>
        <legend>Countries</legend>
        <p class="hint">Pick the countries whose news you want. You can change this any time.</p>
        <FieldError id="countries-error" message={errors.countries} />
        <div class="regions">
          {countriesByRegion().map(({ region, countries }) => {
            const count = countries.filter((c) => selected.has(c.code)).length;
            return (
              <details class="region" open={count > 0 || region === "Europe" || region === "Asia"}>
                <summary>
                  {region} <span class="count">{count ? `(${count} selected)` : ""}</span>
                </summary>
                <div class="checks">
                  {countries.map((c) => (
                    <label class="check">
                      <input type="checkbox" name="countries" value={c.code} checked={selected.has(c.code)} />
                      <span aria-hidden="true">{c.flag}</span> {c.name}
                    </label>
                  ))}
                </div>
              </details>
            );
          })}
        </div>
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
            {times.map((t) => (
              <option value={t} selected={t === time}>
                {t}
              </option>
            ))}
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
          {timeZoneList().map((z) => (
            <option value={z} selected={z === zone}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </select>
        <FieldError id="timeZone-error" message={errors.timeZone} />
      </div>
    </>
  );
}
