// Served at /assets/app.css (a module, not a file, so the Workers bundle carries it too).
export const appCss = `
:root {
  color-scheme: light dark;
  --bg: #f6f5f1; --card: #ffffff; --ink: #1c1f24; --muted: #5b6270; --line: #e3e1da;
  --accent: #0f5c8c; --accent-ink: #ffffff; --accent-soft: #e6f0f7; --danger: #a3261b; --danger-soft: #fbeceb;
  --ok: #1f6b3a; --ok-soft: #e8f4ec; --focus: #f0a400;
  --map-sea: #dfeaf2; --map-land: #d6d2c9; --map-news: #8db7d5; --map-hover: #5f98c2; --map-line: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14161a; --card: #1d2026; --ink: #eceae4; --muted: #a3a9b5; --line: #30343c;
    --accent: #6cb4e4; --accent-ink: #0c1a24; --accent-soft: #1b2a36; --danger: #f08a80; --danger-soft: #3a1f1d;
    --ok: #7fd19b; --ok-soft: #1c3023;
    --map-sea: #16212b; --map-land: #3a3e45; --map-news: #2e5a79; --map-hover: #3f7aa3; --map-line: #1d2026;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 16px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem; }
header.site { border-bottom: 1px solid var(--line); background: var(--card); }
header.site .inner, main, footer.site .inner { max-width: 760px; margin: 0 auto; padding: 0 1.25rem; }
header.site .inner { display: flex; align-items: center; justify-content: space-between; height: 3.5rem; }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; letter-spacing: -.01em; }
.brand span { color: var(--accent); }
header.site nav { display: flex; gap: 1.1rem; }
header.site nav a { color: var(--muted); text-decoration: none; font-size: .95rem; }
main { padding-top: 2rem; padding-bottom: 3rem; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
footer.site .inner { padding-top: 1.25rem; padding-bottom: 2rem; }
h1 { font-size: clamp(1.6rem, 4.5vw, 2.3rem); line-height: 1.15; letter-spacing: -.02em; margin: 0 0 .75rem; }
h2 { font-size: 1.25rem; margin: 0 0 .75rem; }
.lede { font-size: 1.1rem; color: var(--muted); margin: 0 0 1.5rem; max-width: 38rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 1.5rem; margin-bottom: 1.5rem; }
.points { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 1rem; margin: 0 0 1.75rem; padding: 0; list-style: none; }
.points li { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem; font-size: .95rem; }
.points strong { display: block; margin-bottom: .25rem; }
label, legend { font-weight: 600; }
.field { margin-bottom: 1.25rem; }
.hint { color: var(--muted); font-size: .88rem; font-weight: 400; margin: .2rem 0 .4rem; }
input[type=email], input[type=text], select {
  width: 100%; font: inherit; color: var(--ink); background: var(--bg); border: 1px solid var(--line);
  border-radius: 10px; padding: .65rem .8rem; min-height: 44px; }
fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; min-width: 0; }
.regions { display: grid; gap: .75rem; }
details.region { border: 1px solid var(--line); border-radius: 10px; padding: .5rem .9rem; background: var(--bg); }
details.region summary { cursor: pointer; font-weight: 600; padding: .35rem 0; }
details.region summary .count { color: var(--muted); font-weight: 400; font-size: .9rem; }
.checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .15rem .75rem; padding: .35rem 0 .5rem; align-items: start; }
.check { display: flex; align-items: center; gap: .5rem; font-weight: 400; min-height: 36px; cursor: pointer; }
.check input { width: 1.1rem; height: 1.1rem; accent-color: var(--accent); }
.check { flex-wrap: wrap; }
.check .note { flex-basis: 100%; margin: -.4rem 0 .2rem 1.6rem; color: var(--muted); font-size: .8rem; line-height: 1.3; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 1rem; }
.freq { display: flex; flex-wrap: wrap; gap: .5rem; }
.pill { display: inline-flex; align-items: center; gap: .45rem; border: 1px solid var(--line); border-radius: 999px;
  padding: .45rem .9rem; font-weight: 500; background: var(--bg); cursor: pointer; min-height: 40px; }
.pill input { accent-color: var(--accent); }
button, .button { display: inline-flex; align-items: center; justify-content: center; font: inherit; font-weight: 600;
  border-radius: 10px; padding: .7rem 1.3rem; min-height: 44px; border: 1px solid transparent; cursor: pointer;
  background: var(--accent); color: var(--accent-ink); text-decoration: none; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); border-color: var(--line); }
button.danger { background: var(--danger); color: #fff; }
.actions.centered { justify-content: center; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: .5rem; }
.error { color: var(--danger); font-size: .9rem; font-weight: 500; margin: .3rem 0 0; }
.banner { border-radius: 10px; padding: .8rem 1rem; margin-bottom: 1.25rem; }
.banner.error-box { background: var(--danger-soft); color: var(--danger); }
.banner.ok { background: var(--ok-soft); color: var(--ok); }
.banner.info { background: var(--accent-soft); }
.muted { color: var(--muted); }
.spaced { margin-top: 1rem; }
.center { text-align: center; }
.big-emoji { font-size: 2.5rem; line-height: 1; margin-bottom: .75rem; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0 0 1rem; }
dl.summary dt { color: var(--muted); } dl.summary dd { margin: 0; }
.map { margin: .25rem 0 1rem; }
.map-views { display: flex; flex-wrap: wrap; gap: .35rem; margin-bottom: .5rem; }
.map-views button { min-height: 36px; padding: .3rem .8rem; border-radius: 999px; font-weight: 500; font-size: .9rem;
  background: transparent; color: var(--accent); border-color: var(--line); }
.map-views button[aria-pressed=true] { background: var(--accent); color: var(--accent-ink); }
.map-canvas svg { display: block; width: 100%; height: auto; overflow: clip; background: var(--map-sea); border-radius: 10px; touch-action: manipulation; }
.world path, .world circle { fill: var(--map-land); stroke: var(--map-line); stroke-width: .6; vector-effect: non-scaling-stroke; }
.world circle { stroke-width: 1; }
.world .on, .world .on > * { fill: var(--map-news); cursor: pointer; }
.world .on:hover, .world .on:hover > * { fill: var(--map-hover); }
.world .sel, .world .sel > * { fill: var(--accent); }
.world [role=checkbox]:focus, .map-canvas svg:focus { outline: none; }
.map-canvas { position: relative; }
.map-tip { position: absolute; pointer-events: none; background: var(--card); color: var(--ink); border: 1px solid var(--line);
  border-radius: 6px; padding: .15rem .5rem; font-size: .85rem; white-space: nowrap; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
.world .ring, .world .ring * { fill: none; stroke: var(--focus); stroke-width: 2.5; pointer-events: none; }
/* Dots are tap targets for small countries; one that cannot be picked would only be clutter. */
.world circle.off, .world .off circle { display: none; }
.map-panel { margin: .5rem 0 .25rem; min-height: 1.6em; font-size: .95rem; }
.map-legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: .25rem 0; color: var(--muted); font-size: .85rem; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 3px; margin-right: .35em; vertical-align: -.1em; }
.swatch.sel { background: var(--accent); } .swatch.on { background: var(--map-news); } .swatch.off { background: var(--map-land); }
@media (max-width: 520px) { .map-views { gap: .3rem; } .map-views button { min-height: 32px; padding: .2rem .6rem; font-size: .85rem; } }
@media (hover: none) and (pointer: coarse) { #map-keys { display: none; } }
.crumbs { margin: 0 0 .5rem; font-size: .9rem; }
.card.empty p { margin: 0; } .card.empty p + p { margin-top: .75rem; }
.stories h2 { margin-bottom: .25rem; }
.story { padding: 1rem 0; border-bottom: 1px solid var(--line); }
.story:last-child { border-bottom: 0; padding-bottom: 0; }
.story h3 { font-size: 1.1rem; line-height: 1.35; margin: 0 0 .25rem; }
.story h3 a { text-decoration: none; } .story h3 a:hover { text-decoration: underline; }
.story p { margin: .35rem 0 0; }
.story .meta, .story .why, .story .takes { color: var(--muted); font-size: .9rem; }
.story .takes { margin-top: .35rem; }
.story .takes ul { margin: .2rem 0 0; padding-left: 1.1rem; }
.story .takes li { margin: .15rem 0; }
ul.country-links { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .35rem .75rem; }
ul.country-links a { display: inline-block; padding: .3rem 0; text-decoration: none; }
table.list { width: 100%; border-collapse: collapse; font-size: .92rem; }
table.list th, table.list td { text-align: left; padding: .55rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
iframe.mail { width: 100%; height: 75vh; border: 1px solid var(--line); border-radius: 10px; background: #fff; }
pre.text { white-space: pre-wrap; background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; font-size: .85rem; }
.status { display: inline-block; padding: .1rem .55rem; border-radius: 999px; background: var(--accent-soft); font-size: .85rem; font-weight: 600; }
@media (max-width: 520px) { .card { padding: 1.1rem; border-radius: 12px; } main { padding-top: 1.25rem; } }
`;
