// GET /api/stats (behind the API bearer token): subscribers by status, deliveries by status per day (the
// day the edition was due, UTC), and how many addresses are suppressed.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { deliveryStatuses } from "../../db/schema";
import { deliveriesByStatusPerDay } from "../../db/queries/deliveries";
import { subscribersByStatus } from "../../db/queries/stats";
import { suppressionCount } from "../../db/queries/webhook-events";
import { errorBody } from "../errors";

const DAY = 86_400_000;

export function statsApi(deps: Deps): Hono {
  const app = new Hono();

  app.get("/stats", async (c) => {
    const raw = c.req.query("days") ?? "30";
    const days = Number(raw);
    if (!/^\d{1,3}$/.test(raw) || days < 1 || days > 366) {
      return c.json(errorBody("invalid_request", "days must be a whole number from 1 to 366", { days: "expects 1 to 366" }), 400);
    }
    const now = deps.clock();
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY);
    const [subscribers, perDay, suppressions] = await Promise.all([
      subscribersByStatus(deps.db),
      deliveriesByStatusPerDay(deps.db, since),
      suppressionCount(deps.db),
    ]);
    const byDay = new Map<string, Record<string, number>>();
    for (const row of perDay) {
      let day = byDay.get(row.day);
      if (!day) byDay.set(row.day, (day = Object.fromEntries(deliveryStatuses.map((s) => [s, 0]))));
      day[row.status] = row.count;
    }
    return c.json({
      generatedAt: now.toISOString(),
      subscribers,
      deliveries: [...byDay].map(([day, counts]) => ({ day, ...counts })),
      suppressions,
    });
  });

  return app;
}
