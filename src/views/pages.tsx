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

export function ConfirmPage({ action, email }: { action: string; email: string }) {
  return (
    <MessagePage title="Confirm your subscription" emoji="✉️">
      <p>
        One last step for <strong>{email}</strong>: press the button to start receiving your digest.
      </p>
      <form method="post" action={action}>
        <button type="submit">Confirm my subscription</button>
      </form>
    </MessagePage>
  );
}

export function ConfirmedPage({ manageUrl, schedule, already }: { manageUrl: string; schedule: string; already: boolean }) {
  return (
    <MessagePage title={already ? "You're already subscribed" : "You're subscribed"} emoji="🎉" status="ok">
      <p>Your first digest arrives on schedule: {schedule}.</p>
      <p>Every email has a link to change your countries, time or frequency, or to leave.</p>
      <p>
        <a class="button secondary" href={manageUrl}>
          Manage my subscription
        </a>
      </p>
    </MessagePage>
  );
}

export function UnsubscribePage({ action, manageUrl, email }: { action: string; manageUrl: string; email: string }) {
  return (
    <MessagePage title="Unsubscribe from World Digest?" emoji="👋">
      <p>
        <strong>{email}</strong> will stop receiving the digest.
      </p>
      <form method="post" action={action}>
        <button type="submit">Unsubscribe</button>
      </form>
      <p class="muted spaced">
        Too many emails? <a href={manageUrl}>Or change how often instead</a> — weekly, weekdays, or pause for a while.
      </p>
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
    </MessagePage>
  );
}

export function ResubscribedPage({ outcome, manageUrl }: { outcome: "active" | "confirmation-sent" | "unchanged"; manageUrl: string }) {
  return (
    <MessagePage title={outcome === "confirmation-sent" ? "Check your inbox" : "Welcome back"} emoji="🌍">
      {outcome === "confirmation-sent" ? (
        <p>We've sent you an email to confirm the subscription.</p>
      ) : (
        <p>Your digest is back on, with the same countries and schedule.</p>
      )}
      <p>
        <a href={manageUrl}>Manage my subscription</a>
      </p>
    </MessagePage>
  );
}

const tokenMessages = {
  expired: "This confirmation link has expired (they last 7 days).",
  gone: "This link no longer works: the subscription it belongs to was changed or erased.",
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
