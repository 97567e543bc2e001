// A labelled editorial corpus (the schema of shared/editorial/README.md): articles, the gold stories, the
// look-alike pairs and the US-only articles. Pure: JSON in, a checked corpus or one line naming what is
// wrong out.
import { z } from "zod";

export interface CorpusArticle {
  id: string;
  outlet: string;
  country: string;
  language: string;
  title: string;
  summary: string;
  url: string;
  published: string;
  reference: boolean;
}

export interface CorpusStory {
  id: string;
  article_ids: string[];
  us_article_ids: string[];
  overlooked: boolean;
  note: string;
}

export interface Corpus {
  articles: CorpusArticle[];
  stories: CorpusStory[];
  near_misses: Array<{ a: string; b: string; why: string }>;
  us_only: string[];
}

const text = z.string();
const schema = z.object({
  articles: z
    .array(
      z.object({
        id: text.min(1),
        outlet: text.min(1),
        country: text.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as JP"),
        language: text.regex(/^[a-z]{2,3}$/, "must be an ISO 639-1 code such as ja"),
        title: text.min(1),
        summary: text,
        url: text.url(),
        published: text.refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), "must be an ISO 8601 date-time"),
        reference: z.boolean(),
      }),
    )
    .min(1),
  stories: z.array(
    z.object({
      id: text.min(1),
      article_ids: z.array(text).min(1),
      us_article_ids: z.array(text),
      overlooked: z.boolean(),
      note: text,
    }),
  ),
  near_misses: z.array(z.object({ a: text, b: text, why: text })),
  us_only: z.array(text),
});

export type CorpusCheck = { ok: true; corpus: Corpus } | { ok: false; problem: string };

/** Checks the shape, then what the schema's prose requires (ids known, every article placed once...). */
export function parseCorpus(raw: unknown): CorpusCheck {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${issue.path.length > 0 ? issue.path.join(".") : "the file"}: ${issue.message}` };
  }
  const corpus = parsed.data as Corpus;
  const byId = new Map<string, CorpusArticle>();
  const urls = new Set<string>();
  for (const [i, a] of corpus.articles.entries()) {
    if (byId.has(a.id)) return { ok: false, problem: `articles.${i}.id: "${a.id}" appears twice` };
    if (urls.has(a.url)) return { ok: false, problem: `articles.${i}.url: "${a.url}" appears twice` };
    if (a.reference !== (a.country === "US")) return { ok: false, problem: `articles.${i}.reference: must be true exactly for US outlets` };
    byId.set(a.id, a);
    urls.add(a.url);
  }
  const placed = new Map<string, string>();
  const place = (id: string, where: string, reference: boolean): string | null => {
    const article = byId.get(id);
    if (!article) return `${where}: "${id}" is not an article of the corpus`;
    if (article.reference !== reference) return `${where}: "${id}" is ${article.reference ? "a US" : "a foreign"} article`;
    if (placed.has(id)) return `${where}: "${id}" is already in ${placed.get(id)}`;
    placed.set(id, where);
    return null;
  };
  for (const [i, s] of corpus.stories.entries()) {
    for (const id of s.article_ids) {
      const problem = place(id, `stories.${i}.article_ids`, false);
      if (problem) return { ok: false, problem };
    }
    for (const id of s.us_article_ids) {
      const problem = place(id, `stories.${i}.us_article_ids`, true);
      if (problem) return { ok: false, problem };
    }
    if (s.overlooked !== (s.us_article_ids.length === 0)) return { ok: false, problem: `stories.${i}.overlooked: must be true exactly when us_article_ids is empty` };
  }
  for (const [i, id] of corpus.us_only.entries()) {
    const problem = place(id, `us_only.${i}`, true);
    if (problem) return { ok: false, problem };
  }
  const unplaced = corpus.articles.find((a) => !placed.has(a.id));
  if (unplaced) return { ok: false, problem: `articles: "${unplaced.id}" is in no story${unplaced.reference ? " and not in us_only" : ""}` };
  for (const [i, n] of corpus.near_misses.entries()) {
    for (const id of [n.a, n.b]) if (!byId.has(id)) return { ok: false, problem: `near_misses.${i}: "${id}" is not an article of the corpus` };
  }
  return { ok: true, corpus };
}
