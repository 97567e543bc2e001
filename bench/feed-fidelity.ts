// Feed fidelity, measured as a user sees it: `npm run feed -- FILE` on every fixture of
// test/fixtures/feed-fidelity (one process per feed, two at a time), its JSON compared field by field with
// what the fixture expects. Prints the misses and a table by kind:
//   npm run feeds:fidelity                # every case
//   npm run feeds:fidelity -- base64      # only the cases of these kinds
// Asserts nothing (test/feeds-fidelity.test.ts does, in process); exits 1 when a case reads wrong.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compareCase, fidelityCases, fidelityDir, type CaseResult, type FeedOutcome, type PrintedItem } from "../test/helpers/feed-fidelity";

const repo = fileURLToPath(new URL("../", import.meta.url));

function runFeedCli(file: string): Promise<FeedOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "feed", "--", `${fidelityDir}${file}`], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        try {
          resolve({ items: JSON.parse(stdout) as PrintedItem[] });
        } catch {
          resolve({ error: `stdout is not JSON: ${stdout.slice(0, 200)}` });
        }
      } else {
        resolve({ error: stderr.trim().split("\n").pop() ?? `exit ${code}` });
      }
    });
  });
}

const kinds = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const cases = fidelityCases().filter((c) => kinds.length === 0 || kinds.includes(c.kind));
const results: CaseResult[] = new Array(cases.length);
let next = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: 2 }, async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = compareCase(cases[i]!, await runFeedCli(cases[i]!.file));
    }
  }),
);

for (const r of results.filter((r) => r.misses.length > 0)) {
  console.log(`✗ ${r.case.file} — ${r.case.about}`);
  for (const m of r.misses) console.log(`    ${m}`);
}
const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)} %`);
const rows = [...new Set(results.map((r) => r.case.kind))].map((kind) => {
  const of = results.filter((r) => r.case.kind === kind);
  const right = of.filter((r) => r.misses.length === 0).length;
  const fields = of.reduce((n, r) => n + r.fields, 0);
  const fieldsRight = of.reduce((n, r) => n + r.fields - Math.min(r.fields, r.misses.length), 0);
  return { kind, cases: of.length, right, fields, fieldsRight };
});
const total = rows.reduce((t, r) => ({ kind: "all", cases: t.cases + r.cases, right: t.right + r.right, fields: t.fields + r.fields, fieldsRight: t.fieldsRight + r.fieldsRight }), { kind: "all", cases: 0, right: 0, fields: 0, fieldsRight: 0 });
console.log("\n| kind | feeds read right | fields right |\n|---|---|---|");
for (const r of [...rows, total]) console.log(`| ${r.kind} | ${r.right} of ${r.cases} (${pct(r.right, r.cases)}) | ${r.fieldsRight} of ${r.fields} (${pct(r.fieldsRight, r.fields)}) |`);
console.log(`\n${cases.length} feeds through \`npm run feed\` in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = total.right === total.cases ? 0 : 1;
