// "/assets/world-map-<version>.svg": the world map the pages' script inlines (src/views/world-map.tsx).
// Its URL changes with its content, so browsers keep it a year; /assets/world-map.svg names the current
// one for people. Gzipped once per process (99 KB → 38 KB) for clients that accept it: the Node server
// compresses nothing else, and this is most of a first visit's bytes.
import { Hono, type Context } from "hono";
import { WORLD_MAP_PATH } from "../views/world-map";
import { worldMapSvg } from "../views/world-map-svg";

// The finished bytes are kept, not the promise: on Workers a request must not wait on another's I/O.
let gzipped: ArrayBuffer | undefined;
async function gzipOnce(): Promise<ArrayBuffer> {
  // CompressionStream is in Node ≥ 18 and in Workers alike.
  gzipped ??= await new Response(new Blob([worldMapSvg]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  return gzipped;
}

async function svg(c: Context, cacheControl: string): Promise<Response> {
  const headers: Record<string, string> = {
    "Content-Type": "image/svg+xml; charset=utf-8",
    "Cache-Control": cacheControl,
    Vary: "Accept-Encoding",
  };
  if (!/\bgzip\b/.test(c.req.header("Accept-Encoding") ?? "")) return new Response(worldMapSvg, { headers });
  // encodeBody "manual" tells Workers the body is already encoded (Node ignores it).
  return new Response(await gzipOnce(), { headers: { ...headers, "Content-Encoding": "gzip" }, encodeBody: "manual" } as ResponseInit);
}

export function worldMapAssetRoutes(): Hono {
  const app = new Hono();
  app.get(WORLD_MAP_PATH, (c) => svg(c, "public, max-age=31536000, immutable"));
  app.get("/assets/world-map.svg", (c) => svg(c, "public, max-age=3600"));
  return app;
}
