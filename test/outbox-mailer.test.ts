import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxMailer } from "../src/mail/outbox-mailer";
import { formatEml, parseEml } from "../src/mail/mime";
import type { OutgoingEmail } from "../src/mail/mailer";

const now = new Date("2026-05-11T05:00:00Z");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "wd-outbox-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const email = (to: string, subject = "3 overlooked stories from Japan"): OutgoingEmail => ({
  from: "World Digest <digest@localhost>",
  to,
  subject,
  html: `<html><body><p>Hello ${to} — ünïcödé 🌍</p></body></html>`,
  text: `Hello ${to} — ünïcödé 🌍\nSecond line`,
  replyTo: "hello@example.com",
  headers: {
    "List-Unsubscribe": "<http://localhost:8787/unsubscribe/abc.def>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
});

describe("local outbox", () => {
  it("saves each email as a MIME .eml with text, HTML and every header", async () => {
    const outbox = createOutboxMailer(dir, { clock: () => now });
    const result = await outbox.sendBatch([email("ana@example.com"), email("kenji@example.com", "Ünïcode subject 🌍 that is long enough to need several encoded words")], {
      idempotencyKey: "digest-abc",
    });
    expect(result.kind).toBe("accepted");
    if (result.kind !== "accepted") return;
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    const files = (await readdir(dir)).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(2);

    const raw = await readFile(join(dir, files.sort()[0]!), "utf8");
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    expect(raw).toMatch(/Content-Type: multipart\/alternative; boundary="/);
    expect(raw).toMatch(/^Date: Mon, 11 May 2026 05:00:00 \+0000\r$/m);
    expect(raw).toMatch(/^Message-ID: <[a-z0-9-]+@outbox\.world-digest\.local>\r$/m);

    const listed = await outbox.list();
    expect(listed.map((m) => m.to).sort()).toEqual(["ana@example.com", "kenji@example.com"]);
    const kenji = listed.find((m) => m.to === "kenji@example.com")!;
    expect(kenji.subject).toBe("Ünïcode subject 🌍 that is long enough to need several encoded words");
    const read = await outbox.read(kenji.id);
    expect(read?.html).toContain("Hello kenji@example.com — ünïcödé 🌍");
    expect(read?.text).toBe("Hello kenji@example.com — ünïcödé 🌍\nSecond line");
    expect(read?.headers["List-Unsubscribe"]).toBe("<http://localhost:8787/unsubscribe/abc.def>");
    expect(read?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(read?.headers["Reply-To"]).toBe("hello@example.com");
    expect(read?.headers.From).toBe('"World Digest" <digest@localhost>');
  });

  it("the same key writes the same files again, not new ones, and answers with the same ids", async () => {
    const outbox = createOutboxMailer(dir, { clock: () => now });
    const batch = [email("ana@example.com"), email("kenji@example.com")];
    const first = await outbox.sendBatch(batch, { idempotencyKey: "digest-1" });
    const again = await outbox.sendBatch(batch, { idempotencyKey: "digest-1" });
    expect(again).toEqual(first);
    expect((await readdir(dir)).filter((f) => f.endsWith(".eml"))).toHaveLength(2);
    await outbox.sendBatch(batch, { idempotencyKey: "digest-2" });
    expect((await readdir(dir)).filter((f) => f.endsWith(".eml"))).toHaveLength(4);
  });

  it("refuses an impossible address for that email only", async () => {
    const outbox = createOutboxMailer(dir, { clock: () => now });
    const result = await outbox.sendBatch([email("not an address"), email("ana@example.com")], { idempotencyKey: "k" });
    expect(result.kind === "accepted" && result.outcomes.map((o) => o.ok)).toEqual([false, true]);
  });

  it("reading an unknown or hostile id finds nothing", async () => {
    const outbox = createOutboxMailer(dir);
    expect(await outbox.read("../../etc/passwd")).toBeNull();
    expect(await outbox.read("abc-001")).toBeNull();
    expect(await outbox.list()).toEqual([]);
  });

  it("emails carry live links: each file is readable by its owner only (0600), in a folder only its owner can open (0700) (issue 15)", async () => {
    const folder = join(dir, "outbox");
    const outbox = createOutboxMailer(folder, { clock: () => now });
    await outbox.sendBatch([email("ana@example.com")], { idempotencyKey: "confirm-abc" });
    const files = (await readdir(folder)).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(1);
    expect((await stat(join(folder, files[0]!))).mode & 0o777).toBe(0o600);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
  });

  it("header values cannot inject headers", () => {
    const eml = formatEml(
      { ...email("ana@example.com"), subject: "Hi\r\nBcc: victim@example.com", headers: { "X-Test": "a\r\nBcc: b@example.com" } },
      { messageId: "m@x", date: now, boundary: "b" },
    );
    expect(eml).not.toMatch(/^Bcc:/m);
    expect(parseEml(eml).headers.Subject).toBe("Hi Bcc: victim@example.com");
  });
});
