// The whole database in one file: every table World Digest keeps.
// Changing it? Run `npm run db:generate` (regenerates db/migrations from this file).
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** pending → active ⇄ paused → unsubscribed; bounced / complained are set by the webhook. */
export const subscriberStatuses = ["pending", "active", "paused", "unsubscribed", "bounced", "complained"] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];

export const frequencies = ["daily", "weekdays", "weekly"] as const;
export type Frequency = (typeof frequencies)[number];

export const subscribers = pgTable(
  "subscribers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-cased, trimmed. */
    email: text("email").notNull(),
    status: text("status").$type<SubscriberStatus>().notNull().default("pending"),
    /** ISO 3166-1 alpha-2 codes from src/countries.ts. */
    countries: text("countries").array().notNull(),
    frequency: text("frequency").$type<Frequency>().notNull().default("daily"),
    /** 0 = Sunday … 6 = Saturday; only for weekly. */
    weeklyDay: smallint("weekly_day"),
    /** Local delivery time, "HH:MM". */
    deliveryTime: text("delivery_time").notNull().default("07:00"),
    /** IANA zone, e.g. "America/Chicago". */
    timeZone: text("time_zone").notNull(),
    /** The next instant (UTC) a digest is due; null while not active. */
    nextSendAt: ts("next_send_at"),
    /** When the previous edition was planned (stories are taken since then). */
    lastEditionAt: ts("last_edition_at"),
    /**
     * Bumped to end every link issued before: by each new confirmation request, unsubscribing, and
     * "send me a fresh link" (src/subscriptions/link-policy.ts).
     */
    tokenVersion: integer("token_version").notNull().default(1),
    /** "web" or "api" (the news app). */
    origin: text("origin").notNull().default("web"),
    confirmationSentAt: ts("confirmation_sent_at"),
    confirmedAt: ts("confirmed_at"),
    unsubscribedAt: ts("unsubscribed_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscribers_email_key").on(t.email),
    index("subscribers_due_idx").on(t.nextSendAt).where(sql`${t.status} = 'active'`),
    // Requests never confirmed are purged once their link has expired: found through this, not a scan.
    index("subscribers_pending_idx").on(t.confirmationSentAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** What a subscribe request asked for, as queued (src/subscriptions/preferences.ts validated it). */
export interface QueuedPreferences {
  countries: string[];
  frequency: Frequency;
  weeklyDay: number | null;
  deliveryTime: string;
  timeZone: string;
}

/**
 * subscribe: a form's request, decided when drained (so the form answers in the same time whatever the
 * address's state); confirm, manage-link (the form, filled in again by an active reader), fresh-link
 * (asked for from the manage page): an email owed to a subscriber.
 */
export const queuedMailKinds = ["subscribe", "confirm", "manage-link", "fresh-link"] as const;
export type QueuedMailKind = (typeof queuedMailKinds)[number];

/**
 * Service emails (confirmations, manage links) and the subscribe requests they come from, sent after the
 * answer by the job runner (Node) or waitUntil and the tick trigger (Workers). A row is deleted once
 * done; a drainer that dies leaves it leased, and another takes it when the lease runs out.
 */
export const mailQueue = pgTable("mail_queue", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  kind: text("kind").$type<QueuedMailKind>().notNull(),
  /** subscribe: the canonical address and what it asked for (cleared once decided). */
  email: text("email"),
  preferences: jsonb("preferences").$type<QueuedPreferences>(),
  /** confirm, manage-link: to whom, and the token version its link carries. */
  subscriberId: uuid("subscriber_id").references(() => subscribers.id, { onDelete: "cascade" }),
  tokenVersion: integer("token_version"),
  /** Also the issue time of the link it carries: a retry sends the same bytes under the same key. */
  createdAt: ts("created_at").notNull().defaultNow(),
  leaseUntil: ts("lease_until"),
  attempts: integer("attempts").notNull().default(0),
});

/** Fixed-window counters shared by every process (rate limits). */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: ts("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * The provider's request pacing, shared by every sender (Workers queue consumers run many at once): one row
 * per provider, the instant its latest request was given. A sender reserves the next slot — the later of
 * that instant plus the spacing and now — in one statement (db/queries/send-pacing.ts).
 */
export const sendPacing = pgTable("send_pacing", {
  provider: text("provider").primaryKey(),
  lastSlotAt: ts("last_slot_at").notNull(),
});

/** Outlets: foreign sources shown in digests, and US reference outlets used only to detect coverage. */
export const sources = pgTable(
  "sources",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** ISO 3166-1 alpha-2; "US" for reference outlets. */
    country: text("country").notNull(),
    homepage: text("homepage").notNull(),
    feedUrl: text("feed_url").notNull(),
    /** BCP 47 primary language of the outlet, e.g. "ja". */
    language: text("language").notNull(),
    isReference: boolean("is_reference").notNull().default(false),
    isSample: boolean("is_sample").notNull().default(false),
    enabled: boolean("enabled").notNull().default(true),
    etag: text("etag"),
    lastModified: text("last_modified"),
    lastFetchedAt: ts("last_fetched_at"),
    lastSuccessAt: ts("last_success_at"),
    lastError: text("last_error"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** Backoff: not fetched again before this instant. */
    nextFetchAt: ts("next_fetch_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sources_slug_key").on(t.slug)],
);

/** Groups of articles about the same event (possibly across countries). */
export const stories = pgTable(
  "stories",
  {
    id: serial("id").primaryKey(),
    /** Representative English title (from the earliest / most central article). */
    title: text("title").notNull(),
    firstSeenAt: ts("first_seen_at").notNull(),
    lastArticleAt: ts("last_article_at").notNull(),
    /** Foreign (non-reference) coverage. */
    articleCount: integer("article_count").notNull().default(0),
    outletCount: integer("outlet_count").notNull().default(0),
    countryCount: integer("country_count").notNull().default(0),
    countries: text("countries").array().notNull().default(sql`'{}'::text[]`),
    /** How many US reference outlets covered it in the same period. */
    usOutletCount: integer("us_outlet_count").notNull().default(0),
    overlookedScore: real("overlooked_score").notNull().default(0),
    overlookedReason: text("overlooked_reason").notNull().default(""),
    isSample: boolean("is_sample").notNull().default(false),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("stories_last_article_idx").on(t.lastArticleAt)],
);

export const articles = pgTable(
  "articles",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sourceId: integer("source_id").references(() => sources.id, { onDelete: "set null" }),
    storyId: integer("story_id").references(() => stories.id, { onDelete: "set null" }),
    /** Canonical URL (tracking parameters removed); unique. */
    url: text("url").notNull(),
    guid: text("guid"),
    /** English (translated when `translated`). */
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    originalTitle: text("original_title").notNull(),
    /** The outlet gave no title: the title is the first sentence of the item's text (src/feeds/derived-title.ts). */
    titleDerived: boolean("title_derived").notNull().default(false),
    originalSummary: text("original_summary").notNull().default(""),
    /** Language of the original, BCP 47 primary tag. */
    language: text("language").notNull(),
    /** True when title/summary are a machine translation; false when original English or untranslated. */
    translated: boolean("translated").notNull().default(false),
    /** Non-English text that could not be translated (kept as is). */
    untranslated: boolean("untranslated").notNull().default(false),
    country: text("country").notNull(),
    outlet: text("outlet").notNull(),
    isReference: boolean("is_reference").notNull().default(false),
    isSample: boolean("is_sample").notNull().default(false),
    author: text("author"),
    publishedAt: ts("published_at").notNull(),
    fetchedAt: ts("fetched_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("articles_url_key").on(t.url),
    // A feed's guid identifies an item within that feed (null guids never collide): dedupe by (source, guid).
    uniqueIndex("articles_source_guid_key").on(t.sourceId, t.guid),
    index("articles_published_idx").on(t.publishedAt),
    index("articles_story_idx").on(t.storyId),
  ],
);

/**
 * Float32 values, little-endian, as bytes. Not real[]: 4 bytes a dimension either way on disk, but a
 * real[] crosses the wire as decimal text that both drivers parse number by number (a 1,024-dimension
 * vector ~11 KB of text), while bytea comes back as bytes on PGlite and postgres.js alike and is read
 * with one DataView pass. See db/queries/article-embeddings.ts.
 */
const float32Bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * An article's meaning as a vector from the configured embedding model (src/embeddings/), computed once
 * and kept with the model's name: a vector of another model is never compared with it.
 */
export const articleEmbeddings = pgTable("article_embeddings", {
  articleId: bigint("article_id", { mode: "number" })
    .primaryKey()
    .references(() => articles.id, { onDelete: "cascade" }),
  model: text("model").notNull(),
  vector: float32Bytes("vector").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** One story of a delivery as planned: article ids refer to `articles`. */
export type DeliveryLayout = Array<{ story: number; country: string; lead: number; alternatives: number[] }>;

export const deliveryStatuses = ["queued", "sending", "sent", "failed", "skipped", "missed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One row per subscriber and edition (the subscriber's local date): the unit of exactly-once sending. */
export const deliveries = pgTable(
  "deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    /** The subscriber's local date of the edition, "YYYY-MM-DD". */
    edition: text("edition").notNull(),
    /** The instant the edition was due. */
    dueAt: ts("due_at").notNull(),
    status: text("status").$type<DeliveryStatus>().notNull().default("queued"),
    /** Stories chosen for this edition, in order (fixed when planned, so a retry sends the same thing). */
    storyIds: integer("story_ids").array().notNull().default(sql`'{}'::int[]`),
    /**
     * How each chosen story is shown (the country it is under, the lead article and the alternative takes),
     * in story order: a retry, another worker or "view in browser" rebuilds exactly the planned email.
     */
    layout: jsonb("layout").$type<DeliveryLayout>().notNull().default(sql`'[]'::jsonb`),
    /** Worker lease while status = 'sending'. */
    leaseUntil: ts("lease_until"),
    attempts: integer("attempts").notNull().default(0),
    /** Idempotency key of the provider batch this delivery was (last) sent in. */
    batchKey: text("batch_key"),
    providerMessageId: text("provider_message_id"),
    /** Why skipped / missed / failed. */
    reason: text("reason"),
    subject: text("subject"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    uniqueIndex("deliveries_subscriber_edition_key").on(t.subscriberId, t.edition),
    // Partial: a delivery is in the work index only while it is queued or sending, and in the provider-id
    // index only once it has an id — every write of the morning run adds fewer index entries.
    index("deliveries_status_idx").on(t.status, t.leaseUntil).where(sql`${t.status} in ('queued', 'sending')`),
    index("deliveries_provider_id_idx").on(t.providerMessageId).where(sql`${t.providerMessageId} is not null`),
    // How the sending phase finds a batch (record outcomes, release, requeue, re-claim). Without it the
    // planner, holding statistics from before the morning's inserts, walks every row in `sending` through
    // the status index for each batch of 100: quadratic in the deliveries in flight.
    index("deliveries_batch_idx").on(t.batchKey).where(sql`${t.status} = 'sending'`),
  ],
);

/** Addresses that must never be mailed again (bounces, complaints). */
export const suppressions = pgTable("suppressions", {
  email: text("email").primaryKey(),
  reason: text("reason").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** Provider webhook events, keyed by svix-id so a redelivery is a no-op. */
export const webhookEvents = pgTable("webhook_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  email: text("email"),
  providerMessageId: text("provider_message_id"),
  receivedAt: ts("received_at").notNull().defaultNow(),
  payload: jsonb("payload").notNull(),
});
