// A country's page (/countries/<code>): its latest stories as the digest shows them, and the subscribe form
// with the country ticked. The texts are the digest's own (src/digest/country-stories.ts builds them with
// the digest's selection and presentation; storyMeta and takeLabel are the email's wording); only the
// markup is the web's, because the email's inline styles are not allowed under the pages' CSP.
import { Layout, MessagePage } from "./layout";
import { SubscribeForm } from "./pages";
import { storyMeta, takeLabel } from "../../emails/digest-parts";
import { countriesByRegion, type Country } from "../countries";
import type { DigestStory } from "../digest/types";

function Story({ story }: { story: DigestStory }) {
  return (
    <article class="story">
      <h3>{story.url ? <a href={story.url}>{story.title}</a> : story.title}</h3>
      <p class="meta">{storyMeta(story)}</p>
      {story.summary ? <p class="summary">{story.summary}</p> : null}
      {story.whyOverlooked ? (
        <p class="why">
          <strong>Why it’s overlooked:</strong> {story.whyOverlooked}
        </p>
      ) : null}
      {story.alternatives.length > 0 ? (
        <div class="takes">
          <strong>Alternative takes</strong>
          <ul>
            {story.alternatives.map((take) => (
              <li>
                {takeLabel(take)}
                {take.url ? <a href={take.url}>{take.title || take.outlet}</a> : <i>{take.title || take.outlet}</i>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </article>
  );
}

export interface CountryPageProps {
  country: Country;
  stories: readonly DigestStory[];
  /** Countries with a working source: the form's list, and whether this one can be subscribed to. */
  offered: ReadonlySet<string>;
  windowDays: number;
}

export function CountryPage({ country, stories, offered, windowDays }: CountryPageProps) {
  const covered = offered.has(country.code);
  return (
    <Layout title={`${country.name}: overlooked stories`}>
      <p class="crumbs">
        <a href="/countries">All countries</a>
      </p>
      <h1>
        <span aria-hidden="true">{country.flag}</span> {country.name}
      </h1>
      {stories.length > 0 ? (
        <>
          <p class="lede">
            What outlets in {country.name} covered in the last {windowDays} days that the US media we track did not,
            as your morning digest would show it: translated, with why it counts as overlooked and how other
            countries covered it.
          </p>
          <section class="card stories" aria-labelledby="latest">
            <h2 id="latest">Latest stories</h2>
            {stories.map((story) => (
              <Story story={story} />
            ))}
          </section>
        </>
      ) : (
        <div class="card empty">
          <p>
            {covered
              ? `No stories from ${country.name} in the last ${windowDays} days. Our outlets there will have more soon; subscribe and they come to you.`
              : `No stories from ${country.name} yet: we don't read a news source there yet.`}
          </p>
          {covered ? null : (
            <p>
              <a href="/countries">See the countries we cover</a>
            </p>
          )}
        </div>
      )}
      {covered ? (
        <SubscribeForm
          values={{ countries: [country.code], frequency: "daily", deliveryTime: "07:00" }}
          errors={{}}
          offered={offered}
          title="Get this in your morning email"
          openChosenOnly
        />
      ) : null}
    </Layout>
  );
}

/** "/countries": every country with a working source, by region, each leading to its page. */
export function CountriesPage({ offered }: { offered: ReadonlySet<string> }) {
  return (
    <Layout title="Countries">
      <h1>Countries</h1>
      <p class="lede">
        The {offered.size} countries we read news from. Open one to see its latest overlooked stories.
      </p>
      {countriesByRegion().map(({ region, countries }) => {
        const shown = countries.filter((c) => offered.has(c.code));
        return shown.length === 0 ? null : (
          <section class="card">
            <h2>{region}</h2>
            <ul class="country-links">
              {shown.map((c) => (
                <li>
                  <a href={`/countries/${c.code.toLowerCase()}`}>
                    <span aria-hidden="true">{c.flag}</span> {c.name}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </Layout>
  );
}

export function CountryNotFoundPage({ asked }: { asked: string }) {
  const us = asked.toUpperCase() === "US";
  return (
    <MessagePage title={us ? "No page for the United States" : "No such country"} emoji="🧭">
      <p>
        {us
          ? "World Digest brings news from outside the United States; US outlets are only what we compare coverage with."
          : `There is no country with the code “${asked}”. Country pages use two-letter ISO codes, like /countries/ke for Kenya.`}
      </p>
      <p>
        <a href="/countries">All countries</a> · <a href="/">Back to World Digest</a>
      </p>
    </MessagePage>
  );
}
