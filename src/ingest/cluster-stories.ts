// The shell around the pure grouping and scoring: read the window, group it, store what changed, count
// coverage, score. Runs in one transaction holding an advisory lock, so two processes (or two overlapping
// runs) never group at once; fetching and inserting articles need no lock.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { articlesForClustering, attachArticles, oldestUnclusteredAt, type ClusterRow } from "../../db/queries/articles";
import { countTrackedUsOutlets } from "../../db/queries/sources";
import { deleteStoriesWithoutArticles, insertStories, reserveStoryIds, saveStories, storyCoverage, type NewStoryRow } from "../../db/queries/stories";
import { WINDOW_HOURS, planStories, type ClusterOptions, type StoryPlan } from "../stories/cluster";
import { withProfiles } from "./article-profiles";
import { windowEmbeddings } from "./article-embeddings";
import { scoreOverlooked } from "../stories/overlooked";

const CLUSTER_LOCK = 727_002;
const HOUR = 3_600_000;

export interface ClusterSummary {
  /** Articles that joined a story for the first time. */
  articlesPlaced: number;
  /** Articles already in a story that the regrouping moved to another. */
  articlesMoved: number;
  storiesCreated: number;
  storiesUpdated: number;
}

/** Embeddings in grouping: the model whose vectors are read, and the meaning measure's settings. */
export interface GroupingEmbeddings {
  model: string;
  weight: number;
  midpoint: number;
}

/**
 * Groups the window again whenever an article waits for its story: every article published within
 * WINDOW_HOURS before the oldest waiting one, so each waiting article meets every article it may share a
 * story with, and the stories come out the same whatever order the articles arrived in. Stories keep
 * their ids (see cluster.ts); only what changed is written, then every story that gained or lost an
 * article is rescored. `changedSince`: the oldest publication time of placed articles whose text changed
 * (translated on a later run, retranslate-articles.ts): they wait for their story again, as a new one would.
 */
export async function clusterPendingArticles(
  db: Db,
  now: Date,
  options: ClusterOptions = {},
  embeddings: GroupingEmbeddings | null = null,
  changedSince: Date | null = null,
): Promise<ClusterSummary> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLUSTER_LOCK})`);
    const waiting = await oldestUnclusteredAt(tx);
    const oldest = waiting && changedSince ? new Date(Math.min(waiting.getTime(), changedSince.getTime())) : (waiting ?? changedSince);
    if (!oldest) return { articlesPlaced: 0, articlesMoved: 0, storiesCreated: 0, storiesUpdated: 0 };

    let rows = withProfiles(await articlesForClustering(tx, new Date(oldest.getTime() - WINDOW_HOURS * HOUR)));
    if (embeddings) {
      const vectors = await windowEmbeddings(tx, rows.map((r) => r.id), embeddings.model, db);
      rows = rows.map((r) => ({ ...r, embedding: vectors.get(r.id) ?? null }));
      options = { ...options, meaning: { weight: embeddings.weight, midpoint: embeddings.midpoint } };
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Sample (demo) and real articles never share a story.
    const plans = [...planStories(rows.filter((r) => !r.isSample), options), ...planStories(rows.filter((r) => r.isSample), options)];

    // New stories get their ids first, so every write below is one statement per chunk.
    const fresh = plans.filter((p) => p.storyId === null);
    const ids = await reserveStoryIds(tx, fresh.length);
    const newRows: NewStoryRow[] = fresh.map((plan, k) => newStoryRow(ids[k]!, plan, byId));
    await insertStories(tx, newRows);
    let k = 0;
    const storyOf = plans.map((p) => p.storyId ?? newRows[k++]!.id);

    const moves: Array<{ articleId: number; storyId: number }> = [];
    const emptied = new Set<number>();
    let placed = 0;
    plans.forEach((plan, i) => {
      for (const articleId of plan.articleIds) {
        const before = byId.get(articleId)!.storyId;
        if (before === storyOf[i]) continue;
        moves.push({ articleId, storyId: storyOf[i]! });
        if (before === null) placed++;
        else emptied.add(before);
      }
    });
    await attachArticles(tx, moves);
    const touched = new Set([...storyOf, ...emptied]);
    const removed = await deleteStoriesWithoutArticles(tx, [...emptied]);
    for (const id of removed) touched.delete(id);
    const titles = new Map(plans.map((p, i) => [storyOf[i]!, p.title]));
    await rescoreStories(tx, [...touched], now, titles);
    return {
      articlesPlaced: placed,
      articlesMoved: moves.length - placed,
      storiesCreated: fresh.length,
      storiesUpdated: touched.size - fresh.length,
    };
  });
}

function newStoryRow(id: number, plan: StoryPlan, byId: Map<number, ClusterRow>): NewStoryRow {
  const members = plan.articleIds.map((articleId) => byId.get(articleId)!);
  const times = members.map((r) => r.publishedAt.getTime());
  return {
    id,
    title: plan.title,
    firstSeenAt: new Date(Math.min(...times)),
    lastArticleAt: new Date(Math.max(...times)),
    isSample: members.every((r) => r.isSample),
  };
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
      usOutlets: coverage.usOutlets,
      trackedUsOutlets: coverage.isSample ? tracked.sample : tracked.real,
    });
    return { title: titles.get(coverage.storyId), coverage, overlookedScore: signal.score, overlookedReason: signal.reason };
  });
  await saveStories(db, updates, now);
}
