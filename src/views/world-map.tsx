// The world map beside the country list (subscribe, manage and country pages). The page carries only this
// frame; the map itself is a static SVG (src/views/world-map-svg.ts, drawn at build time from Natural
// Earth) served from /assets under a versioned URL and cached for a year, which the page's script
// (world-map-js.ts) fetches, inlines and wires to the checkboxes. So the map costs a page view ~1 KB,
// not 99 (the manage page is served thousands of times a second), and without JavaScript the frame
// stays hidden and the country list, which is always the source of truth, is the whole picker.
import { raw } from "hono/html";
import { regions } from "../countries";
import { worldMapVersion, worldMapViews } from "./world-map-svg";

export const WORLD_MAP_PATH = `/assets/world-map-${worldMapVersion}.svg`;

function WorldMapFrame() {
  return (
    <div class="map" data-world-map={WORLD_MAP_PATH} hidden>
      <div class="map-views" role="group" aria-label="Zoom the map to">
        {["World", ...regions].map((view) => (
          <button type="button" data-view={worldMapViews[view]} aria-pressed={view === "World" ? "true" : "false"}>
            {view}
          </button>
        ))}
      </div>
      <div class="map-canvas"></div>
      <p class="map-panel" aria-live="polite">
        Click or tap a country to add it; countries in grey have no news source yet.
      </p>
      <ul class="map-legend" aria-hidden="true">
        <li>
          <span class="swatch sel"></span>In your digest
        </li>
        <li>
          <span class="swatch on"></span>Has news
        </li>
        <li>
          <span class="swatch off"></span>No sources yet
        </li>
      </ul>
      <p class="hint" id="map-keys">
        With a keyboard: Tab to the map, move with the arrow keys or type a country's name, and press Space or
        Enter to tick it.
      </p>
    </div>
  );
}

// The same on every page: rendered once.
let frame: ReturnType<typeof raw> | undefined;
export function WorldMap() {
  frame ??= raw(String(<WorldMapFrame />));
  return frame;
}
