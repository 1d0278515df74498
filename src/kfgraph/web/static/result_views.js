// The query page's views of a SELECT result besides the table: chart, map, timeline.
// Which views fit is read from the columns (numbers, dates, coordinates, places); the best one
// is shown first, the others are a click away, and the choice is kept in the permalink (&view=).
(function () {
  "use strict";
  const V = window.KfgraphViz;
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong"].map((t) => XSD + t);
  const DATES = ["date", "dateTime", "gYear", "gYearMonth", "dateTimeStamp"].map((t) => XSD + t);
  const WKT = "http://www.opengis.net/ont/geosparql#wktLiteral";
  const VIEWS = ["table", "chart", "map", "timeline"];
  const MAX_ITEMS = 500;

  let current = null;       // the view shown, or null before any result
  let requested = null;     // the view asked for by the URL (?view=) or a click
  let knownPlaces = null;   // promise of /map.json's places by IRI, fetched once when a result has IRIs

  // ---- reading the columns ---------------------------------------------------

  function kindOf(name, terms) {
    if (!terms.length) return "empty";
    const all = (test) => terms.every(test);
    if (all((t) => t.type === "uri")) return "iri";
    if (all((t) => t.type === "literal" && t.datatype === WKT && /POINT\s*\(/i.test(t.value))) return "wkt";
    if (all((t) => t.type === "literal" && DATES.includes(t.datatype))) return "date";
    if (all((t) => t.type === "literal" && NUMERIC.includes(t.datatype))) {
      if (/^(lat|latitude)$/i.test(name)) return "lat";
      if (/^(long|lon|lng|longitude)$/i.test(name)) return "long";
      if (/year/i.test(name) && all((t) => /^\d{4}$/.test(t.value))) return "year";
      return "number";
    }
    return "text";
  }

  function analyse(vars, rows) {
    const columns = vars.map((name) => {
      const terms = rows.map((row) => row[name]).filter(Boolean);
      return {name, kind: kindOf(name, terms)};
    });
    const first = (...kinds) => columns.find((c) => kinds.includes(c.kind)) || null;
    const dates = columns.filter((c) => c.kind === "date" || c.kind === "year");
    const texts = columns.filter((c) => c.kind === "text");
    return {
      columns, dates, texts,
      number: first("number"), lat: first("lat"), long: first("long"), wkt: first("wkt"),
      label: first("text", "iri"), iri: first("iri"),
    };
  }

  function value(row, column) {
    const term = column && row[column.name];
    return term ? term.value : null;
  }

  function shortIri(iri) {
    return decodeURIComponent(iri.replace(/[#/]$/, "").split(/[#/]/).pop() || iri);
  }

  function labelOf(row, shape) {
    const text = value(row, shape.texts[0]);
    if (text) return text;
    const iri = value(row, shape.iri);
    return iri ? shortIri(iri) : "";
  }

  function pointOf(row, shape, places) {
    if (shape.lat && shape.long && value(row, shape.lat) && value(row, shape.long)) {
      return {lat: Number(value(row, shape.lat)), lon: Number(value(row, shape.long))};
    }
    const wkt = value(row, shape.wkt);
    const match = wkt && /POINT\s*\(\s*([-\d.]+)\s+([-\d.]+)/i.exec(wkt);
    if (match) return {lat: Number(match[2]), lon: Number(match[1])};
    if (places) {
      for (const column of shape.columns.filter((c) => c.kind === "iri")) {
        const place = places.get(value(row, column));
        if (place) return place;
      }
    }
    return null;
  }

  // ---- which views fit --------------------------------------------------------

  function fits(shape, rows, places) {
    const mappable = rows.some((row) => pointOf(row, shape, places));
    return {
      table: true,
      chart: !!shape.number && (shape.dates.length > 0 || !!shape.label),
      map: mappable,
      timeline: shape.dates.some((c) => c.kind === "date") || (shape.dates.length > 0 && !shape.number),
    };
  }

  function best(available, shape) {
    if (requested && available[requested]) return requested;
    if (available.map && (shape.lat || shape.wkt)) return "map";
    if (available.chart) return "chart";
    if (available.timeline) return "timeline";
    if (available.map) return "map";
    return "table";
  }

  // ---- drawing ------------------------------------------------------------------

  function drawChart(element, shape, rows) {
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    element.classList.add("viz-chart");
    element.style.height = "420px";
    element.append(canvas);
    const x = shape.dates[0] || shape.label;
    const series = shape.dates.length ? shape.texts.find((c) => c !== x) || null : null;
    const xs = [...new Set(rows.map((row) => value(row, x)).filter((v) => v !== null))];
    if (shape.dates.length) xs.sort();
    const names = series ? [...new Set(rows.map((row) => value(row, series) || "—"))] : [shape.number.name];
    const table = new Map(names.map((name) => [name, new Map()]));
    rows.forEach((row) => {
      const key = value(row, x);
      const n = Number(value(row, shape.number));
      if (key === null || Number.isNaN(n)) return;
      const byX = table.get(series ? value(row, series) || "—" : shape.number.name);
      byX.set(key, (byX.get(key) || 0) + n);
    });
    const overTime = shape.dates.length > 0;
    const kind = overTime && x.kind === "date" ? "line" : "bar";
    const labels = overTime ? xs : xs.slice(0, 60);
    canvas.setAttribute("aria-label", "Chart of ?" + shape.number.name + " by ?" + x.name + (series ? " and ?" + series.name : ""));
    V.chart(canvas, {
      kind, labels, stacked: kind === "bar" && names.length > 1, xTitle: "?" + x.name, yTitle: "?" + shape.number.name,
      integers: false,
      datasets: names.map((name) => ({
        label: name, data: labels.map((key) => (table.get(name).has(key) ? table.get(name).get(key) : (kind === "bar" ? 0 : null))),
      })),
    });
    return kind === "line" ? "line chart" : names.length > 1 ? "stacked bar chart" : "bar chart";
  }

  function drawMap(element, shape, rows, places) {
    element.classList.add("viz-map", "viz-map--large");
    const {map, ready} = V.kosovoMap(element);
    const points = rows.map((row) => ({row, point: pointOf(row, shape, places)})).filter((p) => p.point);
    const largest = shape.number ? Math.max(1, ...points.map((p) => Number(value(p.row, shape.number)) || 0)) : 1;
    ready.then(() => {
      points.slice(0, MAX_ITEMS).forEach(({row, point}) => {
        const n = shape.number ? Number(value(row, shape.number)) || 0 : null;
        const iri = value(row, shape.iri);
        V.placeMarker(map, {
          lat: point.lat, lon: point.lon, label: labelOf(row, shape) || point.label || "",
          kind: point.kind, href: iri && iri.startsWith(window.location.origin) ? iri : point.href,
        }, {radius: n === null ? 6 : 4 + 20 * Math.sqrt(n / largest), note: n === null ? null : "?" + shape.number.name + " " + n});
      });
      element.dataset.ready = "true";
    });
    return points.length + " of " + rows.length + " rows on the map";
  }

  function drawTimeline(element, shape, rows) {
    element.classList.add("viz-timeline");
    const dates = shape.dates;
    const items = [];
    rows.slice(0, MAX_ITEMS).forEach((row) => {
      const start = value(row, dates[0]);
      if (!start) return;
      const end = dates[1] ? value(row, dates[1]) : null;
      const label = labelOf(row, shape) || start;
      const iri = value(row, shape.iri);
      items.push({
        start, end: end && end > start ? end : null, content: V.escapeHtml(label),
        title: V.escapeHtml(label + ": " + start + (end && end > start ? " – " + end : "")),
        href: iri && iri.startsWith(window.location.origin) ? iri : null,
      });
    });
    V.timeline(element, items, null, {maxHeight: 560});
    return items.length + " rows on the timeline" + (rows.length > MAX_ITEMS ? " (the first " + MAX_ITEMS + ")" : "");
  }

  // ---- the switch ------------------------------------------------------------------

  function placesByIri() {
    if (!knownPlaces) {
      knownPlaces = fetch("/map.json").then((r) => (r.ok ? r.json() : {places: []}))
        .then((data) => new Map(data.places.map((p) => [p.iri, p])))
        .catch(() => new Map());
    }
    return knownPlaces;
  }

  // Show ``results`` (SPARQL JSON of a SELECT) in the best fitting view; the table is already in ``tableWrap``.
  async function show(results, parts) {
    const vars = results.head.vars || [];
    const rows = results.results.bindings;
    parts.picture.replaceChildren();
    parts.picture.hidden = true;
    parts.switcher.hidden = true;
    current = null;
    if (!rows.length) return;
    const shape = analyse(vars, rows);
    const places = shape.iri ? await placesByIri() : null;
    const available = fits(shape, rows, places);
    const buttons = VIEWS.map((view) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.view = view;
      button.textContent = view[0].toUpperCase() + view.slice(1);
      button.disabled = !available[view];
      if (!available[view]) button.title = "This result has no " + {chart: "number to chart", map: "coordinates or known places", timeline: "dates"}[view];
      button.addEventListener("click", () => { requested = view; choose(view); });
      return button;
    });
    parts.switcher.replaceChildren(...buttons);
    parts.switcher.hidden = false;

    function choose(view) {
      current = view;
      buttons.forEach((b) => b.setAttribute("aria-pressed", b.dataset.view === view ? "true" : "false"));
      parts.table.hidden = view !== "table";
      parts.picture.replaceChildren();
      parts.picture.hidden = view === "table";
      parts.picture.dataset.view = view;
      if (view !== "table") {
        const canvas = document.createElement("div");
        const note = document.createElement("p");
        note.className = "viz-view-note";
        parts.picture.append(canvas, note);
        const draw = {chart: drawChart, map: drawMap, timeline: drawTimeline}[view];
        note.textContent = "Showing a " + draw(canvas, shape, rows, places) + ". The table has every row.";
        if (view !== "chart") note.textContent = "Showing " + note.textContent.slice("Showing a ".length);
      }
      parts.onChange(view);
    }
    choose(best(available, shape));
  }

  window.KfgraphResultViews = {
    show,
    current: () => current,
    request: (view) => { requested = VIEWS.includes(view) ? view : null; },
  };
})();
