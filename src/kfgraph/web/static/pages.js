// The pictures of person, organization and place pages: each [data-viz] element is drawn from the
// JSON in the <script data-viz-data> of the same name (written by the server, see templates/_*.html).
(function () {
  "use strict";
  const V = window.KfgraphViz;
  const esc = V.escapeHtml;

  function dataFor(name) {
    const script = document.querySelector('script[data-viz-data="' + name + '"]');
    return script ? JSON.parse(script.textContent) : null;
  }

  const draw = {
    "events-chart": (el, counts) => V.eventsChart(el.querySelector("canvas"), counts),

    "events-timeline": (el, events) => {
      const types = [...new Set(events.map((e) => e.type))].sort();
      V.timeline(el, events.map((e) => ({
        start: e.start, content: esc(e.type), title: esc(e.text), href: e.href,
        className: "viz-event", style: "border-color:" + V.colour(e.type, types.indexOf(e.type)),
      })));
    },

    "posts-timeline": (el, posts) => {
      const groups = posts.map((p, id) => ({id, content: esc(p.post)}));
      const items = [];
      posts.forEach((post, group) => post.holders.forEach((name, i) => {
        const start = post.spans[i];
        if (!start) return;
        const end = post.ends[i] && post.ends[i] !== start ? post.ends[i] : null;
        items.push({
          group, start, end, content: esc(name), href: post.hrefs[i],
          title: esc(name + ": " + start + (end ? " – " + end : "")),
          className: post.self[i] ? "viz-post viz-post--self" : "viz-post",
        });
      }));
      V.timeline(el, items, groups, {stack: true});
    },

    "place-map": (el, data) => {
      const {map, ready} = V.kosovoMap(el);
      ready.then(() => {
        data.landmarks.forEach((label, i) => V.placeMarker(map, {
          label, kind: data.kinds[i], lat: data.lat[i], lon: data.lon[i], href: data.hrefs[i],
        }, {radius: data.kinds[i] === "camp" || data.kinds[i] === "crossing" ? 5 : 3}));
        if (data.focus) {
          V.placeMarker(map, data.focus, {radius: 8, colour: "#c8631b", emphasis: true, note: data.focus.kind});
          if (!data.focus.in_kosovo) map.fitBounds([[data.focus.lat, data.focus.lon], [42.6, 20.9]], {padding: [30, 30]});
        }
        el.dataset.ready = "true";
      }).catch((error) => { el.textContent = error.message; });
    },
  };

  document.querySelectorAll("[data-viz]").forEach((el) => {
    const name = el.dataset.viz;
    const data = dataFor(name);
    if (data && draw[name]) draw[name](el, data);
  });
})();
