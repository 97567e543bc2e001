// Served at /assets/app.js: progressive enhancement only (a module so Workers carry it).
import { worldMapJs } from "./world-map-js";

export const appJs = `
// Progressive enhancement only: every form works without this file.
(function () {
  // Prefill the time zone from the browser when the form still shows the server's guess.
  var tz;
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { tz = null; }
  document.querySelectorAll("select[data-detect-zone]").forEach(function (select) {
    if (!tz || select.getAttribute("data-user-chose") === "1") return;
    var found = false;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === tz) { select.value = tz; found = true; break; }
    }
    // A zone the server's list spells differently: offer it (the server still validates it).
    if (!found && /^[A-Za-z0-9_+\-\/]+$/.test(tz)) {
      var option = document.createElement("option");
      option.value = tz; option.textContent = tz.replace(/_/g, " ");
      select.appendChild(option); select.value = tz;
    }
  });
  // Show the weekday picker only for weekly.
  function syncWeekly() {
    var weekly = document.querySelector("input[name=frequency][value=weekly]");
    var day = document.getElementById("weekly-day-field");
    if (weekly && day) day.hidden = !weekly.checked;
  }
  document.querySelectorAll("input[name=frequency]").forEach(function (r) { r.addEventListener("change", syncWeekly); });
  syncWeekly();
  // Keep the per-region counters in step with the boxes.
  document.querySelectorAll("details.region").forEach(function (d) {
    var out = d.querySelector(".count");
    function count() {
      var n = d.querySelectorAll("input[type=checkbox]:checked").length;
      if (out) out.textContent = n ? "(" + n + " selected)" : "";
    }
    d.addEventListener("change", count);
  });
  // Delete confirmation: ask once more in the browser too.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) { if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault(); });
  });
})();
` + worldMapJs;
