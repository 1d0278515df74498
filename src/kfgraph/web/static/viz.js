// kfgraph's pictures, shared by the resource pages, /map and the query page's result views.
// Drawn with the vendored Chart.js, Leaflet and vis-timeline; the map's only layer is
// /static/geo/kosovo.geojson (no tile server): nothing is fetched from outside this server.
(function () {
  "use strict";

  // One colour per event type, the same on every page; other series take the palette in turn.
  const TYPE_COLOURS = {
    Exercise: "#1d4f91", Training: "#4e8fd6", Deployment: "#2a7a4b", Patrol: "#7cb342",
    Visit: "#c8631b", Meeting: "#f0a500", ChangeOfCommand: "#8e3b9e", Ceremony: "#c06cc8",
    Donation: "#00897b", Incident: "#c62828", Statement: "#6d4c41", Other: "#8a94a3",
  };
  const PALETTE = ["#1d4f91", "#c8631b", "#2a7a4b", "#8e3b9e", "#c62828", "#00897b", "#f0a500",
    "#4e8fd6", "#6d4c41", "#7cb342", "#c06cc8", "#8a94a3"];
  const KIND_STYLE = {
    camp: {color: "#1d4f91", label: "camp"},
    crossing: {color: "#c62828", label: "crossing"},
    city: {color: "#4a5566", label: "town"},
    municipality: {color: "#4a5566", label: "town"},
  };

  function colour(name, index) {
    return TYPE_COLOURS[name] || PALETTE[index % PALETTE.length];
  }

  // ---- charts --------------------------------------------------------------

  // spec: {kind: "bar" | "line", labels: [...], datasets: [{label, data}], stacked, xTitle, yTitle}
  function chart(canvas, spec) {
    const datasets = spec.datasets.map((d, i) => ({
      label: d.label, data: d.data,
      backgroundColor: colour(d.label, i), borderColor: colour(d.label, i),
      borderWidth: spec.kind === "line" ? 2 : 0, pointRadius: spec.kind === "line" ? 2.5 : 0,
      maxBarThickness: 48,
      spanGaps: true,
    }));
    return new window.Chart(canvas, {
      type: spec.kind,
      data: {labels: spec.labels, datasets},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: {mode: "index", intersect: false},
        plugins: {legend: {display: datasets.length > 1, position: "bottom"}},
        scales: {
          x: {stacked: !!spec.stacked, title: {display: !!spec.xTitle, text: spec.xTitle}},
          y: {stacked: !!spec.stacked, beginAtZero: true, title: {display: !!spec.yTitle, text: spec.yTitle},
            ticks: {precision: spec.integers === false ? undefined : 0}},
        },
      },
    });
  }

  // counts: {years: [...], series: [{type, counts}]} as the summaries give them
  function eventsChart(canvas, counts) {
    return chart(canvas, {
      kind: "bar", stacked: true, integers: true, labels: counts.years.map(String), yTitle: "events",
      datasets: counts.series.map((s) => ({label: s.type, data: s.counts})),
    });
  }

  // ---- maps ----------------------------------------------------------------

  let geoJson = null;
  function kosovoShapes() {
    if (!geoJson) {
      geoJson = fetch("/static/geo/kosovo.geojson").then((r) => {
        if (!r.ok) throw new Error("the map's outline could not be loaded (" + r.status + ")");
        return r.json();
      });
    }
    return geoJson;
  }

  // A Leaflet map with Kosovo's municipalities and outline, fitted to them; no tile layer.
  function kosovoMap(element) {
    const map = window.L.map(element, {zoomSnap: 0.1, scrollWheelZoom: false, attributionControl: true});
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Borders: Natural Earth (public domain)");
    map.setView([42.6, 20.9], 8);
    const ready = kosovoShapes().then((shapes) => {
      const municipalities = window.L.geoJSON(shapes, {
        filter: (f) => f.properties.kind === "municipality",
        style: {color: "#b5bdc8", weight: 1, fillColor: "#eef1f5", fillOpacity: 1},
        onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name, {sticky: true, className: "viz-muni"}),
      }).addTo(map);
      window.L.geoJSON(shapes, {
        filter: (f) => f.properties.kind === "outline",
        style: {color: "#4a5566", weight: 2, fill: false}, interactive: false,
      }).addTo(map);
      map.fitBounds(municipalities.getBounds(), {padding: [8, 8]});
      return map;
    });
    return {map, ready};
  }

  // A circle for a place: {lat, lon, label, href, kind}; options {radius, colour, emphasis, note}
  function placeMarker(map, place, options) {
    const style = KIND_STYLE[(place.kind || "").toLowerCase()] || {color: "#4a5566", label: place.kind || "place"};
    const marker = window.L.circleMarker([place.lat, place.lon], {
      radius: options.radius, weight: options.emphasis ? 3 : 1.5,
      color: options.emphasis ? "#ffffff" : style.color,
      fillColor: options.colour || style.color, fillOpacity: options.emphasis ? 1 : 0.55,
      className: "viz-place" + (options.emphasis ? " viz-place--focus" : ""),
    }).addTo(map);
    const tip = place.label + (options.note ? " · " + options.note : " · " + style.label);
    marker.bindTooltip(tip, {permanent: !!options.emphasis, direction: "right", offset: [options.radius, 0]});
    if (place.href) marker.on("click", () => { window.location.href = place.href; });
    return marker;
  }

  // ---- timelines -------------------------------------------------------------

  // items: [{start, end?, content, title?, href?, group?, className?}]; groups optional
  function timeline(element, items, groups, options) {
    const data = items.map((item, id) => Object.assign({id, type: item.end ? "range" : "point"}, item));
    // Open on the items themselves, with a margin (not on today, as vis-timeline would before it fits).
    const times = data.flatMap((item) => [item.start, item.end].filter(Boolean).map((d) => new Date(d).getTime()))
      .filter((t) => !Number.isNaN(t));
    if (times.length && !(options && options.start)) {
      const first = Math.min(...times);
      const last = Math.max(...times);
      const margin = Math.max((last - first) * 0.06, 45 * 24 * 3600 * 1000);
      options = Object.assign({start: new Date(first - margin), end: new Date(last + margin)}, options || {});
    }
    const timelineOptions = Object.assign({
      stack: true, zoomKey: "ctrlKey", horizontalScroll: false, maxHeight: 420, margin: {item: 4},
      orientation: {axis: "top"}, tooltip: {followMouse: true, overflowMethod: "cap"},
    }, options || {});
    const tl = groups
      ? new window.vis.Timeline(element, data, groups, timelineOptions)
      : new window.vis.Timeline(element, data, timelineOptions);
    tl.on("click", (props) => {
      const item = props.item === null || props.item === undefined ? null : data[props.item];
      if (item && item.href) window.location.href = item.href;
    });
    return tl;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
  }

  window.KfgraphViz = {colour, chart, eventsChart, kosovoMap, placeMarker, timeline, escapeHtml};
})();
