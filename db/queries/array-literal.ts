// One array parameter instead of thousands of parameters or a big JSON document: PostgreSQL's array
// literal syntax, for `${textArray(values)}::text[]` (then cast each element: ::uuid, ::int[], ::jsonb).
// Works the same on postgres.js and PGlite. Elements are always quoted, with " and \ escaped; null is NULL.

export function textArray(values: ReadonlyArray<string | null>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ",";
    out += v === null || v === undefined ? "NULL" : `"${/["\\]/.test(v) ? v.replace(/["\\]/g, "\\$&") : v}"`;
  }
  return `${out}}`;
}
