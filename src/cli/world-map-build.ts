// Builds the world map the subscribe and manage pages show: Natural Earth 1:50m country shapes (world-atlas)
// projected with d3-geo's Natural Earth projection into one static SVG, once, at build time
// (`npm run map:build` writes src/views/world-map-svg.ts; test/world-map.test.ts checks the committed file
// is what this makes). Nothing here runs in the service: world-atlas, topojson and d3-geo are
// devDependencies, and the pages serve the finished SVG from /assets.
//
// Weight, measured with this builder's `tuning` (sizes of the SVG, raw and gzipped): the 1:50m shapes
// are 756 KB of TopoJSON, and drawn as they are, 1.05 MB of SVG (295 KB gzipped). Three reductions, each
// chosen by looking at Europe drawn 900 px wide, the most crowded of the zoom views:
// - Visvalingam simplification (topojson-simplify) of points whose triangle is under 5e-6 steradians
//   (about a 0.13° square): 98.9 KB, 37.8 KB gzipped. 1e-5 (79.5 / 30.6 KB) thins the Aegean islands and
//   Denmark's isles; 2e-6 (131.5 / 48.8 KB) adds detail that does not show at that size.
// - Rings under 1 square unit (of a 1,000-unit-wide map) are dropped unless they are a country's largest:
//   thousands of islets (Canada's Arctic, Indonesia, the Philippines); keeping them costs 108.9 / 42.5 KB.
// - Coordinates as integers in tenths of a unit, relative to the previous point (SVG's "m…z" with
//   implicit line-tos): about half the characters of d3's absolute "M123.4,56.7L…".
// Countries too small to tap at world scale (under 8 units across) get a dot at their centre, and the 14
// ISO countries Natural Earth draws inside another country or not at all (Réunion, Svalbard, Tuvalu…)
// get only a dot, at a position listed below. Antarctica is not drawn (no newsroom; it would take a
// fifth of the height).
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { geoNaturalEarth1, geoPath, type GeoPermissibleObjects } from "d3-geo";
import { feature } from "topojson-client";
import { presimplify, simplify, sphericalTriangleArea } from "topojson-simplify";
import type { Topology, GeometryCollection } from "topojson-specification";
import type { Feature, MultiPolygon, Polygon, Position } from "geojson";
import { countries, regions, type Region } from "../countries";

const require = createRequire(import.meta.url);

/** Map width in units; path coordinates are integers in tenths of a unit (viewBox width 10,000). */
export const MAP_WIDTH = 1000;
const TENTHS = 10;
const MIN_WEIGHT_SR = 5e-6;
const MIN_RING_AREA = 1;
const SMALL_ACROSS = 8;
const DOT_RADIUS = 3.5;
const TOP_LATITUDE = 84;
const BOTTOM_LATITUDE = -58;
const REGION_ASPECT = 3 / 2;

/** ISO countries Natural Earth 1:50m has no shape of their own for: [longitude, latitude] of a dot. */
export const DOT_ONLY: Readonly<Record<string, [number, number]>> = {
  BQ: [-68.27, 12.18], // Bonaire (Caribbean Netherlands)
  BV: [3.4, -54.42], // Bouvet Island
  CC: [96.87, -12.16], // Cocos (Keeling) Islands
  CX: [105.69, -10.49], // Christmas Island
  GF: [-53.13, 3.93], // French Guiana (inside France's shape)
  GI: [-5.35, 36.14], // Gibraltar
  GP: [-61.55, 16.25], // Guadeloupe (France)
  MQ: [-61.02, 14.64], // Martinique (France)
  RE: [55.54, -21.12], // Réunion (France)
  SJ: [16.0, 78.5], // Svalbard (inside Norway's shape)
  TK: [-171.85, -9.2], // Tokelau
  TV: [179.19, -8.52], // Tuvalu
  UM: [166.63, 19.3], // US Minor Outlying Islands (Wake Island)
  YT: [45.17, -12.83], // Mayotte (France)
};

/** The zoom views: [west, south, east, north] in degrees, widened to 3:2 (taller than the world's 2.3:1, so
 * a phone's zoomed map has room to tap in). */
