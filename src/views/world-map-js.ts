// Part of /assets/app.js: the world map picker (src/views/world-map.tsx). The country checkboxes stay the
// source of truth: the map reads which countries the form offers and which are ticked, ticks the same
// boxes, and follows them when they change. Countries without a checkbox (no working source) are drawn
// muted and cannot be picked.
//
// Keyboard and screen readers: the map is one Tab stop (a roving tabindex: Tab goes on to the rest of
// the form instead of through sixty countries); each pickable country is a checkbox named by its country;
// arrow keys move to the nearest country in that direction, typing jumps to a name, Home/End to the first
// and last, Space or Enter ticks. A ring drawn on top of everything shows the focus.
// Phones: region buttons zoom in (the viewBox changes), dots stay about 4.5 px whatever the zoom, and a
// tap on the sea or a grey country right beside a small country's dot picks that country.
export const worldMapJs = `
(function () {
  var frame = document.querySelector("[data-world-map]");
  var form = frame && frame.closest("form");
  if (!form || !window.fetch) return;
  var canvas = frame.querySelector(".map-canvas");
  var panel = frame.querySelector(".map-panel");
  var boxes = {};
  form.querySelectorAll("input[type=checkbox][name=countries]").forEach(function (cb) { boxes[cb.value] = cb; });

  fetch(frame.getAttribute("data-world-map")).then(function (r) {
    if (!r.ok) throw new Error("map: HTTP " + r.status);
    return r.text();
  }).then(function (svgText) {
    // Our own static asset, same origin: shapes and data attributes, no script or style.
    canvas.innerHTML = svgText;
    var svg = canvas.querySelector("svg");
    if (!svg) return;
    frame.hidden = false;
    wire(svg);
  }).catch(function () { /* the country list is the picker */ });

  function flagOf(code) {
    return String.fromCodePoint(0x1f1e6 + code.charCodeAt(0) - 65, 0x1f1e6 + code.charCodeAt(1) - 65);
  }
  function fold(s) {
    return s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  }

  function wire(svg) {
    var NS = "http://www.w3.org/2000/svg";
    var items = [];
    var byCode = {};
    svg.querySelectorAll("[id^='m-']").forEach(function (el) {
      var code = el.id.slice(2);
      var p = (el.getAttribute("data-p") || "0 0").split(" ");
      var item = { code: code, el: el, name: el.getAttribute("data-n") || code, key: fold(el.getAttribute("data-n") || code),
        x: Number(p[0]), y: Number(p[1]), cb: boxes[code] || null,
        small: el.tagName.toLowerCase() === "circle" || !!el.querySelector("circle") };
      byCode[code] = item;
      if (!item.cb) { el.classList.add("off"); return; }
      el.classList.add("on");
      el.setAttribute("role", "checkbox");
      el.setAttribute("aria-label", item.name);
      el.setAttribute("tabindex", "-1");
      items.push(item);
      sync(item);
    });
    items.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
    svg.setAttribute("aria-label", "World map, " + items.length + " countries to pick from");
    svg.setAttribute("aria-describedby", "map-keys");
    // Chrome makes the map itself a Tab stop (it takes the clipped shapes for scrollable content); the
    // countries are the stop.
    svg.setAttribute("tabindex", "-1");
    var ring = document.createElementNS(NS, "g");
    ring.setAttribute("class", "ring");
    ring.setAttribute("aria-hidden", "true");
    svg.appendChild(ring);

    var current = items.filter(function (i) { return i.cb.checked; })[0] || items[0] || null;
    if (current) current.el.setAttribute("tabindex", "0");

    function sync(item) {
      item.el.classList.toggle("sel", item.cb.checked);
      item.el.setAttribute("aria-checked", item.cb.checked ? "true" : "false");
    }
    function show(item) {
      panel.textContent = "";
      var name = document.createElement("strong");
      name.textContent = flagOf(item.code) + " " + item.name;
      panel.appendChild(name);
      if (!item.cb) {
        panel.appendChild(document.createTextNode(": no news source there yet."));
        return;
      }
      panel.appendChild(document.createTextNode(item.cb.checked ? ": in your digest. " : ": not in your digest. "));
      var link = document.createElement("a");
      link.href = "/countries/" + item.code.toLowerCase();
      link.textContent = "Latest stories from " + item.name;
      panel.appendChild(link);
    }
    function drawRing(item) {
      ring.textContent = "";
      if (!item) return;
      var copy = item.el.cloneNode(true);
      ["id", "role", "tabindex", "aria-label", "aria-checked", "class", "data-n", "data-p"].forEach(function (a) { copy.removeAttribute(a); });
      ring.appendChild(copy);
    }
    function inView(item) {
      var v = svg.viewBox.baseVal;
      return item.x >= v.x && item.x <= v.x + v.width && item.y >= v.y && item.y <= v.y + v.height;
    }
    function setCurrent(item, focus) {
      if (current && current !== item) current.el.setAttribute("tabindex", "-1");
      current = item;
      item.el.setAttribute("tabindex", "0");
      if (focus) {
        if (!inView(item)) zoom(buttons[0]);
        item.el.focus();
      }
      show(item);
    }
    function toggle(item) {
      item.cb.checked = !item.cb.checked;
      // As a click on the box would: the list's region counters and anything else listening follow.
      item.cb.dispatchEvent(new Event("change", { bubbles: true }));
    }
    form.addEventListener("change", function (e) {
      var t = e.target;
      var item = t && t.name === "countries" ? byCode[t.value] : null;
      if (item && item.cb) {
        sync(item);
        if (item === current) show(item);
      }
    });

    // The nearest small pickable country within px screen pixels of a point (a tap that just missed a dot).
    function nearSmall(clientX, clientY, px) {
      var m = svg.getScreenCTM();
      if (!m) return null;
      var best = null;
      var bestD = px;
      items.forEach(function (i) {
        if (!i.small) return;
        var sx = m.a * i.x + m.c * i.y + m.e;
        var sy = m.b * i.x + m.d * i.y + m.f;
        var d = Math.sqrt((sx - clientX) * (sx - clientX) + (sy - clientY) * (sy - clientY));
        if (d < bestD) { bestD = d; best = i; }
      });
      return best;
    }
    svg.addEventListener("click", function (e) {
      var el = e.target.closest("[id^='m-']");
      var item = el ? byCode[el.id.slice(2)] : null;
      if (!item || !item.cb) item = nearSmall(e.clientX, e.clientY, 14) || item;
      if (!item) return;
      if (!item.cb) { show(item); return; }
      toggle(item);
      setCurrent(item, false);
    });
    // Pointing names a country in a small label beside the pointer; the panel below keeps the last country
    // clicked or focused, so its link stays put while the pointer travels to it across other countries.
    var tip = document.createElement("div");
    tip.className = "map-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true");
    canvas.appendChild(tip);
    svg.addEventListener("pointermove", function (e) {
      if (e.pointerType !== "mouse") return;
      var el = e.target.closest("[id^='m-']");
      var item = el ? byCode[el.id.slice(2)] : null;
      if (!item) { tip.hidden = true; return; }
      tip.textContent = flagOf(item.code) + " " + item.name + (item.cb ? (item.cb.checked ? " \u2713" : "") : " \u00b7 no sources yet");
      var box = canvas.getBoundingClientRect();
      // CSSOM, not a style attribute: allowed under the pages' CSP.
      tip.style.left = Math.min(e.clientX - box.left + 12, box.width - 160) + "px";
      tip.style.top = e.clientY - box.top + 14 + "px";
      tip.hidden = false;
    });
    svg.addEventListener("pointerleave", function () { tip.hidden = true; });
    svg.addEventListener("focusin", function (e) {
      var item = byCode[(e.target.id || "").slice(2)];
      if (!item || !item.cb) return;
      if (item !== current) setCurrent(item, false);
      else show(item);
      // The ring is for keyboard focus; a click or tap shows its choice by the fill.
      if (e.target.matches(":focus-visible")) drawRing(item);
    });
    svg.addEventListener("focusout", function () { drawRing(null); });

    // The nearest country in an arrow's direction: along the arrow counts once, sideways twice.
    function step(from, dx, dy) {
      var best = null;
      var bestScore = Infinity;
      items.forEach(function (i) {
        if (i === from) return;
        var ex = i.x - from.x;
        var ey = i.y - from.y;
        var along = ex * dx + ey * dy;
        if (along <= 0) return;
        var score = along + 2 * Math.abs(ex * dy - ey * dx);
        if (score < bestScore) { bestScore = score; best = i; }
      });
      return best;
    }
    // Type-ahead: the first name starting with what was typed; one letter again and again cycles.
    var typed = "";
    var typedAt = 0;
    function search(from) {
      var start = items.indexOf(from);
      var cycling = typed.split("").every(function (c) { return c === typed[0]; });
      var prefix = cycling ? typed[0] : typed;
      for (var n = cycling ? 1 : 0; n <= items.length; n++) {
        var i = items[(start + n) % items.length];
        if (i.key.indexOf(prefix) === 0) return i;
      }
      return null;
    }
    svg.addEventListener("keydown", function (e) {
      var item = byCode[(e.target.id || "").slice(2)];
      if (!item || !item.cb || e.ctrlKey || e.metaKey || e.altKey) return;
      var next = null;
      switch (e.key) {
        case " ": case "Spacebar": case "Enter":
          e.preventDefault();
          toggle(item);
          show(item);
          return;
        case "ArrowLeft": next = step(item, -1, 0); break;
        case "ArrowRight": next = step(item, 1, 0); break;
        case "ArrowUp": next = step(item, 0, -1); break;
        case "ArrowDown": next = step(item, 0, 1); break;
        case "Home": next = items[0]; break;
        case "End": next = items[items.length - 1]; break;
        default:
          if (e.key.length !== 1 || !/\\S/.test(e.key)) return;
          typed = Date.now() - typedAt > 800 ? fold(e.key) : typed + fold(e.key);
          typedAt = Date.now();
          next = search(item);
      }
      e.preventDefault();
      if (next) setCurrent(next, true);
    });

    var buttons = Array.prototype.slice.call(frame.querySelectorAll(".map-views button"));
    function sizeDots() {
      var width = svg.getBoundingClientRect().width;
      if (!width) return;
      var r = Math.max(1, Math.round((4.5 * svg.viewBox.baseVal.width) / width));
      svg.querySelectorAll("circle").forEach(function (c) { c.setAttribute("r", String(r)); });
    }
    function zoom(button) {
      svg.setAttribute("viewBox", button.getAttribute("data-view"));
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
      sizeDots();
      var focused = document.activeElement;
      drawRing(focused && svg.contains(focused) && focused.matches(":focus-visible") ? current : null);
    }
    buttons.forEach(function (b) { b.addEventListener("click", function () { zoom(b); }); });
    window.addEventListener("resize", sizeDots);
    sizeDots();
  }
})();
`;
