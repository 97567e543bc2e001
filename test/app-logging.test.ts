import { describe, expect, it } from "vitest";
import { createApp, redactTokens } from "../src/app";
import { testConfig } from "../src/config";
import { createLogger } from "../src/log";
import { createToken } from "../src/tokens";
import type { Db } from "../db/client";
import { createMemoryMailer } from "./helpers/memory-mailer";

describe("logs never carry link tokens", () => {
  it("redacts the token part of every token route", () => {
    expect(redactTokens("/manage/abc.def/export")).toBe("/manage/<token>/export");
    expect(redactTokens("/unsubscribe/abc.def/resubscribe")).toBe("/unsubscribe/<token>/resubscribe");
    expect(redactTokens("/confirm/abc.def")).toBe("/confirm/<token>");
    expect(redactTokens("/view/abc.def")).toBe("/view/<token>");
    expect(redactTokens("/api/subscribers")).toBe("/api/subscribers");
  });

  it("an unexpected failure answers a calm 500 page and logs the path without the token", async () => {
    const lines: string[] = [];
    const broken = new Proxy({}, { get: () => () => { throw new Error("database on fire"); } }) as unknown as Db;
    const app = createApp({
      db: broken,
      dbKind: "postgres",
      config: testConfig(),
      clock: () => new Date("2026-03-02T12:00:00Z"),
      mailer: createMemoryMailer(),
      log: createLogger("debug", (l) => lines.push(l)),
    });
    const token = createToken(testConfig().appSecret, { purpose: "manage", subscriberId: "6f1c2d3e-0000-4000-8000-000000000001", version: 1, expiresAt: 0 });
    const res = await app.request(`/manage/${token}`);
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("Something went wrong on our side");
    expect(html).not.toContain("database on fire");
    expect(lines.join("\n")).toContain("/manage/<token>");
    expect(lines.join("\n")).not.toContain(token);
  });
});
