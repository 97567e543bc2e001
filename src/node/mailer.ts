// Node only: the mailer for this process — Resend when RESEND_API_KEY is set, otherwise the local
// outbox (.eml files in the data folder, readable at /dev/outbox outside production).
import type { Config } from "../config";
import type { OutboxReader } from "../deps";
import type { Logger } from "../log";
import type { Mailer } from "../mail/mailer";
import { createResendMailer } from "../mail/resend-mailer";
import { createOutboxMailer } from "../mail/outbox-mailer";
import { outboxDir } from "./environment";

export function createNodeMailer(config: Config, log: Logger): { mailer: Mailer; outbox?: OutboxReader } {
  if (config.RESEND_API_KEY) {
    return { mailer: createResendMailer({ apiKey: config.RESEND_API_KEY, streamBody: true, ...(config.RESEND_BASE_URL ? { baseUrl: config.RESEND_BASE_URL } : {}) }) };
  }
  if (config.production) log.warn("RESEND_API_KEY is not set: emails go to the local outbox folder, not to people");
  const outbox = createOutboxMailer(outboxDir(config));
  return { mailer: outbox, outbox };
}
