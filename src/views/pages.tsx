// Server-rendered pages for subscribing, confirming and leaving. They work without JavaScript.
import { Layout, MessagePage } from "./layout";
import { PreferencesFields } from "./preferences-fields";
import type { FieldErrors, RawPreferences } from "../subscriptions/preferences";

/** The subscribe form (home page, country pages): email, preferences, the button. */
export function SubscribeForm(props: { values: RawPreferences; errors: FieldErrors; offered: ReadonlySet<string>; title: string; openChosenOnly?: boolean }) {
  const { values, errors, offered, title } = props;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <div class="card" id="subscribe">
      <h2>{title}</h2>
      {hasErrors ? (
        <div class="banner error-box" role="alert">
          Please check the highlighted fields.
        </div>
      ) : null}
      <form method="post" action="/subscribe" novalidate>
        <div class="field">
          <label for="email">Email address</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            required
            value={values.email ?? ""}
            aria-describedby={errors.email ? "email-error" : undefined}
          />
          {errors.email ? (
            <p class="error" id="email-error" role="alert">
              {errors.email}
            </p>
          ) : null}
        </div>
        <PreferencesFields values={values} errors={errors} zoneChosen={Boolean(values.timeZone) && hasErrors} offered={offered} openChosenOnly={props.openChosenOnly} />
        <div class="actions">
          <button type="submit">Subscribe</button>
          <span class="muted">We'll send one email to confirm. No spam, no tracking.</span>
        </div>
      </form>
    </div>
  );
}

export function HomePage({ values, errors, offered }: { values: RawPreferences; errors: FieldErrors; offered: ReadonlySet<string> }) {
  return (
    <Layout title="World Digest">
      <h1>The world's news that American media overlook.</h1>
      <p class="lede">
        A short morning email with the stories outlets in the countries you choose are covering, and US outlets
        aren't. Translated to English, with how other countries covered the same story.
      </p>
      <ul class="points">
        <li>
          <strong>🌍 50+ countries, 150 outlets</strong>Japanese, Brazilian, Slovak, Kenyan… newsrooms, in English.
        </li>
        <li>
          <strong>🔎 Why it's overlooked</strong>Each story says who covered it, and that no US outlet we track did.
        </li>
        <li>
          <strong>🕖 In your morning</strong>Daily, weekdays or weekly, at your local time. Leave with one click.
        </li>
      </ul>
      <SubscribeForm values={values} errors={errors} offered={offered} title="Get the digest" />
    </Layout>
  );
}

export function CheckInboxPage() {
  return (
    <MessagePage title="Check your inbox" emoji="📬">
      <p>
        If this address can receive the digest, we've sent it an email. Open it and press the button inside to
        confirm (or to manage an existing subscription).
      </p>
      <p class="muted">Nothing arrived after a few minutes? Look in spam, or fill in the form again.</p>
      <p>
        <a href="/">Back to World Digest</a>
      </p>
    </MessagePage>
  );
}

export function ConfirmPage({ action, email, countries, schedule }: { action: string; email: string; countries: string; schedule: string }) {
  return (
    <MessagePage title="Confirm your subscription" emoji="✉️">
      <p>
        One last step for <strong>{email}</strong>: press the button to start receiving your digest.
      </p>
      <p>
        Countries: <strong>{countries}</strong>
        <br />
        Delivery: {schedule}
      </p>
      <form method="post" action={action}>
        <button type="submit">Confirm my subscription</button>
      </form>
      <p class="muted spaced">Not what you asked for? Don't confirm: fill in the subscribe form again instead.</p>
    </MessagePage>
  );
}

// No page reached from a link shows the manage link: the links in emails are the only way to it, so a
// forwarded confirmation or unsubscribe link is not a way into someone's settings.
export function ConfirmedPage({ schedule, already }: { schedule: string; already: boolean }) {
  return (
    <MessagePage title={already ? "You're already subscribed" : "You're subscribed"} emoji="🎉" status="ok">
      <p>Your first digest arrives on schedule: {schedule}.</p>
      <p>Every digest has a Manage link to change your countries, time or frequency, and an Unsubscribe link.</p>
    </MessagePage>
  );
}

