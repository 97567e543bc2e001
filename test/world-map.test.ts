// The world map: drawn at build time from Natural Earth (src/cli/world-map-build.ts), committed as
// src/views/world-map-svg.ts, served from /assets, and framed on the pages that pick countries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { buildWorldMap, DOT_ONLY, relativePath, worldMapModule } from "../src/cli/world-map-build";
import { countries, countryByCode, regions } from "../src/countries";
import { worldMapSvg, worldMapVersion, worldMapViews } from "../src/views/world-map-svg";
import { WORLD_MAP_PATH } from "../src/views/world-map";
import { createTestApp, type TestApp } from "./helpers/app";

describe("the map builder", () => {
  const built = buildWorldMap();

  it("made the committed src/views/world-map-svg.ts (run `npm run map:build` after changing it)", () => {
    const committed = readFileSync(new URL("../src/views/world-map-svg.ts", import.meta.url), "utf8");
    expect(committed).toBe(worldMapModule(built));
    expect(built.lines.join("\n")).toBe(worldMapSvg);
  });

  it("draws every country of src/countries.ts but Antarctica, named, with a point for the keyboard", () => {
    expect(built.codes).toEqual(countries.map((c) => c.code).filter((c) => c !== "AQ").sort());
    const elements = [...worldMapSvg.matchAll(/<(path|g|circle) id="m-([A-Z]{2})" data-n="([^"]+)" data-p="(-?\d+) (-?\d+)"/g)];
    expect(elements).toHaveLength(built.codes.length);
    for (const [, , code, name, x, y] of elements) {
      expect(name!.replace(/&amp;/g, "&")).toBe(countryByCode(code!)!.name);
      expect(Number(x)).toBeGreaterThanOrEqual(0);
      expect(Number(x)).toBeLessThanOrEqual(10_000);
    }
    // The US is land, not a choice; the countries Natural Earth draws inside another are dots.
    expect(worldMapSvg).not.toContain('id="m-US"');
    for (const code of Object.keys(DOT_ONLY)) expect(worldMapSvg).toMatch(new RegExp(`<circle id="m-${code}" `));
  });

  it("is shapes and data only: nothing that runs or styles itself", () => {
    expect(worldMapSvg).not.toMatch(/<script|<style|\son\w+=|style=|href=|javascript:/i);
    expect(worldMapSvg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="')).toBe(true);
  });

  it("has a World view and one per region, each inside the drawn world", () => {
    expect(Object.keys(worldMapViews)).toEqual(["World", ...regions]);
    const [wx, wy, ww, wh] = worldMapViews.World!.split(" ").map(Number) as [number, number, number, number];
    for (const region of regions) {
      const [x, y, w, h] = worldMapViews[region]!.split(" ").map(Number) as [number, number, number, number];
      expect(w / h).toBeCloseTo(1.5, 2);
      // Centred on the world (the Americas' view reaches past the Pacific edge, which is sea).
      expect(x + w / 2).toBeGreaterThan(wx);
      expect(x + w / 2).toBeLessThan(wx + ww);
      expect(y + h / 2).toBeGreaterThan(wy);
      expect(y + h / 2).toBeLessThan(wy + wh);
    }
  });

  it("writes paths as relative integer steps in tenths, each ring starting where SVG puts the pen after z", () => {
    expect(relativePath("M10,20L10.5,20.25L9.9,19Z")).toBe("m100 200 5 3-6-13z");
    expect(relativePath("M1,1L1.01,1.01Z")).toBe("m10 10z");
    // Read back by SVG's rules (after z the current point is the ring's first point), every point is where
    // d3 put it.
    const d = "M10,20L30,20L30,40Z M50,60L70,60L60,80Z M-5,3L0,0Z";
    const absolute = [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]) * 10, Number(m[2]) * 10]);
    const read: number[][] = [];
    let [x, y, sx, sy] = [0, 0, 0, 0];
    for (const ring of relativePath(d).split("z").filter(Boolean)) {
      const steps = ring.slice(1).match(/-?\d+/g)!.map(Number);
      for (let i = 0; i < steps.length; i += 2) {
        x += steps[i]!;
        y += steps[i + 1]!;
        if (i === 0) [sx, sy] = [x, y];
        read.push([x, y]);
      }
      [x, y] = [sx, sy];
    }
    expect(read).toEqual(absolute);
  });

  it("weighs what the README says (SVG under 100 KB, under 40 KB gzipped)", () => {
    const raw = Buffer.byteLength(worldMapSvg);
    const gzipped = gzipSync(worldMapSvg).length;
    console.log(`world map: ${(raw / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(raw).toBeLessThan(100 * 1024);
    expect(gzipped).toBeLessThan(40 * 1024);
  });
});

describe("the map on the pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("is served under a versioned URL, kept a year, gzipped for clients that take it", async () => {
    expect(WORLD_MAP_PATH).toBe(`/assets/world-map-${worldMapVersion}.svg`);
    const plain = await t.app.request(WORLD_MAP_PATH);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("vary")).toBe("Accept-Encoding");
    expect(await plain.text()).toBe(worldMapSvg);

    const zipped = await t.app.request(WORLD_MAP_PATH, { headers: { "Accept-Encoding": "gzip, deflate, br" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(40 * 1024);
    expect(gunzipSync(bytes).toString("utf8")).toBe(worldMapSvg);

    const current = await t.app.request("/assets/world-map.svg");
    expect(current.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await current.text()).toBe(worldMapSvg);
    expect((await t.app.request("/assets/world-map-000000000000.svg")).status).toBe(404);
  });

  it("is framed on the home page, hidden until the script has loaded it, with zoom buttons and a legend", async () => {
    const html = await (await t.app.request("/")).text();
    expect(html).toContain(`<div class="map" data-world-map="${WORLD_MAP_PATH}" hidden="">`);
    for (const view of ["World", ...regions]) expect(html).toContain(`data-view="${worldMapViews[view]}"`);
    expect(html).toContain('<p class="hint" id="map-keys">');
    // The map is fetched, not inlined: a page view carries about a kilobyte of it.
    expect(html).not.toContain("<svg");
    const js = await (await t.app.request("/assets/app.js")).text();
    expect(js).toContain('document.querySelector("[data-world-map]")');
  });
});
