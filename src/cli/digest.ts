// `npm run digest -- <option>`: the digest tick by hand.
//   --now              run a tick now (plan what is due, send the queue), print its counts
//   --dry-run          plan and render what is due, write and send nothing
//   --preview <email>  render that subscriber's next digest to files under DATA_DIR/previews, send nothing
//   --limit <n>        with --now / --dry-run: at most n subscribers planned
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "../clock";
import type { Deps } from "../deps";
import { createLogger } from "../log";
import { loadConfigOrExit, openDatabase } from "../node/environment";
import { createNodeMailer } from "../node/mailer";
import { previewNextDigest } from "../digest/preview";
import { runTick } from "../digest/tick";

const usage = `Usage: npm run digest -- --now | --dry-run | --preview <email> [--limit <n>]`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: { now: { type: "boolean" }, "dry-run": { type: "boolean" }, preview: { type: "string" }, limit: { type: "string" }, help: { type: "boolean" } },
    strict: true,
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const modes = [args.now, args["dry-run"], args.preview !== undefined].filter(Boolean).length;
if (args.help || modes !== 1) {
  console.log(usage);
  process.exit(args.help ? 0 : 2);
}
const limit = args.limit === undefined ? undefined : Number(args.limit);
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
  console.error(`--limit expects a whole number of at least 1\n${usage}`);
  process.exit(2);
}

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);
const database = await openDatabase(config, createLogger("warn"));
const { mailer, outbox } = createNodeMailer(config, log);
const deps: Deps = { db: database.db, dbKind: database.kind, config, clock: systemClock, mailer, log, ...(outbox ? { outbox } : {}) };

try {
  if (args.preview !== undefined) {
    const preview = await previewNextDigest(deps, args.preview, systemClock());
    if (preview.kind === "not-found") {
      console.error(`No subscriber with the address ${preview.email}.`);
      process.exitCode = 1;
    } else if (preview.kind === "skip") {
      console.log(`The ${preview.edition} edition for ${preview.email} (due ${preview.dueAt.toISOString()}) would be skipped: ${preview.reason}.`);
    } else {
      const dir = join(resolve(config.DATA_DIR), "previews");
      await mkdir(dir, { recursive: true });
      const base = join(dir, `${preview.email.replace(/[^a-z0-9@._-]+/gi, "_")}-${preview.edition}`);
      await writeFile(`${base}.html`, preview.html);
      await writeFile(`${base}.txt`, `Subject: ${preview.subject}\n\n${preview.text}`);
      console.log(`"${preview.subject}" — the ${preview.edition} edition for ${preview.email}, ${preview.storyCount} stories:`);
      console.log(`  ${base}.html\n  ${base}.txt`);
    }
  } else {
    const result = await runTick(deps, { dryRun: Boolean(args["dry-run"]), ...(limit ? { limit } : {}) });
    console.log(
      `${args["dry-run"] ? "Dry run (nothing written or sent)" : "Tick"}: ${result.planned} planned, ${result.sent} sent, ` +
        `${result.skipped} skipped, ${result.failed} failed, ${result.missed} missed` +
        `${result.rendered !== undefined ? `, ${result.rendered} rendered` : ""} in ${(result.durationMs / 1000).toFixed(1)} s.` +
        `${result.stopped ? `\nSending stopped early: ${result.stopped}` : ""}${result.overlapped ? "\nAnother tick was running." : ""}`,
    );
    if (outbox && !args["dry-run"] && result.sent > 0) console.log(`Local outbox: ${join(resolve(config.DATA_DIR), "outbox")}`);
  }
} catch (error) {
  console.error(`Digest failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
