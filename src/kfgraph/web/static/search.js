// The header's search box: suggestions from /search.json as the user types (an ARIA combobox).
// Up/Down move through the suggestions, Enter opens the chosen one (or the results page), Escape closes.
(function () {
  "use strict";

  const input = document.getElementById("site-search-q");
  const list = document.getElementById("site-search-list");
  if (!input || !list) return;
  const form = input.form;
  const DELAY_MS = 120;
  let timer = null;
  let controller = null;
  let active = -1;
  let lastQuery = "";

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  function option(id, href, kind, kindLabel, title, meta) {
    const li = document.createElement("li");
    li.id = id;
    li.className = "site-search__option";
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    const a = document.createElement("a");
    a.href = href;
    a.tabIndex = -1;
    const badge = document.createElement("span");
    badge.className = "kind-badge kind-badge--" + kind;
    badge.textContent = kindLabel;
    const name = document.createElement("span");
    name.className = "site-search__name";
    name.textContent = title;
    const small = document.createElement("span");
    small.className = "site-search__meta";
    small.textContent = meta;
    a.append(badge, name, small);
    li.append(a);
    return li;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function render(data) {
    list.replaceChildren();
    let n = 0;
    for (const e of data.entities.items) {
      const bits = [e.detail, plural(e.releases, "release")].filter(Boolean);
      list.append(option("site-search-opt-" + n++, e.href, e.kind, e.kind_label, e.label, bits.join(" · ")));
    }
    for (const r of data.releases.items) {
      list.append(option("site-search-opt-" + n++, r.href, "release", "Release", r.title, r.published || ""));
    }
    const counts = Object.entries(data.counts).map(([kind, count]) => plural(count, kind)).join(", ");
    const all = option("site-search-opt-" + n++, "/search?q=" + encodeURIComponent(data.query), "all", "All",
                       n > 1 ? "All results" : "No name matches: search the texts", counts);
    all.classList.add("site-search__all");
    list.append(all);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  async function suggest() {
    const q = input.value.trim();
    if (q === lastQuery && !list.hidden) return;
    lastQuery = q;
    if (q.length < 2) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch("/search.json?limit=6&q=" + encodeURIComponent(q),
                                   { headers: { Accept: "application/json" }, signal: controller.signal });
      if (!response.ok) { close(); return; }
      const data = await response.json();
      if (input.value.trim() === q) render(data);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  function move(step) {
    const options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) suggest(); else move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      const link = list.querySelectorAll("[role=option] a")[active];
      if (link) window.location.assign(link.href);
    }
  });
  list.addEventListener("mousedown", (event) => event.preventDefault());  // keep focus: a click opens the link
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("focus", () => { if (input.value.trim().length >= 2) suggest(); });
  if (form) form.addEventListener("submit", (event) => { if (!input.value.trim()) event.preventDefault(); });
})();