export function UnsubscribePage({ action, pauseAction, email, paused }: { action: string; pauseAction: string; email: string; paused: boolean }) {
  return (
    <MessagePage title="Unsubscribe from World Digest?" emoji="👋">
      <p>
        <strong>{email}</strong> will stop receiving the digest.
      </p>
      <form method="post" action={action}>
        <button type="submit">Unsubscribe</button>
      </form>
      {paused ? null : (
        <form method="post" action={pauseAction} class="spaced">
          <p class="muted">Too many emails for now?</p>
          <button type="submit" class="secondary">
            Pause instead
          </button>
        </form>
      )}
      <p class="muted spaced">To change countries or how often, use the Manage link in any digest.</p>
    </MessagePage>
  );
}

export function UnsubscribedPage({ resubscribeAction }: { resubscribeAction: string }) {
  return (
    <MessagePage title="You're unsubscribed" emoji="✅">
      <p>You won't receive World Digest any more. Sorry to see you go.</p>
      <form method="post" action={resubscribeAction}>
        <button type="submit" class="secondary">
          Unsubscribed by mistake? Resubscribe
        </button>
      </form>
      <p class="muted spaced">We'll email you a link to confirm: only that link turns the digest back on.</p>
    </MessagePage>
  );
}

export function ResubscribedPage({ outcome }: { outcome: "confirmation-sent" | "unchanged" }) {
  return (
    <MessagePage title={outcome === "confirmation-sent" ? "Check your inbox" : "Nothing to change"} emoji="🌍">
      {outcome === "confirmation-sent" ? (
        <p>If this address can receive the digest, we've sent it an email. Press the button inside to confirm, and your digest is back on with the same countries and schedule.</p>
      ) : (
        <p>This subscription isn't unsubscribed, so there is nothing to resubscribe.</p>
      )}
    </MessagePage>
  );
}

export function PausedPage() {
  return (
    <MessagePage title="Deliveries are paused" emoji="⏸️" status="ok">
      <p>You won't receive the digest until you resume it, from the Manage link in any of your digests.</p>
    </MessagePage>
  );
}

/** Export, erase and the full address need a link emailed on request within the last day. */
export function FreshLinkNeededPage({ action, hours }: { action: string; hours: number }) {
  return (
    <MessagePage title="This needs a fresh link" emoji="🔐">
      <p>
        To export or erase your data, use a link we emailed you in the last {hours} hours. Links in digests can be
        forwarded, so they can't do that.
      </p>
      <form method="post" action={action}>
        <button type="submit">Email me a fresh link</button>
      </form>
      <p class="muted spaced">The fresh link replaces every earlier one: links in older emails stop working.</p>
    </MessagePage>
  );
}

export function FreshLinkSentPage() {
  return (
    <MessagePage title="We emailed you a fresh link" emoji="📬">
      <p>Open it from your inbox: it works for everything, including exporting or erasing your data for the next day.</p>
      <p class="muted">Links in earlier emails no longer work; the next digest carries new ones.</p>
    </MessagePage>
  );
}

export function ManageHelpPage() {
  return (
    <MessagePage title="Manage your subscription" emoji="🧭">
      <p>Every digest we send you has a Manage link at the bottom: open it from your inbox.</p>
      <p>Lost it? Fill in the subscribe form with your address and we'll email you the link.</p>
      <p>
        <a class="button" href="/#subscribe">
          Go to the subscribe form
        </a>
      </p>
    </MessagePage>
  );
}

const tokenMessages = {
  expired: "This confirmation link has expired (they last 7 days).",
  gone: "This link no longer works: a newer link was sent since, or the subscription it belongs to was changed or erased.",
  invalid: "This link isn't valid. It may have been cut short when it was copied.",
} as const;

export function TokenProblemPage({ problem }: { problem: keyof typeof tokenMessages }) {
  return (
    <MessagePage title="This link doesn't work" emoji="🔗">
      <p>{tokenMessages[problem]}</p>
      <p>To get a fresh link, fill in the subscribe form again with your address: we'll email you what you need.</p>
      <p>
        <a class="button" href="/#subscribe">
          Go to the subscribe form
        </a>
      </p>
    </MessagePage>
  );
}

export function ErrorPage({ title, message, requestId }: { title: string; message: string; requestId?: string }) {
  return (
    <MessagePage title={title} emoji="🧭">
      <p>{message}</p>
      {requestId ? <p class="muted">Reference: {requestId}</p> : null}
      <p>
        <a href="/">Back to World Digest</a>
      </p>
    </MessagePage>
  );
}
