// The manage page: no login, reached from the personal link in any email.
import { raw } from "hono/html";
import { Layout, MessagePage } from "./layout";
import { PreferencesFields } from "./preferences-fields";
import { countryName } from "../countries";
import { describeSchedule, type FieldErrors, type RawPreferences } from "../subscriptions/preferences";
import type { Subscriber } from "../../db/queries/subscribers";
import { maskedEmail } from "../subscriptions/mailbox";

const statusLabels: Record<string, string> = {
  pending: "Waiting for confirmation",
  active: "Active",
  paused: "Paused",
  unsubscribed: "Unsubscribed",
  bounced: "Stopped: emails to this address bounced",
  complained: "Stopped: marked as spam",
};

// Making an Intl.DateTimeFormat costs more than rendering the rest of the page: one per zone, kept.
const nextDigestFormats = new Map<string, Intl.DateTimeFormat>();
function nextDigestFormat(timeZone: string): Intl.DateTimeFormat {
  let f = nextDigestFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "full", timeStyle: "short" });
    if (nextDigestFormats.size < 1000) nextDigestFormats.set(timeZone, f);
  }
  return f;
}

export interface ManagePageProps {
  subscriber: Subscriber;
  base: string;
  unsubscribeUrl: string;
  values: RawPreferences;
  errors: FieldErrors;
  notice?: string;
  /** The link was emailed on request within the last day: full address, export and erase. */
  fresh: boolean;
  freshForHours: number;
  /** Countries with a working source; the subscriber's own choices are shown whatever it holds. */
  offered: ReadonlySet<string>;
}

export function ManagePage({ subscriber, base, unsubscribeUrl, values, errors, notice, fresh, freshForHours, offered }: ManagePageProps) {
  const hasErrors = Object.keys(errors).length > 0;
  const s = subscriber;
  return (
    <Layout title="Manage your subscription" bare>
      <h1>Your World Digest</h1>
      {notice ? (
        <div class="banner ok" role="status">
          {notice}
        </div>
      ) : null}
      <div class="card">
        <dl class="summary">
          <dt>Email</dt>
          <dd>{fresh ? s.email : maskedEmail(s.email)}</dd>
          <dt>Status</dt>
          <dd>
            <span class="status">{statusLabels[s.status] ?? s.status}</span>
          </dd>
          <dt>Countries</dt>
          <dd>{s.countries.map(countryName).join(", ")}</dd>
          <dt>Delivery</dt>
          <dd>{describeSchedule(s)}</dd>
          {s.status === "active" && s.nextSendAt ? (
            <>
              <dt>Next digest</dt>
              <dd>
                {nextDigestFormat(s.timeZone).format(s.nextSendAt)}
              </dd>
            </>
          ) : null}
        </dl>
        <div class="actions">
          {s.status === "active" ? (
            <form method="post" action={`${base}/pause`}>
              <button type="submit" class="secondary">
                Pause deliveries
              </button>
            </form>
          ) : null}
          {s.status === "paused" ? (
            <form method="post" action={`${base}/resume`}>
              <button type="submit">Resume deliveries</button>
            </form>
          ) : null}
        </div>
      </div>

      <div class="card">
        <h2>Change your digest</h2>
        {hasErrors ? (
          <div class="banner error-box" role="alert">
            Please check the highlighted fields. Nothing was changed.
          </div>
        ) : null}
        <form method="post" action={base} novalidate>
          <PreferencesFields values={values} errors={errors} zoneChosen offered={offered} />
          <div class="actions">
            <button type="submit">Save changes</button>
          </div>
        </form>
      </div>

      <div class="card">
        <h2>Your data</h2>
        {fresh ? (
          <>
            <p class="muted">Download everything we keep about you, or erase it for good.</p>
            <div class="actions">
              <a class="button secondary" href={`${base}/export`} download="world-digest-data.json">
                Export my data (JSON)
              </a>
              <a class="button secondary" href={`${base}/delete`}>
                Delete everything{raw("&#x2026;")}
              </a>
              <a href={unsubscribeUrl}>Unsubscribe</a>
            </div>
          </>
        ) : (
          <>
            <p class="muted">
              To see your full address, export or erase your data, use a link we emailed you in the last {freshForHours}{" "}
              hours: links in digests can be forwarded, so they can't. A fresh link also ends every earlier one, those in
              old or forwarded emails included; the next digest carries new ones.
            </p>
            <div class="actions">
              <form method="post" action={`${base}/fresh-link`}>
                <button type="submit" class="secondary">
                  Email me a fresh link
                </button>
              </form>
              <a href={unsubscribeUrl}>Unsubscribe</a>
            </div>
          </>
        )}
      </div>

      {fresh ? (
      <div class="card">
        <h2>Your links</h2>
        <p class="muted">
          Forwarded one of our emails, or not sure who has your links? A fresh link ends every earlier one, those in
          old digests included; the next digest carries new ones.
        </p>
        <form method="post" action={`${base}/fresh-link`}>
          <button type="submit" class="secondary">
            Send me a fresh link
          </button>
        </form>
      </div>
      ) : null}
    </Layout>
  );
}

export function DeleteConfirmPage({ action, email, cancel }: { action: string; email: string; cancel: string }) {
  return (
    <MessagePage title="Delete everything?" emoji="🗑️">
      <p>
        This erases <strong>{email}</strong>, your preferences and the history of digests we sent you. It can't be
        undone. Links in earlier emails will stop working.
      </p>
      <form method="post" action={action} data-confirm="Erase your subscription and all its data?">
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions centered">
          <button type="submit" class="danger">
            Yes, delete everything
          </button>
          <a href={cancel}>Keep my subscription</a>
        </div>
      </form>
    </MessagePage>
  );
}

export function DeletedPage() {
  return (
    <MessagePage title="Everything is deleted" emoji="🧹">
      <p>Your address, preferences and history are gone. You won't hear from us again.</p>
      <p>
        <a href="/">Back to World Digest</a>
      </p>
    </MessagePage>
  );
}
