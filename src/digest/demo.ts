// A first digest for a newcomer: on the embedded default (PGlite, local outbox, not production) with no
// subscriber at all, `npm start` creates demo@example.com following the countries the sample content
// covers best, due now — the next tick writes a real digest to the outbox (/dev/outbox).
import { busiestCountries } from "../../db/queries/digest-content";
import { subscribersByStatus } from "../../db/queries/stats";
import { insertSubscriber, type Subscriber } from "../../db/queries/subscribers";
import { isCountryCode } from "../countries";
import type { Deps } from "../deps";
import { isValidTimeZone } from "../time-zones";

export const DEMO_EMAIL = "demo@example.com";
const FALLBACK_COUNTRIES = ["JP", "BR", "KE", "DE"];
const WEEK = 7 * 24 * 3_600_000;

/** Returns the subscriber it created, or null when it had no business doing so. */
export async function ensureDemoSubscriber(deps: Deps, now: Date): Promise<Subscriber | null> {
  const { config } = deps;
  if (deps.dbKind !== "pglite" || config.RESEND_API_KEY || config.production) return null;
  const counts = await subscribersByStatus(deps.db);
  if (Object.values(counts).some((n) => (n ?? 0) > 0)) return null;

  const covered = (await busiestCountries(deps.db, new Date(now.getTime() - WEEK), 8)).filter((c) => c !== "US" && isCountryCode(c));
  const countries = (covered.length > 0 ? covered.slice(0, 4) : FALLBACK_COUNTRIES).sort();
  const hostZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = hostZone && isValidTimeZone(hostZone) ? hostZone : "UTC";
  const created = await insertSubscriber(deps.db, {
    email: DEMO_EMAIL,
    status: "active",
    countries,
    frequency: "daily",
    deliveryTime: "07:00",
    timeZone,
    confirmedAt: now,
    // Due now; its first digest looks back a week, so sample content of the last days is enough.
    nextSendAt: now,
    lastEditionAt: new Date(now.getTime() - WEEK),
    createdAt: now,
    updatedAt: now,
  });
  if (created) deps.log.info("sample subscriber created: its first digest will be in the local outbox at /dev/outbox", { email: DEMO_EMAIL, countries });
  return created ?? null;
}
