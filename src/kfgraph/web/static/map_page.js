// /map: every place with coordinates, each circle sized by its events; filters by year and type.
(function () {
  "use strict";
  const V = window.KfgraphViz;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const yearSelect = document.getElementById("map-year");
  const typeSelect = document.getElementById("map-type");
  const status = document.getElementById("map-status");
  const element = document.getElementById("places-map");
  const {map, ready} = V.kosovoMap(element);
  let markers = [];

  // The filters live in the URL (?year=&type=), so a filtered map can be linked to.
  const params = new URLSearchParams(window.location.search);
  yearSelect.value = params.get("year") || "";
  typeSelect.value = params.get("type") || "";

  function totals(year, type) {
    const sums = new Array(data.places.length).fill(0);
    for (const [place, y, t, n] of data.counts) {
      if ((!year || y === year) && (!type || t === type)) sums[place] += n;
    }
    return sums;
  }

  function redraw() {
    const year = yearSelect.value ? Number(yearSelect.value) : null;
    const type = typeSelect.value || null;
    const sums = totals(year, type);
    const largest = Math.max(1, ...sums);
    markers.forEach((m) => m.remove());
    markers = [];
    let shown = 0;
    let events = 0;
    data.places.forEach((place, i) => {
      if (!place.in_kosovo) return;
      const n = sums[i];
      const radius = n ? 4 + 22 * Math.sqrt(n / largest) : 3;
      const note = n.toLocaleString() + " event" + (n === 1 ? "" : "s");
      markers.push(V.placeMarker(map, place, {radius, note, colour: n ? undefined : "#ffffff"}));
      if (n) { shown += 1; events += n; }
    });
    status.textContent = events.toLocaleString() + " events at " + shown + " places" +
      (year ? " in " + year : "") + (type ? ", type " + type : "") + ".";
    const query = new URLSearchParams();
    if (year) query.set("year", String(year));
    if (type) query.set("type", type);
    history.replaceState(null, "", "/map" + (query.toString() ? "?" + query : ""));
    element.dataset.ready = "true";
  }

  ready.then(redraw).catch((error) => { status.textContent = error.message; });
  yearSelect.addEventListener("change", redraw);
  typeSelect.addEventListener("change", redraw);
})();
