// The benchmark's result: the machine it ran on, the figures, the targets of issue 6 and whether each
// was met, as a JSON document (bench/results/<date>.json) and as a Markdown table (printed, and pasted
// into README's Performance section).
import { cpus, totalmem, availableParallelism, release } from "node:os";
import type { IngestFigures } from "./ingest";
import { describeMakeup, type MorningFigures } from "./morning";
import type { RenderFigures } from "./render-only";
import type { EndpointFigures } from "./web";
import type { WebDuringMorningFigures } from "./web-during-morning";

export interface Machine {
  cores: number;
  cpu: string;
  ramGb: number;
  node: string;
  os: string;
  postgres: string | null;
}

export interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface BenchResult {
  version: 1;
  date: string;
  smoke: boolean;
  machine: Machine;
  settings: Record<string, unknown>;
  morning: { postgres?: MorningFigures; pglite?: MorningFigures };
  /** Rendering alone (bench/digest-render.ts). */
  rendering: RenderFigures | null;
  ingestion: IngestFigures[];
  web: { database: string; endpoints: EndpointFigures[] } | null;
  /** The manage page while separate processes send a morning (PostgreSQL only; absent in older results). */
  webDuringMorning?: WebDuringMorningFigures | null;
  targets: Target[];
}

export function machine(postgres: string | null): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    ramGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `Linux ${release()}`,
    postgres,
  };
}

const n = (x: number) => x.toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function targetsOf(result: Omit<BenchResult, "targets">): Target[] {
  const out: Target[] = [];
  const pg = result.morning.postgres;
  if (pg) {
    out.push({ name: `Morning run, PostgreSQL, ${n(pg.world.subscribers)} subscribers`, target: "≤ 30 s for 100,000", value: `${s(pg.run.wallMs)} (${n(pg.run.digestsPerSecond)}/s)`, met: pg.run.wallMs <= 30_000 * (pg.world.subscribers / 100_000) && pg.check.ok });
    out.push({ name: "Peak RSS of a sending process", target: "< 300 MB", value: `${pg.run.peakRssMb} MB`, met: pg.run.peakRssMb < 300 });
    if (pg.naive) out.push({ name: "Faster than naive rendering: the whole run", target: "≥ 20×", value: `${pg.naive.ratio}×`, met: pg.naive.ratio >= 20 });
  }
  const r = result.rendering;
  if (r) out.push({ name: "Faster than naive rendering: rendering alone", target: "≥ 20×", value: `${r.speedupFresh.toFixed(0)}× (fresh renderer, ${n(r.digests)} digests)`, met: r.speedupFresh >= 20 });
  const lite = result.morning.pglite;
  if (lite) out.push({ name: `Morning run, PGlite, ${n(lite.world.subscribers)} subscribers`, target: "≤ 10 s for 10,000", value: s(lite.run.wallMs), met: lite.run.wallMs <= 10_000 * (lite.world.subscribers / 10_000) && lite.check.ok });
  for (const i of result.ingestion) {
    out.push({ name: `Ingestion, ${i.feeds} × ${i.items} items, ${i.database}`, target: "≤ 2 s", value: s(i.firstRunMs), met: i.firstRunMs <= 2_000 });
  }
  const manage = result.web?.endpoints.find((e) => e.endpoint.startsWith("GET /manage"));
  if (manage) {
    out.push({ name: `Manage page (${result.web!.database})`, target: "≥ 2,000 req/s, p99 < 50 ms", value: `${n(manage.requestsPerSecond)} req/s, p99 ${manage.p99Ms} ms`, met: manage.requestsPerSecond >= 2_000 && manage.p99Ms < 50 && manage.non2xx === 0 && manage.errors === 0 });
  }
  const wm = result.webDuringMorning;
  if (wm) {
    const clean = wm.sending.non2xx === 0 && wm.sending.errors === 0 && wm.idle.non2xx === 0 && wm.idle.errors === 0;
    out.push({
      name: `Manage page while ${n(wm.subscribers)} digests are sent by ${wm.sendingProcesses} separate process${wm.sendingProcesses === 1 ? "" : "es"} (PostgreSQL)`,
      target: "p99 < 100 ms",
      value: `p99 ${wm.sending.p99Ms} ms (nothing sending: ${wm.idle.p99Ms} ms)`,
      met: wm.sending.p99Ms < 100 && wm.sending.requests > 0 && clean && wm.morning.exactlyOnce,
    });
  }
  return out;
}

function webDuringMorningRows(wm: WebDuringMorningFigures): string[] {
  const page = (p: WebDuringMorningFigures["idle"]) => `p50 ${p.p50Ms} ms, p99 **${p.p99Ms} ms**, slowest ${p.maxMs} ms (${n(p.requests)} requests; non-2xx ${p.non2xx}, errors ${p.errors})`;
  const what = `GET /manage/<token> at ${wm.rate} req/s over ${wm.connections} connections`;
  return [
    `| Web PostgreSQL, separate web process, nothing sending: ${what}, ${wm.durationS} s | ${page(wm.idle)} |`,
    `| Web PostgreSQL, the same while ${wm.sendingProcesses} separate sending processes${wm.senderNice ? ` (nice ${wm.senderNice})` : ""} send ${n(wm.subscribers)} digests (responses that ended during the morning) | ${page(wm.sending)} |`,
    `| ↳ that morning | ${n(wm.morning.digests)} digests in ${s(wm.morning.wallMs)}; ${wm.morning.exactlyOnce ? "each exactly once, nothing left queued" : "NOT exactly once"} |`,
  ];
}

