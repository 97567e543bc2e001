// `npm run map:build`: draws the world map (src/cli/world-map-build.ts) and writes src/views/world-map-svg.ts.
// Run it after changing the builder, src/countries.ts' names, or the world-atlas version.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { buildWorldMap, worldMapModule } from "./world-map-build";

const target = new URL("../views/world-map-svg.ts", import.meta.url);
const map = buildWorldMap();
writeFileSync(target, worldMapModule(map));
const svg = map.lines.join("\n");
console.log(
  `src/views/world-map-svg.ts: ${map.codes.length} countries, SVG ${(svg.length / 1024).toFixed(1)} KB, ${(gzipSync(svg).length / 1024).toFixed(1)} KB gzipped, version ${map.version}`,
);
