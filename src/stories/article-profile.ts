// What story grouping reads of one article, computed once per article. Pure.
import { eventTypesOf } from "./event-types";
import { countriesNamed } from "./place-names";
import { foldText, names, termsOf } from "./words";

export interface GroupingInput {
  title: string;
  summary: string;
  /** The outlet's country (ISO code); "US" for the tracked US outlets. */
  country: string;
  isReference: boolean;
  publishedAt: Date;
}

export interface ArticleProfile {
  titleTerms: string[];
  summaryTerms: string[];
  /** Names in the title and summary (people, places, institutions), folded. */
  names: string[];
  /**
   * Countries the text names; when it names none, the outlet's own (a local outlet rarely names its own
   * country: "Strong earthquake strikes Esmeraldas").
   */
  countries: string[];
  /** True when `countries` were named in the text, false when they are the outlet's. */
  namesCountries: boolean;
  eventTypes: Set<string>;
  titleEventTypes: Set<string>;
  time: number;
  isReference: boolean;
}

export function profileArticle(article: GroupingInput): ArticleProfile {
  const text = `${article.title}. ${article.summary}`;
  const named = countriesNamed(text);
  const title = foldText(article.title);
  const summary = foldText(article.summary);
  const titleNames = names(article.title, true);
  const titleEventTypes = eventTypesOf(title.words);
  return {
    titleTerms: termsOf(title),
    summaryTerms: termsOf(summary),
    names: [...titleNames, ...names(article.summary)],
    countries: named.length > 0 ? named : [article.country.toUpperCase()],
    namesCountries: named.length > 0,
    eventTypes: new Set([...titleEventTypes, ...eventTypesOf(summary.words)]),
    titleEventTypes,
    time: article.publishedAt.getTime(),
    isReference: article.isReference,
  };
}
