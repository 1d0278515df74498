"""``/search?q=``: people, organizations, places, events, mandates and releases by name or text.

One resource, two representations: an HTML page, and JSON (``Accept:
application/json`` or ``/search.json``), which the header's search box asks
for its suggestions (``/search.json?q=…&limit=6``). Parameters:

* ``q`` — the words; accents and spellings are levelled (``kfgraph.search.folding``);
* ``type`` — ``person``, ``organization``, ``place``, ``event``, ``mandate`` or
  ``release``: only that kind (paged); absent, both lists' first page;
* ``page`` — 1-based, ``limit`` — per list (JSON only; 1–50, default 20).

JSON::

    {"query": "pristina", "type": null,
     "counts": {"place": 1, "organization": 1, "release": 153},
     "entities": {"total": 2, "offset": 0, "limit": 6, "items": [
        {"iri": …, "kind": "place", "kind_label": "Place", "label": "Pristina", "detail": "city",
         "releases": 42, "mentions": 51, "also": ["Prishtina", "Prishtinë"], "href": "/id/place/pristina"}]},
     "releases": {"total": 153, …, "items": [{"iri": …, "title": …, "published": "2022-12-21",
        "snippet_html": "…in <mark>Pristina</mark>…", "href": …}]}}
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from kfgraph import formats
from kfgraph.errors import QueryError
from kfgraph.formats import Format, Kind
from kfgraph.search import queries
from kfgraph.settings import Settings
from kfgraph.web.access import StoreAccess
from kfgraph.web.linked_data.publisher import Publisher
from kfgraph.web.negotiation import negotiate
from kfgraph.web.pages.browse import page_number

SEARCH_JSON = Format("JSON search results", "application/json", "json", Kind.RESULTS, ("json",))
OFFERED: tuple[Format, ...] = (formats.HTML, SEARCH_JSON)
PAGE_SIZE = 20
MAX_LIMIT = 50
MAX_QUERY_CHARS = 200
KIND_NAMES = {**{kind: many for kind, (_, many) in queries.KINDS.items()}, "release": "Releases"}


def _limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {raw!r}")
    return int(raw)


def run_search(index: Any, text: str, kind: str | None, number: int, limit: int) -> dict[str, Any]:
    """Both lists (or the one ``kind`` asks for) and the counts per kind; blocking SQLite work."""
    offset = (number - 1) * limit
    empty = queries.Page(0, (), offset, limit)
    counted: dict[Any, int] = {}  # counts the entity list and the per-kind counts share
    entities = empty if kind == "release" else queries.find_entities(index, text, kind=kind, limit=limit,
                                                                      offset=offset, counted=counted)
    releases = empty if kind not in (None, "release") else queries.find_releases(index, text, limit=limit,
                                                                                  offset=offset)
    counts = queries.kind_counts(index, text, counted)
    release_total = releases.total if kind in (None, "release") else queries.find_releases(index, text, limit=1).total
    if release_total:
        counts["release"] = release_total
    return {"entities": entities, "releases": releases, "counts": counts}


def router(settings: Settings, access: StoreAccess) -> APIRouter:
    """``GET /search`` (HTML or JSON by ``Accept``) and ``GET /search.json``."""
    publisher = Publisher(settings, access)
    api = APIRouter()

    def search(request: Request, fmt: Format | None, q: str | None, type: str | None, page: str | None,
               limit: str | None) -> Response:
        text = (q or "").strip()[:MAX_QUERY_CHARS]
        if type and type not in KIND_NAMES:
            raise QueryError(f"unknown type {type!r}; one of {', '.join(KIND_NAMES)}")
        number = page_number(page)
        negotiated = fmt is None
        chosen = fmt or negotiate(request.headers.get("accept"), OFFERED)
        size = _limit(limit) if chosen is SEARCH_JSON else PAGE_SIZE
        found = run_search(access.search, text, type or None, number, size)
        if chosen is SEARCH_JSON:
            body = {"query": text, "type": type or None, "counts": found["counts"],
                    "entities": _with_links(found["entities"].to_json(), publisher),
                    "releases": _with_links(found["releases"].to_json(), publisher)}
            headers = {"Vary": "Accept"} if negotiated else {}
            return JSONResponse(body, headers={**headers, "Cache-Control": "no-cache"})

        def link(**changes: Any) -> str:
            params = {"q": text, "type": type or "", "page": number, **changes}
            kept = {k: v for k, v in params.items() if v and not (k == "page" and v == 1)}
            return "/search?" + urlencode(kept)

        shown = found["releases"] if type == "release" else found["entities"]
        context = {
            "active": "/search", "title": f"Search: {text}" if text else "Search", "q": text, "type": type or "",
            "kinds": KIND_NAMES, "found": found, "link": link, "page": number, "page_info": shown,
            "previous": link(page=number - 1) if type and number > 1 else None,
            "next": link(page=number + 1) if type and shown.has_next else None,
            "explained": "Releases: how many releases mention it; mentions: how many times they name it.",
        }
        body_html = publisher.render(request, "search.html", context)
        return publisher.respond(request, body_html, formats.HTML, negotiated=negotiated,
                                 headers={"Link": '</search.json>; rel="alternate"; type="application/json"'})

    @api.get("/search", include_in_schema=False)
    def search_page(request: Request, q: str | None = None, type: str | None = None, page: str | None = None,
                    limit: str | None = None) -> Response:
        return search(request, None, q, type, page, limit)

    @api.get("/search.json")
    def search_json(request: Request, q: str | None = None, type: str | None = None, page: str | None = None,
                    limit: str | None = None) -> Response:
        """Search names and release texts; the JSON the search box reads (see ``kfgraph.web.pages.search``)."""
        return search(request, SEARCH_JSON, q, type, page, limit)

    return api


def _with_links(page: dict[str, Any], publisher: Publisher) -> dict[str, Any]:
    for item in page["items"]:
        item["href"] = publisher.local(item["iri"])
    return page
