// Seeds the sources table from the catalog (db/sources.json) and the sample outlets. Idempotent: outlets
// already present (by slug) are left as they are, so the operator's edits through the API survive.
import type { Db } from "../../db/client";
import { insertMissingSources } from "../../db/queries/sources";
import type { SourceRecord } from "../feeds/types";

export async function seedSources(db: Db, records: SourceRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return insertMissingSources(
    db,
    records.map((r) => ({
      slug: r.slug,
      name: r.name,
      country: r.country,
      homepage: r.homepage,
      feedUrl: r.feedUrl,
      language: r.language,
      isReference: r.isReference,
      isSample: r.isSample,
    })),
  );
}
