// Issue 15, finding 1: the subscribe limit counts the client's address, and a client cannot choose it.
// On Node a forwarding header is believed only when TRUST_PROXY says a proxy sets it, and then only the
// hop it names; on Workers, CF-Connecting-IP is set by the platform and is believed. Requests arrive
// through app.request() with the socket address @hono/node-server gives the app.
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { parseEnv, type Config } from "../src/config";
import { workerSetup } from "../src/worker/setup";
import { createTestApp, ORIGIN, postFormFrom, type TestApp } from "./helpers/app";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

async function app(overrides: Partial<Config> = {}): Promise<TestApp> {
  const t = await createTestApp(overrides);
  open.push(t);
  return t;
}

const fields = (i: number) => ({ email: `reader${i}@example.com`, countries: "JP", timeZone: "UTC" });
const trust = (value: string) => parseEnv({ TRUST_PROXY: value }).TRUST_PROXY;

describe("the client address the subscribe limit counts", () => {
  it("on Node a client's own CF-Connecting-IP or X-Forwarded-For is not believed: 25 posts from one socket get 20 × 200, then 429, and 20 emails", async () => {
    const t = await app();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await postFormFrom(t, "198.51.100.4", "/subscribe", fields(i), { "CF-Connecting-IP": `10.9.${i}.1`, "X-Forwarded-For": `10.8.${i}.1`, "X-Real-IP": `10.7.${i}.1` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(20).fill(200), ...Array(5).fill(429)]);
    await t.drain();
    expect(t.mailer.sent.filter((m) => m.subject.startsWith("Confirm"))).toHaveLength(20);
    // Another socket address is another client.
    expect((await postFormFrom(t, "198.51.100.5", "/subscribe", fields(99))).status).toBe(200);
  });

  it("an IPv4 client reached through a dual-stack socket (::ffff:a.b.c.d) is counted as that IPv4 address", async () => {
    const t = await app({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 2 });
    expect((await postFormFrom(t, "203.0.113.8", "/subscribe", fields(1))).status).toBe(200);
    expect((await postFormFrom(t, "::ffff:203.0.113.8", "/subscribe", fields(2))).status).toBe(200);
    expect((await postFormFrom(t, "::FFFF:203.0.113.8", "/subscribe", fields(3))).status).toBe(429);
  });

  it("IPv6 clients are counted per /64: changing the interface half of the address does not reset the limit", async () => {
    const t = await app({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 3 });
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await postFormFrom(t, `2001:db8:aa:bb::${i.toString(16)}:${i}`, "/subscribe", fields(i))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await postFormFrom(t, "2001:db8:aa:bc::1", "/subscribe", fields(9))).status).toBe(200);
  });

  it("TRUST_PROXY=1: the client is the address our proxy appended (the last X-Forwarded-For entry), not what the client wrote before it", async () => {
    const t = await app({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 3, TRUST_PROXY: trust("1") });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postFormFrom(t, "10.0.0.2", "/subscribe", fields(i), { "X-Forwarded-For": `10.9.${i}.1, 192.0.2.77`, "CF-Connecting-IP": `10.6.${i}.1` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another client behind the same proxy has its own count.
    expect((await postFormFrom(t, "10.0.0.2", "/subscribe", fields(7), { "X-Forwarded-For": "192.0.2.78" })).status).toBe(200);
  });

  it("TRUST_PROXY=2: two proxies, so the second entry from the right; a request with fewer entries than hops is counted by its socket", async () => {
    const t = await app({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 2, TRUST_PROXY: trust("2") });
    const via = (spoof: string) => ({ "X-Forwarded-For": `${spoof}, 192.0.2.50, 10.0.0.9` });
    expect((await postFormFrom(t, "10.0.0.3", "/subscribe", fields(1), via("1.1.1.1"))).status).toBe(200);
    expect((await postFormFrom(t, "10.0.0.3", "/subscribe", fields(2), via("2.2.2.2"))).status).toBe(200);
    expect((await postFormFrom(t, "10.0.0.3", "/subscribe", fields(3), via("3.3.3.3"))).status).toBe(429);
    // Only one entry: it did not come through both proxies, so the header says nothing we can trust.
    expect((await postFormFrom(t, "10.0.0.4", "/subscribe", fields(4), { "X-Forwarded-For": "192.0.2.50" })).status).toBe(200);
    expect((await postFormFrom(t, "10.0.0.4", "/subscribe", fields(5), { "X-Forwarded-For": "192.0.2.51" })).status).toBe(200);
    expect((await postFormFrom(t, "10.0.0.4", "/subscribe", fields(6), { "X-Forwarded-For": "192.0.2.52" })).status).toBe(429);
  });

  it("TRUST_PROXY=cloudflare (Node behind Cloudflare's proxy): CF-Connecting-IP, and X-Forwarded-For is not believed", async () => {
    const t = await app({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 2, TRUST_PROXY: trust("cloudflare") });
    const from = (cf: string, xff: string) => ({ "CF-Connecting-IP": cf, "X-Forwarded-For": xff });
    expect((await postFormFrom(t, "172.64.0.1", "/subscribe", fields(1), from("192.0.2.9", "1.1.1.1"))).status).toBe(200);
    expect((await postFormFrom(t, "172.64.0.1", "/subscribe", fields(2), from("192.0.2.9", "2.2.2.2"))).status).toBe(200);
    expect((await postFormFrom(t, "172.64.0.1", "/subscribe", fields(3), from("192.0.2.9", "3.3.3.3"))).status).toBe(429);
    expect((await postFormFrom(t, "172.64.0.1", "/subscribe", fields(4), from("192.0.2.10", "3.3.3.3"))).status).toBe(200);
  });

  it("refuses a TRUST_PROXY it cannot understand, naming it", () => {
    expect(() => parseEnv({ TRUST_PROXY: "maybe" })).toThrow(/TRUST_PROXY: expects false, a number of proxies \(1 to 9\), or cloudflare/);
    expect(trust("false")).toEqual(trust("0"));
    expect(trust("true")).toEqual(trust("1"));
  });

  it("on Workers the client is CF-Connecting-IP, which Cloudflare sets, whatever TRUST_PROXY says; X-Forwarded-For is not believed", async () => {
    const base = await app();
    const { config } = workerSetup({
      NODE_ENV: "production",
      PUBLIC_URL: ORIGIN,
      APP_SECRET: "worker-address-secret-worker-address-secret",
      RESEND_API_KEY: "re_key",
      DATABASE_URL: "postgres://unused@localhost/unused",
      RATE_LIMIT_SUBSCRIBE_PER_HOUR: "2",
      TRUST_PROXY: "1",
    });
    const worker = createApp({ ...base.deps, config });
    const post = (i: number, headers: Record<string, string>) =>
      worker.request("/subscribe", { method: "POST", body: new URLSearchParams(fields(i)), headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers } });
    expect((await post(1, { "CF-Connecting-IP": "192.0.2.20", "X-Forwarded-For": "1.1.1.1" })).status).toBe(200);
    expect((await post(2, { "CF-Connecting-IP": "192.0.2.20", "X-Forwarded-For": "2.2.2.2" })).status).toBe(200);
    expect((await post(3, { "CF-Connecting-IP": "192.0.2.20", "X-Forwarded-For": "3.3.3.3" })).status).toBe(429);
    expect((await post(4, { "CF-Connecting-IP": "192.0.2.21" })).status).toBe(200);
  });
});
