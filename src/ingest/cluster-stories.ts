// The shell around the pure clustering and scoring: read the window, plan, write stories, count coverage,
// score. Runs in one transaction holding an advisory lock, so two processes (or two overlapping runs)
// never place the same articles twice; fetching and inserting articles need no lock.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { articlesForClustering, attachArticlesToStory, oldestUnclusteredAt } from "../../db/queries/articles";
import { countTrackedUsOutlets } from "../../db/queries/sources";
import { insertStory, saveStory, storyCoverage } from "../../db/queries/stories";
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

    const touched: number[] = [];
    const titles = new Map<number, string>();
    let created = 0;
    let placed = 0;
    for (const plan of plans) {
      let storyId = plan.storyId;
      if (storyId === null) {
        const members = plan.addArticleIds.map((id) => byId.get(id)!);
        const times = members.map((r) => r.publishedAt.getTime());
        storyId = await insertStory(tx, {
          title: plan.title,
          firstSeenAt: new Date(Math.min(...times)),
          lastArticleAt: new Date(Math.max(...times)),
          isSample: members.every((r) => r.isSample),
        });
        created++;
      }
      await attachArticlesToStory(tx, storyId, plan.addArticleIds);
      placed += plan.addArticleIds.length;
      touched.push(storyId);
      titles.set(storyId, plan.title);
    }

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
  for (const coverage of await storyCoverage(db, storyIds)) {
    const signal = scoreOverlooked({
      outletCount: coverage.outletCount,
      countries: coverage.countries,
      usOutletCount: coverage.usOutletCount,
      trackedUsOutlets: coverage.isSample ? tracked.sample : tracked.real,
    });
    await saveStory(
      db,
      { title: titles.get(coverage.storyId), coverage, overlookedScore: signal.score, overlookedReason: signal.reason },
      now,
    );
  }
}
