// The frame of every page: header, main, footer. Styles and script are served from /assets (strict CSP).
import type { Child } from "hono/jsx";
import { raw } from "hono/html";

export interface LayoutProps {
  title: string;
  children?: Child;
  /** Hide the nav (e.g. on token pages). */
  bare?: boolean;
}

// Without the doctype every page rendered in quirks mode (document.compatMode "BackCompat").
const doctype = raw("<!DOCTYPE html>");

export function Layout({ title, children, bare }: LayoutProps) {
  return (
    <>
      {doctype}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <meta name="referrer" content="no-referrer" />
          <title>{title === "World Digest" ? title : `${title} · World Digest`}</title>
          <link rel="stylesheet" href="/assets/app.css" />
          <script src="/assets/app.js" defer></script>
        </head>
        <body>
          <a class="skip" href="#main">Skip to content</a>
          <header class="site">
            <div class="inner">
              <a class="brand" href="/">
                World <span>Digest</span>
              </a>
              {bare ? null : (
                <nav aria-label="Site">
                  <a href="/countries">Countries</a>
                  <a href="/#subscribe">Subscribe</a>
                </nav>
              )}
            </div>
          </header>
          <main id="main">{children}</main>
          <footer class="site">
            <div class="inner">
              World Digest emails you the international stories American media overlook, from the countries you
              choose. No tracking pixels, no account, leave with one click.
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

/** A page with one message and an optional way forward. */
export function MessagePage(props: { title: string; emoji?: string; children?: Child; status?: "ok" | "error" }) {
  return (
    <Layout title={props.title} bare>
      <div class="card center">
        {props.emoji ? (
          <div class="big-emoji" aria-hidden="true">
            {props.emoji}
          </div>
        ) : null}
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}
