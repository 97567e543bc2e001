// "/dev/outbox": outside production, without RESEND_API_KEY, the emails the service "sent" are files in
// the data folder; this lists them and shows each one rendered (HTML in a sandboxed frame) and as text.
import { Hono } from "hono";
import type { Deps, OutboxReader } from "../deps";
import { Layout } from "../views/layout";
import { emailCsp } from "../http/security-headers";

export function devOutboxRoutes(outbox: OutboxReader) {
  const app = new Hono();

  app.get("/", async (c) => {
    const messages = await outbox.list();
    return c.html(
      <Layout title="Local outbox" bare>
        <h1>Local outbox</h1>
        <p class="lede">
          No RESEND_API_KEY is set, so emails are saved here instead of being sent. Newest first.
        </p>
        <div class="card">
          {messages.length === 0 ? (
            <p class="muted">Nothing yet. Subscribe on the home page, or wait for the next digest tick.</p>
          ) : (
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr>
                    <td>{m.date}</td>
                    <td>{m.to}</td>
                    <td>
                      <a href={`/dev/outbox/${encodeURIComponent(m.id)}`}>{m.subject}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </Layout>,
    );
  });

  app.get("/:id", async (c) => {
    const found = await outbox.read(c.req.param("id"));
    if (!found) return c.html(<Layout title="Not found" bare><h1>No such email</h1><p><a href="/dev/outbox">Back to the outbox</a></p></Layout>, 404);
    const { message, text, headers } = found;
    return c.html(
      <Layout title={message.subject} bare>
        <p>
          <a href="/dev/outbox">← Outbox</a>
        </p>
        <h1>{message.subject}</h1>
        <div class="card">
          <dl class="summary">
            {Object.entries(headers).map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
        </div>
        <iframe class="mail" title="The email, rendered" src={`/dev/outbox/${encodeURIComponent(message.id)}/html`} sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>
        <h2 class="spaced">Plain-text part</h2>
        <pre class="text">{text}</pre>
      </Layout>,
    );
  });

  app.get("/:id/html", async (c) => {
    const found = await outbox.read(c.req.param("id"));
    if (!found) return c.text("No such email", 404);
    c.header("Content-Security-Policy", emailCsp);
    return c.html(found.html);
  });

  return app;
}

export function hasDevOutbox(deps: Deps): deps is Deps & { outbox: OutboxReader } {
  return !deps.config.production && deps.outbox !== undefined;
}