export const REGION_BOXES: Readonly<Record<Region, [number, number, number, number]>> = {
  Europe: [-25, 34, 45, 71],
  Asia: [60, -11, 150, 55],
  "Middle East": [24, 11, 64, 43],
  Africa: [-20, -36, 55, 38],
  Americas: [-140, -56, -34, 76],
  Oceania: [110, -48, 180, 0],
};

export interface WorldMap {
  /** The SVG document, one country per line. */
  lines: string[];
  /** viewBox per view ("World" and each region), in path units. */
  views: Record<string, string>;
  /** First 12 hex digits of the SHA-256 of the SVG: the asset's URL changes with its content. */
  version: string;
  /** Codes drawn (shape or dot). */
  codes: string[];
}

type Rings = Position[][][];

const fmt = (n: number) => String(Math.round(n * TENTHS));

/**
 * d3's absolute "M x,y L x,y … Z" → "m dx dy dx dy … z" in integer tenths (implicit relative line-tos).
 * After "z" the current point is the subpath's first point (SVG's rule), and the next "m" counts from there.
 */
export function relativePath(d: string): string {
  let out = "";
  let px = 0;
  let py = 0;
  let startX = 0;
  let startY = 0;
  const num = (n: number) => (n < 0 ? String(n) : ` ${n}`);
  for (const m of d.matchAll(/([MLZ])([^MLZ]*)/g)) {
    if (m[1] === "Z") {
      out += "z";
      px = startX;
      py = startY;
      continue;
    }
    const [xs, ys] = m[2]!.split(",");
    const x = Math.round(Number(xs) * TENTHS);
    const y = Math.round(Number(ys) * TENTHS);
    const dx = x - px;
    const dy = y - py;
    px = x;
    py = y;
    if (m[1] === "M") {
      startX = x;
      startY = y;
      out += `m${dx}${num(dy)}`;
    } else if (dx !== 0 || dy !== 0) out += `${num(dx)}${num(dy)}`;
  }
  return out;
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** `tuning` is for measuring other settings (see the header); the committed map uses the defaults. */
export function buildWorldMap(tuning: { minWeight?: number; minRingArea?: number } = {}): WorldMap {
  const minWeight = tuning.minWeight ?? MIN_WEIGHT_SR;
  const minRingArea = tuning.minRingArea ?? MIN_RING_AREA;
  const topology = require("world-atlas/countries-50m.json") as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const isoCodes = require("i18n-iso-countries") as { numericToAlpha2(n: string): string | undefined };
  const simplified = simplify(presimplify(topology, sphericalTriangleArea), minWeight) as typeof topology;
  const shapes = feature(simplified, simplified.objects.countries).features as Array<Feature<Polygon | MultiPolygon, { name: string }>>;

  const projection = geoNaturalEarth1().fitWidth(MAP_WIDTH, { type: "Sphere" });
  const path = geoPath(projection).digits(2);
  const top = projection([0, TOP_LATITUDE])![1];
  const bottom = projection([0, BOTTOM_LATITUDE])![1];
  const world = { x: 0, y: top, w: MAP_WIDTH, h: bottom - top };
  const box = (b: { x: number; y: number; w: number; h: number }) => [b.x, b.y, b.w, b.h].map(fmt).join(" ");

  const names = new Map(countries.map((c) => [c.code, c.name]));
  const drawn: Array<{ code: string; line: string; dotted: boolean }> = [];
  const background: string[] = [];

  // Natural Earth draws a few countries in two shapes (Australia and its Ashmore and Cartier Islands): one each.
  const byCode = new Map<string, Rings>();
  for (const shape of shapes) {
    const code = shape.id === undefined ? undefined : isoCodes.numericToAlpha2(String(shape.id));
    if (!shape.geometry) continue;
    const polygons: Rings = shape.geometry.type === "Polygon" ? [shape.geometry.coordinates] : shape.geometry.coordinates;
    const key = code && names.has(code) ? code : `-${shape.properties.name}`;
    byCode.set(key, [...(byCode.get(key) ?? []), ...polygons]);
  }

  for (const [key, polygons] of byCode) {
    const code = key.startsWith("-") ? undefined : key;
    if (code === "AQ") continue;
    const areas = polygons.map((p) => path.area({ type: "Polygon", coordinates: p }));
    const largest = areas.indexOf(Math.max(...areas));
    const kept = polygons.filter((_, i) => areas[i]! >= minRingArea || i === largest);
    const d = relativePath(path({ type: "MultiPolygon", coordinates: kept } as GeoPermissibleObjects) ?? "");
    const name = code ? names.get(code) : undefined;
    if (!code || !name) {
      // Shapes without an ISO code of their own (Kosovo, Northern Cyprus, Somaliland…): land, not a choice.
      background.push(`<path class="x" d="${d}"/>`);
      continue;
    }
    const [cx, cy] = path.centroid({ type: "Polygon", coordinates: polygons[largest]! });
    const whole = path.bounds({ type: "MultiPolygon", coordinates: polygons });
    const small = Math.max(whole[1][0] - whole[0][0], whole[1][1] - whole[0][1]) < SMALL_ACROSS;
    const attrs = `id="m-${code}" data-n="${escapeAttr(name)}" data-p="${fmt(cx)} ${fmt(cy)}"`;
    drawn.push(
      small
        ? { code, dotted: true, line: `<g ${attrs}><path d="${d}"/><circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(DOT_RADIUS)}"/></g>` }
        : { code, dotted: false, line: `<path ${attrs} d="${d}"/>` },
    );
  }
  for (const [code, lonLat] of Object.entries(DOT_ONLY)) {
    const [cx, cy] = projection(lonLat)!;
    const name = names.get(code)!;
    drawn.push({
      code,
      dotted: true,
      line: `<circle id="m-${code}" data-n="${escapeAttr(name)}" data-p="${fmt(cx)} ${fmt(cy)}" cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(DOT_RADIUS)}"/>`,
    });
  }
  // Shapes first, dots last (drawn on top of their neighbours); each group in code order.
  drawn.sort((a, b) => Number(a.dotted) - Number(b.dotted) || a.code.localeCompare(b.code));

  const views: Record<string, string> = { World: box(world) };
  for (const region of regions) {
    const [w, s, e, n] = REGION_BOXES[region];
    const points: Array<[number, number]> = [];
    for (let i = 0; i <= 20; i++) {
      const lon = w + ((e - w) * i) / 20;
      const lat = s + ((n - s) * i) / 20;
      points.push(projection([lon, s])!, projection([lon, n])!, projection([w, lat])!, projection([e, lat])!);
    }
    let x0 = Math.min(...points.map((p) => p[0]));
    let x1 = Math.max(...points.map((p) => p[0]));
    let y0 = Math.min(...points.map((p) => p[1]));
    let y1 = Math.max(...points.map((p) => p[1]));
    const aspect = REGION_ASPECT;
    if ((x1 - x0) / (y1 - y0) < aspect) {
      const grow = ((y1 - y0) * aspect - (x1 - x0)) / 2;
      x0 -= grow;
      x1 += grow;
    } else {
      const grow = ((x1 - x0) / aspect - (y1 - y0)) / 2;
      y0 -= grow;
      y1 += grow;
    }
    views[region] = box({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
  }

  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${views.World}" class="world" role="group" aria-label="World map">`,
    "<!-- Natural Earth 1:50m country shapes (public domain), via world-atlas; drawn by src/cli/world-map-build.ts -->",
    `<g class="land">${background.join("")}</g>`,
    ...drawn.map((d) => d.line),
    "</svg>",
  ];
  const version = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 12);
  return { lines, views, version, codes: drawn.map((d) => d.code).sort() };
}

/** The generated module's source (src/views/world-map-svg.ts). */
export function worldMapModule(map: WorldMap): string {
  return [
    "// Generated by `npm run map:build` (src/cli/world-map-build.ts) from Natural Earth via world-atlas. Do not edit:",
    "// test/world-map.test.ts checks that this is what the builder makes.",
    "",
    `export const worldMapVersion = ${JSON.stringify(map.version)};`,
    "",
    "/** viewBox of each zoom view. */",
    `export const worldMapViews: Readonly<Record<string, string>> = ${JSON.stringify(map.views, null, 2)};`,
    "",
    "/** The map, one country per line. */",
    "export const worldMapSvg = [",
    ...map.lines.map((line) => `  ${JSON.stringify(line)},`),
    '].join("\\n");',
    "",
  ].join("\n");
}
