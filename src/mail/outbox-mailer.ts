// The local outbox (Node only): without RESEND_API_KEY every email becomes a .eml file under
// <DATA_DIR>/outbox/ — real MIME (text + HTML, List-Unsubscribe, Message-ID, Date) that any mail app
// opens — and /dev/outbox reads them back. Idempotent like the provider: a batch sent again under the
// same key finds its files and answers with the same ids, writing nothing new. Files are written to a
// temporary name and renamed, so a crash never leaves half an email.
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../clock";
import { systemClock } from "../clock";
import type { OutboxMessage, OutboxReader } from "../deps";
import type { BatchResult, EmailOutcome, Mailer, OutgoingEmail } from "./mailer";
import { formatEml, headerOf, parseEml } from "./mime";

export interface OutboxMailerOptions {
  clock?: Clock;
  /** At most this many messages are listed (newest first). */
  listLimit?: number;
}

const ID = /^[a-z0-9-]{1,80}$/;
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

export function createOutboxMailer(dir: string, options: OutboxMailerOptions = {}): Mailer & OutboxReader {
  const clock = options.clock ?? systemClock;
  const listLimit = options.listLimit ?? 500;
  let ready: Promise<unknown> | null = null;
  // Emails carry live links (confirm, manage): only the owner may read them, as /dev/outbox serves only
  // loopback by default (HOST).
  const ensureDir = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => chmod(dir, 0o700)));

  /** Stable per key and position: the same batch maps onto the same files. */
  const idFor = (key: string, index: number) =>
    `${createHash("sha256").update(key).digest("hex").slice(0, 24)}-${String(index).padStart(3, "0")}`;

  async function exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  }

  async function summary(id: string, source: string): Promise<{ message: OutboxMessage; parsed: ReturnType<typeof parseEml> }> {
    const parsed = parseEml(source);
    const h = parsed.headers;
    return {
      message: { id, to: headerOf(h, "To") ?? "", subject: headerOf(h, "Subject") ?? "(no subject)", date: headerOf(h, "Date") ?? "" },
      parsed,
    };
  }

  return {
    async sendBatch(emails: OutgoingEmail[], { idempotencyKey }): Promise<BatchResult> {
      if (emails.length > 100) throw new Error("sendBatch: at most 100 emails a call");
      await ensureDir();
      const date = clock();
      const outcomes: EmailOutcome[] = [];
      for (const [index, email] of emails.entries()) {
        if (!ADDRESS.test(email.to.trim())) {
          outcomes.push({ ok: false, error: `invalid recipient address: ${JSON.stringify(email.to).slice(0, 80)}` });
          continue;
        }
        const id = idFor(idempotencyKey, index);
        const path = join(dir, `${id}.eml`);
        if (!(await exists(path))) {
          const eml = formatEml(email, { messageId: `${id}@outbox.world-digest.local`, date, boundary: `wd-${id}` });
          const tmp = join(dir, `.${id}.${randomBytes(4).toString("hex")}.tmp`);
          await writeFile(tmp, eml, { encoding: "utf8", mode: 0o600 });
          await rename(tmp, path);
        }
        outcomes.push({ ok: true, id: `outbox-${id}` });
      }
      return { kind: "accepted", outcomes };
    },

    async list(): Promise<OutboxMessage[]> {
      await ensureDir();
      const names = (await readdir(dir)).filter((n) => n.endsWith(".eml") && ID.test(n.slice(0, -4)));
      const dated = await Promise.all(
        names.map(async (name) => {
          try {
            return { name, mtime: (await stat(join(dir, name))).mtimeMs };
          } catch {
            return null;
          }
        }),
      );
      const newest = dated
        .filter((d): d is { name: string; mtime: number } => d !== null)
        .sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? 1 : -1))
        .slice(0, listLimit);
      const out: OutboxMessage[] = [];
      for (const { name } of newest) {
        try {
          const id = name.slice(0, -4);
          out.push((await summary(id, await readFile(join(dir, name), "utf8"))).message);
        } catch {
          // Removed while listing: skip it.
        }
      }
      return out;
    },

    async read(id: string) {
      if (typeof id !== "string" || !ID.test(id)) return null;
      try {
        const source = await readFile(join(dir, `${id}.eml`), "utf8");
        const { message, parsed } = await summary(id, source);
        return { message, html: parsed.html, text: parsed.text, headers: parsed.headers };
      } catch {
        return null;
      }
    },
  };
}
