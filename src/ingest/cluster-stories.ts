// The shell around the pure clustering and scoring: read the window, plan, write stories, count coverage,
// score. Runs in one transaction holding an advisory lock, so two processes (or two overlapping runs)
// never place the same articles twice; fetching and inserting articles need no lock.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { articlesForClustering, attachArticles, oldestUnclusteredAt } from "../../db/queries/articles";
import { countTrackedUsOutlets } from "../../db/queries/sources";
import { insertStories, reserveStoryIds, saveStories, storyCoverage, type NewStoryRow } from "../../db/queries/stories";
import { WINDOW_HOURS, planClusters } from "../stories/cluster";
import { scoreOverlooked } from "../stories/overlooked";

const CLUSTER_LOCK = 727_002;
const HOUR = 3_600_000;

export interface ClusterSummary {
  articlesPlaced: number;
  storiesCreated: number;
  storiesUpdated: number;
}

/** Places every article not yet in a story, then rescores each story that gained articles. */
export async function clusterPendingArticles(db: Db, now: Date): Promise<ClusterSummary> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLUSTER_LOCK})`);
    const oldest = await oldestUnclusteredAt(tx);
    if (!oldest) return { articlesPlaced: 0, storiesCreated: 0, storiesUpdated: 0 };

    // Every article within the time window of the oldest pending one: the stories it may join, and the
    // corpus the IDF is taken over.
    const rows = await articlesForClustering(tx, new Date(oldest.getTime() - WINDOW_HOURS * HOUR));
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Sample (demo) and real articles never share a story.
    const plans = [
      ...planClusters(rows.filter((r) => !r.isSample)),
      ...planClusters(rows.filter((r) => r.isSample)),
    ];

    // New stories get their ids first, so every write below is one statement per chunk.
    const fresh = plans.filter((p) => p.storyId === null);
    const ids = await reserveStoryIds(tx, fresh.length);
    const newRows: NewStoryRow[] = fresh.map((plan, k) => {
      const members = plan.addArticleIds.map((id) => byId.get(id)!);
      const times = members.map((r) => r.publishedAt.getTime());
      return {
        id: ids[k]!,
        title: plan.title,
        firstSeenAt: new Date(Math.min(...times)),
        lastArticleAt: new Date(Math.max(...times)),
        isSample: members.every((r) => r.isSample),
      };
    });
    await insertStories(tx, newRows);
    let k = 0;
    const storyOf = plans.map((p) => p.storyId ?? newRows[k++]!.id);
    await attachArticles(
      tx,
      plans.flatMap((p, i) => p.addArticleIds.map((articleId) => ({ articleId, storyId: storyOf[i]! }))),
    );
    const touched = storyOf;
    const titles = new Map(plans.map((p, i) => [storyOf[i]!, p.title]));
    const created = fresh.length;
    const placed = plans.reduce((n, p) => n + p.addArticleIds.length, 0);

    await rescoreStories(tx, touched, now, titles);
    return { articlesPlaced: placed, storiesCreated: created, storiesUpdated: touched.length - created };
  });
}

/** Recounts coverage from the stories' articles and stores the overlooked score and reason. */
export async function rescoreStories(db: Db, storyIds: number[], now: Date, titles = new Map<number, string>()): Promise<void> {
  if (storyIds.length === 0) return;
  const since = new Date(now.getTime() - WINDOW_HOURS * HOUR);
  const tracked = {
    sample: await countTrackedUsOutlets(db, { sample: true, since }),
    real: await countTrackedUsOutlets(db, { sample: false, since }),
  };
  const updates = (await storyCoverage(db, storyIds)).map((coverage) => {
    const signal = scoreOverlooked({
      outletCount: coverage.outletCount,
      countries: coverage.countries,
      usOutletCount: coverage.usOutletCount,
      trackedUsOutlets: coverage.isSample ? tracked.sample : tracked.real,
    });
    return { title: titles.get(coverage.storyId), coverage, overlookedScore: signal.score, overlookedReason: signal.reason };
  });
  await saveStories(db, updates, now);
}