function morningRows(m: MorningFigures): string[] {
  const rows = [
    `| Morning run, ${m.database}: ${n(m.world.subscribers)} subscribers, ${m.run.processes} sending process${m.run.processes === 1 ? "" : "es"}${m.nodeFlags?.length ? ` (node ${m.nodeFlags.join(" ")})` : ""} | ${n(m.run.digests)} digests in ${s(m.run.wallMs)} — **${n(m.run.digestsPerSecond)} digests/s** |`,
    `| ↳ peak RSS per sending process | ${m.run.rssPerProcessMb.map((x) => `${x} MB`).join(", ")} (${m.run.readyRssMb.map((x) => `${x} MB`).join(", ")} when ready, before the tick) |`,
    ...(m.run.atPeakMb?.length
      ? [`| ↳ memory at the peak (sampled every 20 ms) | ${m.run.atPeakMb.map(describeMakeup).join("; ")} |`]
      : []),
    `| ↳ database statements per 1,000 digests | ${m.run.statementsPer1000} (${n(m.run.statements)} in all, begin/commit included) |`,
    `| ↳ CPU time | sending processes ${s(m.run.cpuMs)}${m.run.postgresCpuMs !== null ? `, PostgreSQL ${s(m.run.postgresCpuMs)}` : ""}, fake Resend ${s(m.run.fakeResendCpuMs)} (${n(m.run.providerRequests)} calls, ${n(Math.round(m.run.bytesPerDigest / 1024))} KB per email on the wire) |`,
    `| ↳ checked | ${m.check.ok ? "every due subscriber got exactly one email; nothing left queued" : `NOT OK: ${JSON.stringify(m.check)}`} (${n(m.run.skipped)} skipped: nothing new) |`,
  ];
  if (m.naive) {
    rows.push(
      `| Naive rendering (one full React Email render per digest), ${n(m.naive.sample)}-subscriber sample | ${m.naive.msPerDigest} ms/digest vs ${m.naive.fastMsPerDigest} ms → **${m.naive.ratio}× slower**; ${s(m.naive.extrapolatedMs)} extrapolated to ${n(m.run.digests)} |`,
    );
  }
  return rows;
}

export function markdownTable(result: BenchResult): string {
  const rows = ["| Measure | Result |", "|---|---|"];
  if (result.morning.postgres) rows.push(...morningRows(result.morning.postgres));
  if (result.morning.pglite) rows.push(...morningRows(result.morning.pglite));
  if (result.rendering) {
    const r = result.rendering;
    rows.push(`| Rendering alone: a fresh renderer assembling ${n(r.digests)} digests (one sending process's share; ${r.storiesPerDigest.toFixed(1)} stories each) vs a full React Email render per digest (timed on ${n(r.fullSample)}) | ${r.assembledFreshMs.toFixed(3)} ms vs ${r.fullMs.toFixed(3)} ms per digest (**${r.speedupFresh.toFixed(0)}×**); ${r.assembledCachedMs.toFixed(3)} ms once every part is cached (${r.speedupCached.toFixed(0)}×)${r.retainedBytesPerEmail ? `; a composed email keeps ${n(r.retainedBytesPerEmail)} bytes of V8 heap while its batch waits for the provider` : ""} |`);
  }
  for (const i of result.ingestion) {
    rows.push(`| Ingestion, ${i.database}: ${i.feeds} feeds × ${i.items} items from disk (parse, normalise, store, group, score) | ${s(i.firstRunMs)} (parsing ${s(i.parseMs)}, storing ${s(i.firstRun.sourcesMs)}, grouping and scoring ${s(i.firstRun.clusterMs)}); ${n(i.firstRun.articles)} articles → ${n(i.firstRun.stories)} stories; second run ${s(i.secondRunMs)} |`);
  }
  for (const e of result.web?.endpoints ?? []) {
    const extra = e.repeated ? `; ${n(e.repeated)} re-unsubscribed an already unsubscribed reader` : "";
    rows.push(`| Web ${result.web!.database}, ${e.endpoint}, ${result.settings.connections} connections × ${result.settings.webSeconds} s | **${n(e.requestsPerSecond)} req/s**, p50 ${e.p50Ms} ms, p99 ${e.p99Ms} ms (${n(e.requests)} requests, ${n(e.distinctSubscribers)} ${e.distinctWhat ?? "subscribers"}${extra}; non-2xx ${e.non2xx}, errors ${e.errors}) |`);
  }
  if (result.webDuringMorning) rows.push(...webDuringMorningRows(result.webDuringMorning));
  const targets = ["| Target | Wanted | Measured | Met |", "|---|---|---|---|", ...result.targets.map((t) => `| ${t.name} | ${t.target} | ${t.value} | ${t.met ? "yes" : "**no**"} |`)];
  const m = result.machine;
  const where = `Machine: ${m.cores} cores (${m.cpu}), ${m.ramGb} GB RAM, ${m.os}, Node ${m.node}, ${m.postgres ?? "no PostgreSQL"}. ${result.date}${result.smoke ? " (smoke run)" : ""}.`;
  return `${where}\n\n${rows.join("\n")}\n\n${targets.join("\n")}\n`;
}
