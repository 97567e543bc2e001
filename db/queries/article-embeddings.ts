// Article embeddings: one vector per article (of one model), written once, read for grouping.
import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { articleEmbeddings, articles } from "../schema";
import { textArray } from "./array-literal";

export interface TextToEmbed {
  id: number;
  title: string;
  summary: string;
}

/**
 * Articles of the grouping window (published since `since`, or not yet in a story) with no vector of
 * `model`: those waiting for their story first, then the newest. At most `limit`.
 */
export async function articlesWithoutEmbedding(db: Db, since: Date, model: string, limit: number): Promise<TextToEmbed[]> {
  const rows = await db.execute(sql`
    select a.id, a.title, a.summary
    from ${articles} a
    left join ${articleEmbeddings} e on e.article_id = a.id and e.model = ${model}
    where (a.published_at >= ${since.toISOString()}::timestamptz or a.story_id is null) and e.article_id is null
    order by (a.story_id is null) desc, a.published_at desc, a.id desc
    limit ${limit}`);
  return rowsOf<{ id: number | string; title: string; summary: string }>(rows).map((r) => ({ id: Number(r.id), title: r.title, summary: r.summary }));
}

/** Stores vectors of `model` (one statement; a vector of another model for the article is replaced). */
export async function saveEmbeddings(db: Db, model: string, vectors: Array<{ articleId: number; vector: readonly number[] }>): Promise<void> {
  if (vectors.length === 0) return;
  await db.execute(sql`
    insert into ${articleEmbeddings} (article_id, model, vector)
    select v.id, ${model}, v.vector
    from unnest(${`{${vectors.map((v) => Number(v.articleId)).join(",")}}`}::bigint[], ${textArray(vectors.map((v) => toHex(v.vector)))}::bytea[]) as v(id, vector)
    where exists (select 1 from ${articles} a where a.id = v.id)
    on conflict (article_id) do update set model = excluded.model, vector = excluded.vector, created_at = now()`);
}

/** The vectors of `model` these articles have (those without one are absent). */
export async function embeddingsOf(db: Db, ids: number[], model: string): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  if (ids.length === 0) return out;
  const rows = await db.execute(sql`
    select article_id, vector from ${articleEmbeddings}
    where model = ${model} and article_id = any(${`{${ids.map(Number).join(",")}}`}::bigint[])`);
  for (const r of rowsOf<{ article_id: number | string; vector: Uint8Array | string }>(rows)) out.set(Number(r.article_id), fromBytes(r.vector));
  return out;
}

/** `\x` + the float32 values little-endian in hex: a bytea literal inside the array parameter. */
function toHex(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((x, k) => view.setFloat32(k * 4, x, true));
  const bytes = new Uint8Array(view.buffer);
  const parts = new Array<string>(bytes.length);
  for (let k = 0; k < bytes.length; k++) parts[k] = HEX[bytes[k]!]!;
  return `\\x${parts.join("")}`;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Bytes as both drivers give them (a Uint8Array; hex text if a driver ever leaves bytea unparsed). */
function fromBytes(value: Uint8Array | string): Float32Array {
  let bytes: Uint8Array;
  if (typeof value === "string") {
    const hex = value.startsWith("\\x") ? value.slice(2) : value;
    bytes = new Uint8Array(hex.length / 2);
    for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  } else bytes = value;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength >> 2);
  for (let k = 0; k < out.length; k++) out[k] = view.getFloat32(k * 4, true);
  return out;
}

/** db.execute answers rows directly on postgres.js and as { rows } on PGlite. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
