// The shapes that travel through the digest: what the database gives the selection (CandidateStory),
// what the selection keeps (SelectedStory), and what the email template renders (DigestInput).

/** One outlet's article about a story, as loaded for the digest (reference/US articles are excluded). */
export interface CandidateArticle {
  id: number;
  /** English (machine-translated when `translated`). */
  title: string;
  summary: string;
  url: string;
  outlet: string;
  /** ISO 3166-1 alpha-2 of the outlet. */
  country: string;
  /** BCP 47 primary language of the original, e.g. "ja". */
  language: string;
  translated: boolean;
  originalTitle: string;
  publishedAt: Date;
  /** Defensive: a reference (US) article is never shown, even if a query lets one through. */
  isReference?: boolean;
}

export interface CandidateStory {
  id: number;
  title: string;
  overlookedScore: number;
  /** In words, e.g. "4 outlets in 3 countries; none of the 6 US outlets we track". */
  overlookedReason: string;
  outletCount: number;
  countryCount: number;
  lastArticleAt: Date;
  articles: CandidateArticle[];
}

/** A story chosen for one subscriber, placed under one of their countries. */
export interface SelectedStory {
  id: number;
  title: string;
  overlookedScore: number;
  overlookedReason: string;
  outletCount: number;
  countryCount: number;
  /** The subscriber's country it is shown under (the lead article's country). */
  country: string;
  /** The article the story is shown with. */
  lead: CandidateArticle;
  /** Other outlets' articles, other countries first. */
  alternatives: CandidateArticle[];
  /** The ranking value (see select-stories.ts). */
  rank: number;
}

export type StorySelection = { stories: SelectedStory[] } | { skip: string };

// ---- What the email renders. Every text is final (already truncated, formatted); the template only lays
// ---- it out, which is what lets the renderer cache parts (render-digest.ts).

export interface DigestTake {
  /** Article id (part of the cache key of the story block). */
  id: number;
  outlet: string;
  countryFlag: string;
  countryName: string;
  title: string;
  /** http(s) URL, or "" when the article has no safe link. */
  url: string;
}

export interface DigestStory {
  /** Story id. */
  id: number;
  /** Lead article id. */
  articleId: number;
  title: string;
  url: string;
  outlet: string;
  countryFlag: string;
  countryName: string;
  /** "Translated from Japanese", or "" when the article was written in English. */
  translatedFrom: string;
  summary: string;
  whyOverlooked: string;
  alternatives: DigestTake[];
}

export interface DigestSection {
  /** ISO code. */
  country: string;
  flag: string;
  name: string;
  stories: DigestStory[];
}

export interface DigestLinks {
  manage: string;
  unsubscribe: string;
  viewInBrowser: string;
}

/** Everything the digest email shows. Personal parts: greeting, dateLabel, links (and the texts below). */
export interface DigestInput {
  subject: string;
  preheader: string;
  /** The edition's date in the subscriber's zone, e.g. "Monday, 11 May 2026". */
  dateLabel: string;
  greeting?: string | null;
  /** e.g. "7 overlooked stories from 3 countries". */
  countsLine: string;
  sections: DigestSection[];
  /** e.g. "You follow Japan, Brazil and Slovakia, delivered weekdays at 07:00 (America/Chicago)." */
  whyYouGetThis: string;
  links: DigestLinks;
  postalAddress: string;
}
