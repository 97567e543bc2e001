// What the app and the jobs are given, never reach for: database, clock, mailer, translator, config, log.
import type { Db } from "../db/client";
import type { Clock } from "./clock";
import type { Config } from "./config";
import type { Logger } from "./log";
import type { Embedder } from "./embeddings/embedder";
import type { Mailer } from "./mail/mailer";

export interface Deps {
  db: Db;
  /** "pglite" has a single session: keep slow I/O (provider calls) out of transactions. */
  dbKind: "pglite" | "postgres";
  config: Config;
  clock: Clock;
  mailer: Mailer;
  log: Logger;
  /** The embedding model for story grouping's optional meaning measure; absent or null: lexical only. */
  embedder?: Embedder | null;
  /** Node only: reads the local outbox for /dev/outbox (absent on Workers and in production). */
  outbox?: OutboxReader;
  /**
   * Something was put in the mail queue: have it sent after the answer (Node: the job runner's drainer;
   * Workers: waitUntil). Absent in tests, which drain the queue themselves.
   */
  mailQueued?: () => void;
}

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  date: string;
}

export interface OutboxReader {
  list(): Promise<OutboxMessage[]>;
  read(id: string): Promise<{ message: OutboxMessage; html: string; text: string; headers: Record<string, string> } | null>;
}
