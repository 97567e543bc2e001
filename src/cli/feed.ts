// `npm run feed -- <file-or-url>`: prints a feed's normalised items as JSON, through exactly the code
// ingestion uses (loadFeed). Also reads local files and the sample feeds ("sample:<slug>").
// Feed title, encoding and warnings go to stderr, so stdout is pure JSON.
import { ConfigError, parseEnv } from "../config";
import { feedUserAgent, loadFeed } from "../node/feeds";

const usage = "usage: npm run feed -- <file-or-url | sample:<slug>> [--allow-private]";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const source = args.find((a) => !a.startsWith("--"));
  if (!source || args.includes("--help")) {
    console.error(usage);
    return source ? 0 : 2;
  }
  const env = parseEnv(process.env);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  const result = await loadFeed(
    { url: source },
    {
      now: new Date(),
      timeoutMs: env.FEED_TIMEOUT_MS,
      maxBytes: env.FEED_MAX_BYTES,
      allowPrivate: env.FEED_ALLOW_PRIVATE || args.includes("--allow-private"),
      userAgent: feedUserAgent(publicUrl),
      allowFiles: true,
    },
  );
  if (result.status === "error") {
    console.error(`error (${result.code}): ${result.error}`);
    return 1;
  }
  if (result.status === "not-modified") {
    console.error("not modified");
    return 0;
  }
  const { feed } = result;
  console.error(`${feed.title || "(untitled)"}: ${feed.format}, ${result.encoding}, ${feed.items.length} item(s), language ${feed.language}`);
  for (const warning of feed.warnings) console.error(`warning: ${warning}`);
  const items = feed.items.map(({ title, link, summary, published, language, author }) => ({
    title,
    link,
    summary,
    published: published.toISOString(),
    language,
    author,
  }));
  console.log(JSON.stringify(items, null, 2));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
