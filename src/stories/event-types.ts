// What happened, in broad classes: the words news reports use for an earthquake, a flood, a strike, an
// election, a rate decision... Two reports whose headlines name different kinds of event (a landslide and
// an earthquake in the same province; a doctors' strike and a rate cut in the same country) are rarely
// one story. General news vocabulary, written once, not fitted to any corpus. Pure.
import porter2 from "wink-porter2-stemmer";
import { plainWords, stem } from "./words";

const EVENT_TYPES: Record<string, string> = {
  earthquake: "earthquake earthquakes quake quakes tremor tremors seism seismic temblor aftershock aftershocks magnitude epicentre epicenter richter",
  tsunami: "tsunami",
  volcano: "volcano volcanic eruption erupts erupted lava ashfall",
  flood: "flood floods flooded flooding inundated inundation deluge torrent torrents overflowed cloudburst",
  landslide: "landslide landslides mudslide mudslides landslip mudflow",
  storm: "storm storms typhoon cyclone hurricane tornado gale gales",
  fire: "fire fires blaze wildfire wildfires bushfire inferno burning flames firefighters",
  heat: "heatwave heat temperatures",
  pollution: "smog pollution haze",
  disease: "outbreak cholera dengue measles ebola mpox malaria virus epidemic infections vaccination vaccine",
  crash: "crash crashed crashes collision collided derailed derailment accident",
  sinking: "capsized capsizes capsize sank sinking shipwreck",
  collapse: "collapse collapsed",
  explosion: "explosion explosions blast exploded",
  attack: "attack attacks bombing bombed bombs gunmen shooting shot airstrike",
  election: "election elections electoral vote votes voting voters polls ballot runoff turnout seats",
  referendum: "referendum plebiscite",
  labour: "strike strikes striking walkout stoppage unions union",
  protest: "protest protests protesters demonstration demonstrators march rally",
  court: "court trial verdict verdicts sentenced sentence convicted acquitted judges judge ruling ruled",
  rates: "rate rates interest monetary inflation",
  trade: "trade tariffs tariff exports imports",
  lending: "imf loan loans programme program bailout",
  resignation: "resigns resigned resignation quits steps dismissed sacked fired ousted",
  expulsion: "expels expelled expulsion persona",
  border: "border borders crossing crossings checkpoint checkpoints frontier",
  launch: "rocket satellite launch launched orbit",
  aircraft: "aircraft jets airliners boeing airbus planes",
  sport: "final match beat champions cup league title goal qualifier qualifiers tournament",
  prize: "prize award awarded nobel laureate laureates festival",
  currency: "currency dollar euro depreciation",
  sanctions: "sanctions sanctioned",
  confidence: "censure confidence",
  power: "blackout outage grid electricity",
  treaty: "treaty agreement deal pact protocol signed",
};

const typesOfStem = new Map<string, string[]>();
for (const [type, words] of Object.entries(EVENT_TYPES)) {
  for (const word of words.split(" ")) {
    const stem = porter2(word);
    typesOfStem.set(stem, [...(typesOfStem.get(stem) ?? []), type]);
  }
}

/** The kinds of event a text names ("Quake kills 4 as floods hit…" → earthquake, flood). */
export function eventTypes(text: string): Set<string> {
  return eventTypesOf(plainWords(text));
}

/** The same, from a text's folded words. */
export function eventTypesOf(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const word of words) for (const type of typesOfStem.get(stem(word)) ?? []) out.add(type);
  return out;
}
