// Articles stored untranslated because translation stopped for a run (quota, rate limit) are translated on
// a later run: up to a bound per run, newest first, only while they can still join a story (published within
// the grouping window). Their original title and summary are translated; the English text replaces the
// kept original, and the caller regroups them from the oldest one's publication time, since their story may
// change with the new text. Shares the run's TranslationRun: a stop while translating new items leaves
// these for the next run, and a stop here leaves the rest.
import type { Db } from "../../db/client";
import { saveTranslations, untranslatedArticles } from "../../db/queries/articles";
import type { Logger } from "../log";
import { WINDOW_HOURS } from "../stories/cluster";
import { rememberProfiles } from "./article-profiles";
import { translateItems, type TranslationRun } from "./translate-items";

const HOUR = 3_600_000;

export interface RetranslateResult {
  /** Articles now translated. */
  retranslated: number;
  /** Publication time of the oldest of them (null when none): grouping must look again from there. */
  oldestPublishedAt: Date | null;
}

export async function retranslateArticles(
  ctx: { db: Db; log: Logger; now: Date },
  run: TranslationRun,
  limit: number,
): Promise<RetranslateResult> {
  const none: RetranslateResult = { retranslated: 0, oldestPublishedAt: null };
  if (limit <= 0 || !run.translator || run.stoppedBecause) return none;
  const rows = await untranslatedArticles(ctx.db, new Date(ctx.now.getTime() - WINDOW_HOURS * HOUR), limit);
  if (rows.length === 0) return none;

  const english = await translateItems(
    run,
    rows.map((r) => ({ title: r.originalTitle, summary: r.originalSummary, language: r.language })),
    ctx.log,
  );
  const done = rows.flatMap((r, k) => (english[k]!.translated ? [{ ...r, title: english[k]!.title, summary: english[k]!.summary }] : []));
  const saved = new Set(await saveTranslations(ctx.db, done));
  const changed = done.filter((r) => saved.has(r.id));
  // Profiled now from the English text (as storeArticles does for new articles); the cache would notice
  // the changed title anyway, this only moves the work ahead of the grouping.
  rememberProfiles(changed);
  ctx.log.info("untranslated articles translated", { asked: rows.length, translated: changed.length, stoppedBecause: run.stoppedBecause });
  return {
    retranslated: changed.length,
    oldestPublishedAt: changed.length === 0 ? null : new Date(Math.min(...changed.map((r) => r.publishedAt.getTime()))),
  };
}
