// The query page: run the editor's query against /sparql and show the answer.
// No framework, no network beyond this origin.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("page-data").textContent);
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const exampleSelect = document.getElementById("example");
  const runButton = document.getElementById("run");
  const statusEl = document.getElementById("status");
  const errorEl = document.getElementById("query-error");
  const resultsSection = document.getElementById("results");
  const resultsBody = document.getElementById("results-body");
  const truncatedEl = document.getElementById("truncated");
  const permalink = document.getElementById("permalink");
  const downloads = {
    csv: document.getElementById("download-csv"),
    json: document.getElementById("download-json"),
    turtle: document.getElementById("download-turtle"),
  };

  const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  if (isMac) document.querySelectorAll(".run-key").forEach((el) => { el.textContent = "⌘"; });

  const editor = window.KfgraphEditor
    ? window.KfgraphEditor.create(textarea, {label: "SPARQL query", onRun: run, onChange: queryChanged})
    : plainEditor(textarea);

  // Chart, map and timeline views of a result (result_views.js); the table is always there.
  const views = window.KfgraphResultViews || null;
  if (views) views.request(data.view);

  // Longest namespace first, so the most specific prefix wins.
  const prefixes = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);
  let inFlight = null;

  // ---- the query in the URL, the links, the query form -------------------

  function queryUrl(query) {
    const view = views ? views.current() : null;
    return "/?query=" + encodeURIComponent(query) + (view && view !== "table" ? "&view=" + view : "");
  }

  function queryForm(query) {
    // Drop comments, IRIs and strings, then find the first query keyword.
    const bare = query
      .replace(/"""[\s\S]*?"""|'''[\s\S]*?'''/g, " ")
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/<[^<>\s]*>/g, " ")
      .replace(/#[^\n]*/g, " ");
    const match = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(bare);
    return match ? match[1].toUpperCase() : null;
  }

  function queryChanged() {
    const query = editor.getValue();
    const encoded = encodeURIComponent(query);
    permalink.href = queryUrl(query);
    downloads.csv.href = "/sparql?query=" + encoded + "&format=csv";
    downloads.json.href = "/sparql?query=" + encoded + "&format=json";
    downloads.turtle.href = "/sparql?query=" + encoded + "&format=turtle";
    const form = queryForm(query);
    const graph = form === "CONSTRUCT" || form === "DESCRIBE";
    downloads.csv.hidden = graph || form === "ASK";
    downloads.json.hidden = graph;
    downloads.turtle.hidden = form !== null && !graph;
  }

  // ---- running -------------------------------------------------------------

  async function run() {
    const query = editor.getValue();
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    history.replaceState(null, "", queryUrl(query));
    queryChanged();
    clearError();
    setBusy(true);
    statusEl.textContent = "Running…";
    const started = performance.now();
    let response;
    let body;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({query}).toString(),
        signal: controller.signal,
      });
      body = await response.text();
    } catch (error) {
      if (error.name === "AbortError") return;
      finish();
      showError("Could not reach the endpoint: " + error.message);
      return;
    }
    if (controller !== inFlight) return;
    const elapsed = performance.now() - started;
    finish();
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    if (!response.ok) {
      showError(errorMessage(response, type, body));
      statusEl.textContent = "Failed after " + formatTime(elapsed);
      revealResults();
      return;
    }
    const truncated = response.headers.get("X-Kfgraph-Truncated") === "true";
    const limit = Number(response.headers.get("X-Kfgraph-Max-Rows")) || data.maxRows;
    if (type === "application/sparql-results+json" || type === "application/json") {
      showSparqlJson(JSON.parse(body), elapsed, truncated, limit);
    } else {
      showGraph(body, type, elapsed);
    }
    const server = serverTime(response.headers.get("Server-Timing"));
    if (server !== null) statusEl.textContent += " · " + formatTime(server) + " on the server";
    revealResults();
  }

  // Bring the results into view when they start below the fold (keyboard focus stays in the editor).
  function revealResults() {
    const top = resultsSection.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6 || top < 0) {
      resultsSection.scrollIntoView({behavior: "smooth", block: "start"});
    }
  }

  function serverTime(header) {
    // Server-Timing: query;dur=0.2, total;dur=2.4
    const match = /(?:^|,)\s*query\s*;[^,]*?dur=([\d.]+)/.exec(header || "");
    return match ? Number(match[1]) : null;
  }

  function finish() {
    inFlight = null;
    setBusy(false);
  }

  function setBusy(busy) {
    runButton.disabled = busy;
    runButton.textContent = busy ? "Running…" : "Run query";
    resultsSection.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function errorMessage(response, type, body) {
    if (type.endsWith("json")) {
      try {
        const parsed = JSON.parse(body);
        if (parsed && parsed.error && parsed.error.message) return parsed.error.message;
      } catch (ignored) { /* fall through to the raw text */ }
    }
    return (response.status + " " + response.statusText + "\n" + body).trim();
  }

  // ---- errors ---------------------------------------------------------------

  function errorPosition(message) {
    // "line 3, column 7", "(line:3, col:7)", or oxigraph's "error at 3:7"
    const words = /\bline\W{0,3}(\d+)\W{1,4}col(?:umn)?\W{0,3}(\d+)/i.exec(message);
    if (words) return {line: +words[1], column: +words[2]};
    const pair = /\b(\d+):(\d+)\b/.exec(message);
    if (pair) return {line: +pair[1], column: +pair[2]};
    return null;
  }

  function showError(message) {
    errorEl.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = "The query failed";
    const pre = document.createElement("pre");
    pre.textContent = message;
    errorEl.append(title);
    const position = errorPosition(message);
    if (position) {
      const where = document.createElement("button");
      where.type = "button";
      where.className = "link-button error-position";
      where.textContent = "line " + position.line + ", column " + position.column;
      where.addEventListener("click", () => {
        editor.markError(position.line, position.column);
        editor.focus();
      });
      errorEl.append(" at ", where);
      editor.markError(position.line, position.column);
    }
    errorEl.append(pre);
    errorEl.hidden = false;
    clearViews();
    resultsBody.replaceChildren();
    truncatedEl.hidden = true;
  }

  function clearError() {
    errorEl.hidden = true;
    errorEl.replaceChildren();
    editor.clearError();
  }

  // ---- results --------------------------------------------------------------

  function showSparqlJson(results, elapsed, truncated, limit) {
    clearViews();
    resultsBody.replaceChildren();
    if (typeof results.boolean === "boolean") {
      const answer = document.createElement("p");
      answer.className = "ask-answer ask-answer--" + results.boolean;
      answer.textContent = results.boolean ? "true" : "false";
      resultsBody.append(answer);
      statusEl.textContent = "Answered in " + formatTime(elapsed);
      truncatedEl.hidden = true;
      return;
    }
    const vars = results.head.vars || [];
    const rows = results.results.bindings;
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Result table, scrollable");
    const table = document.createElement("table");
    table.className = "results-table";
    const caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = rows.length + " result rows";
    const head = table.createTHead().insertRow();
    head.append(headerCell("#", "row-number"));
    vars.forEach((name) => head.append(headerCell("?" + name)));
    table.append(caption);
    const tbody = table.createTBody();
    const fragment = document.createDocumentFragment();
    rows.forEach((binding, index) => {
      const row = document.createElement("tr");
      const number = document.createElement("td");
      number.className = "row-number";
      number.textContent = String(index + 1);
      row.append(number);
      vars.forEach((name) => row.append(termCell(binding[name])));
      fragment.append(row);
    });
    tbody.append(fragment);
    wrap.append(table);
    if (rows.length === 0) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "No results.";
      resultsBody.append(empty);
    } else {
      resultsBody.append(wrap);
    }
    statusEl.textContent = plural(rows.length, "row") + " in " + formatTime(elapsed);
    if (views) {
      views.show(results, {
        table: wrap, picture: document.getElementById("result-picture"),
        switcher: document.getElementById("result-views"),
        onChange: () => {
          const query = editor.getValue();
          permalink.href = queryUrl(query);
          history.replaceState(null, "", queryUrl(query));
        },
      });
    }
    truncatedEl.hidden = !truncated;
    if (truncated) {
      truncatedEl.textContent = "Results were cut: the server returns at most " + limit.toLocaleString() +
        " rows. Narrow the query, or page through with LIMIT and OFFSET, to see the rest.";
    }
  }

  function clearViews() {
    document.getElementById("result-picture").replaceChildren();
    document.getElementById("result-picture").hidden = true;
    document.getElementById("result-views").hidden = true;
  }

  function showGraph(text, type, elapsed) {
    clearViews();
    resultsBody.replaceChildren();
    truncatedEl.hidden = true;
    if (!text.trim()) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "The graph is empty: no triples matched.";
      resultsBody.append(empty);
      statusEl.textContent = "Empty graph in " + formatTime(elapsed);
      return;
    }
    const pre = document.createElement("pre");
    pre.className = "graph-text";
    pre.tabIndex = 0;
    pre.setAttribute("aria-label", "Result graph (" + (type || "text") + ")");
    pre.textContent = text;
    resultsBody.append(pre);
    const triples = text.split("\n").filter((line) => /\.\s*$/.test(line)).length;
    statusEl.textContent = "Graph of about " + plural(triples, "statement") + " in " + formatTime(elapsed);
  }

  function headerCell(text, className) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    if (className) th.className = className;
    return th;
  }

  function termCell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.append(iriLink(term.value));
    } else if (term.type === "bnode") {
      td.className = "bnode";
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< " + [term.value.subject, term.value.predicate, term.value.object]
        .map((t) => t.value).join(" ") + " >>";
    } else {
      const value = document.createElement("span");
      // a short literal without spaces (a date, a number, a code) never wraps
      value.className = /\s/.test(term.value) || term.value.length > 40 ? "literal" : "literal literal--word";
      value.textContent = term.value;
      td.append(value);
      const lang = term["xml:lang"];
      if (lang) {
        td.append(annotation("@" + lang, "Language"));
      } else if (term.datatype && term.datatype !== "http://www.w3.org/2001/XMLSchema#string") {
        td.append(annotation("^^" + compact(term.datatype), "Datatype " + term.datatype));
      }
    }
    return td;
  }

  function annotation(text, title) {
    const span = document.createElement("span");
    span.className = "term-note";
    span.textContent = text;
    span.title = title;
    return span;
  }

  // Only http(s) IRIs become links: a result IRI such as javascript:… or data:… is shown, never followed.
  function iriLink(iri) {
    const followable = /^https?:/i.test(iri);
    const a = document.createElement(followable ? "a" : "span");
    a.className = "iri";
    if (followable) a.href = iri;
    a.title = iri;
    const short = compact(iri);
    if (short !== iri) {
      a.textContent = short;
    } else if (data.baseIri && iri.startsWith(data.baseIri) && iri.length > data.baseIri.length) {
      const base = document.createElement("span");
      base.className = "iri-base";
      base.textContent = data.baseIri;
      a.append(base, iri.slice(data.baseIri.length));
    } else {
      a.textContent = iri;
    }
    return a;
  }

  function compact(iri) {
    for (const [name, ns] of prefixes) {
      if (iri.startsWith(ns) && /^[A-Za-z0-9_\-.]*$/.test(iri.slice(ns.length))) {
        return name + ":" + iri.slice(ns.length);
      }
    }
    return iri;
  }

  function plural(count, word) {
    return count.toLocaleString() + " " + word + (count === 1 ? "" : "s");
  }

  function formatTime(ms) {
    if (ms < 10) return ms.toFixed(1) + " ms";
    return ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(2) + " s";
  }

  // ---- a textarea, should the editor bundle fail to load -----------------

  function plainEditor(area) {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
    area.addEventListener("input", queryChanged);
    return {
      getValue: () => area.value,
      setValue: (text) => { area.value = text; },
      markError(line) {
        const lines = area.value.split("\n");
        const start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
        area.setSelectionRange(start, start + (lines[line - 1] || "").length);
      },
      clearError() {},
      focus: () => area.focus(),
    };
  }

  // ---- wiring -----------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  exampleSelect.addEventListener("change", () => {
    const chosen = data.examples.find((e) => e.name === exampleSelect.value);
    if (!chosen) return;
    editor.setValue(chosen.text);
    queryChanged();
    clearError();
  });

  queryChanged();
  if (data.run) run();
})();
