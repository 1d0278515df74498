"""Maps without a tile server: ``/map`` (every place, sized by events) and the data behind every map.

Maps are drawn in the browser by Leaflet (``static/vendor/leaflet``) over
``static/geo/kosovo.geojson`` (Kosovo's outline and municipalities, Natural
Earth, public domain) and nothing else, so no request leaves the server.

    GET /map        the page: filters by year and event type, counts from the summaries graph
    GET /map.json   {"places": [...], "types": [...], "counts": [[place, year, type, events], …]}

Over the on-disk store a server opened (which no build can change while it is
served) the data is read once, in the background as the server starts, and kept;
over a store that may change (a remote engine, a store handed to ``create_app``)
it is reused for ``CACHE_SECONDS`` (a minute), so the map may show old counts that long.

Blocking store work runs in sync handlers (Starlette's thread pool).
"""

from __future__ import annotations

import json
import math
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from kfgraph.settings import Settings
from kfgraph.store.base import Store
from kfgraph.web.access import StoreAccess
from kfgraph.web.linked_data.describe import select
from kfgraph.web.pages import timelines
from kfgraph.web.templating import page_templates

SHAPES = Path(__file__).resolve().parents[1] / "static" / "geo" / "kosovo.geojson"
BORDER_MARGIN = 0.03
"""Degrees (about 3 km): a crossing on the border may fall just outside the simplified outline."""


@lru_cache(maxsize=1)
def _outline() -> tuple[tuple[float, float], ...]:
    """The outer ring of Kosovo's outline in ``kosovo.geojson``, as (lon, lat) points."""
    shapes = json.loads(SHAPES.read_text(encoding="utf-8"))
    outline = next(f for f in shapes["features"] if f["properties"]["kind"] == "outline")
    geometry = outline["geometry"]
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    return tuple((float(x), float(y)) for x, y in ring)


def in_kosovo(lat: float, lon: float) -> bool:
    """Whether a point lies in Kosovo's outline (ray casting), or within ``BORDER_MARGIN`` of a vertex of it."""
    ring = _outline()
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside or any(abs(x - lon) < BORDER_MARGIN and abs(y - lat) < BORDER_MARGIN for x, y in ring)


def places_with_coordinates(store: Store) -> list[dict[str, Any]]:
    """Every place with WGS84 coordinates, with its kind (city, camp, crossing …), by label."""
    rows = select(store, """SELECT ?p (SAMPLE(?l) AS ?label) (SAMPLE(?k) AS ?kind) (SAMPLE(?la) AS ?lat)
        (SAMPLE(?lo) AS ?lon) WHERE { ?p wgs:lat ?la ; wgs:long ?lo . OPTIONAL { ?p rdfs:label ?l }
        OPTIONAL { ?p kfg:placeKind/skos:prefLabel ?k } } GROUP BY ?p""")
    places = []
    for row in rows:
        try:
            lat, lon = float(str(row["lat"])), float(str(row["lon"]))
        except ValueError:  # the shapes check coordinates; a store built elsewhere may hold anything
            continue
        places.append({"iri": str(row["p"]), "label": str(row.get("label", row["p"])),
                       "kind": str(row.get("kind", "place")), "lat": lat, "lon": lon,
                       "in_kosovo": in_kosovo(lat, lon)})
    return sorted(places, key=lambda p: p["label"])


def event_counts_by_place(store: Store) -> list[tuple[str, int, str, int]]:
    """(place IRI, year, event type label, events) from the summaries graph."""
    rows = timelines._rows(store, """SELECT ?place ?year ?t ?n WHERE {
        ?o kfg:refPlace ?place ; kfg:refYear ?year ; kfg:refEventType ?t ; kfg:eventCount ?n }""")
    labels = timelines.type_labels(store, (row["t"] for row in rows))
    return [(row["place"], int(row["year"]), labels[row["t"]], int(row["n"])) for row in rows]


def map_data(store: Store, base: str) -> dict[str, Any]:
    """What ``/map`` and the query page's map view need: places (with the path of their page), types, counts."""
    places = places_with_coordinates(store)
    for place in places:
        place["href"] = "/" + place["iri"][len(base):] if place["iri"].startswith(base) else place["iri"]
    index = {p["iri"]: i for i, p in enumerate(places)}
    counts = [(index[place], year, etype, n) for place, year, etype, n in event_counts_by_place(store)
              if place in index]
    return {
        "places": places,
        "types": sorted({etype for _, _, etype, _ in counts}),
        "years": sorted({year for _, year, _, _ in counts}),
        "counts": counts,
    }


CACHE_SECONDS = 60.0
"""How long ``/map`` reuses its data: thousands of counts, the same until the next build."""


def router(settings: Settings, access: StoreAccess) -> APIRouter:
    """``/map`` and ``/map.json``; their data is read once (store that cannot change) or once per ``CACHE_SECONDS``."""
    templates = page_templates()
    api = APIRouter()
    cached: dict[str, Any] = {}
    lock = threading.Lock()
    keep = math.inf if access.unchanging else CACHE_SECONDS

    def current_data() -> dict[str, Any]:
        with lock:
            if "at" not in cached or time.monotonic() - cached["at"] >= keep:
                cached.update(data=map_data(access.store, settings.base_iri), at=time.monotonic())
            return dict(cached["data"])

    if access.unchanging:  # read it before the first visitor asks (a request meanwhile waits for it)
        threading.Thread(target=current_data, name="map-data", daemon=True).start()

    @api.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        data = current_data()
        shown = [p for p in data["places"] if p["in_kosovo"]]
        context = {"active": "/map", "data": data, "shown": len(shown),
                   "elsewhere": len(data["places"]) - len(shown),
                   "events": sum(n for _, _, _, n in data["counts"])}
        return templates.TemplateResponse(request, "map.html", context)

    @api.get("/map.json", include_in_schema=False)
    def map_json() -> JSONResponse:
        return JSONResponse(current_data())

    return api
