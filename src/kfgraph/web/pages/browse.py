"""Browse pages: ``/releases`` (by year and event type) and ``/entities?type=…`` (with mention counts).

Both are paginated with plain links (``?page=2``), so a crawler following
links from ``/.well-known/void`` reaches every resource.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from kfgraph import formats
from kfgraph.errors import QueryError
from kfgraph.vocab import EVENT_TYPE, ORG, SCHEMA
from kfgraph.settings import Settings
from kfgraph.web.access import StoreAccess
from kfgraph.web.linked_data.describe import select
from kfgraph.web.linked_data.publisher import Publisher


PAGE_SIZE = 50
EVENT_TYPES = ("Exercise", "Training", "Deployment", "Patrol", "Visit", "Meeting", "ChangeOfCommand", "Ceremony",
               "Donation", "Incident", "Statement", "Other")
ENTITY_TYPES: dict[str, tuple[str, str]] = {
    "organization": ("Organizations", f"<{SCHEMA.Organization}>"),
    "person": ("People", f"<{SCHEMA.Person}>"),
    "place": ("Places", f"<{SCHEMA.Place}>"),
    "mandate": ("Mandates", f"<{SCHEMA.Legislation}>"),
    "event": ("Events", f"<{SCHEMA.Event}>"),
    "figure": ("Force figures", "kfg:ForceFigure"),
    "membership": ("Posts held (memberships)", f"<{ORG.Membership}>"),
    "role": ("Roles", f"<{ORG.Role}>"),
}
"""``?type=`` value -> (heading, class in SPARQL)."""


def _page_number(raw: str | None) -> int:
    try:
        page = int(raw or "1")
    except ValueError:
        raise QueryError(f"page must be a positive integer, not {raw!r}") from None
    if page < 1:
        raise QueryError("page must be at least 1")
    return page


def releases_query(year: int | None, event_type: str | None, limit: int, offset: int) -> str:
    filters = []
    if year is not None:
        filters.append(f"?r schema:datePublished ?fd . FILTER(YEAR(?fd) = {year})")
    if event_type is not None:
        filters.append(f"FILTER EXISTS {{ ?r schema:mentions ?ev . ?ev kfg:eventType <{EVENT_TYPE[event_type]}> }}")
    return f"""SELECT ?r (SAMPLE(?h) AS ?title) (SAMPLE(?d) AS ?date) (COUNT(DISTINCT ?e) AS ?events) WHERE {{
  ?r a schema:NewsArticle .
  OPTIONAL {{ ?r schema:headline ?h }} OPTIONAL {{ ?r schema:datePublished ?d }}
  OPTIONAL {{ ?r schema:mentions ?e . ?e a schema:Event }}
  {' '.join(filters)}
}} GROUP BY ?r ORDER BY DESC(?date) ?r LIMIT {limit} OFFSET {offset}"""


def entities_query(cls: str, limit: int, offset: int) -> str:
    return f"""SELECT ?e (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?r) AS ?releases) WHERE {{
  ?e a {cls} .
  OPTIONAL {{ ?e rdfs:label ?l }} OPTIONAL {{ ?e skos:prefLabel ?l }}
  OPTIONAL {{ ?e kfg:hasMention ?m }} OPTIONAL {{ ?r schema:mentions ?e }}
}} GROUP BY ?e ORDER BY DESC(COUNT(DISTINCT ?m)) LCASE(STR(SAMPLE(?l))) ?e LIMIT {limit} OFFSET {offset}"""


def add_routes(api: APIRouter, publisher: Publisher) -> None:
    def link(path: str, **params: Any) -> str:
        kept = {k: v for k, v in params.items() if v and not (k == "page" and v == 1)}
        return path + ("?" + urlencode(kept) if kept else "")

    @api.get("/releases", include_in_schema=False)
    def releases(request: Request, year: str | None = None, event_type: str | None = None,
                 page: str | None = None) -> Response:
        number = _page_number(page)
        year_value = None
        if year:
            if not year.isdigit():
                raise QueryError(f"year must be a number, not {year!r}")
            year_value = int(year)
        if event_type and event_type not in EVENT_TYPES:
            raise QueryError(f"unknown event type {event_type!r}; one of {', '.join(EVENT_TYPES)}")
        query = releases_query(year_value, event_type or None, PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
        rows = select(publisher.store, query)
        years = select(publisher.store, "SELECT DISTINCT (YEAR(?d) AS ?y) WHERE { ?r a schema:NewsArticle ; schema:datePublished ?d } ORDER BY DESC(?y)")
        context = {
            "active": "/releases", "mode": "releases", "title": "Releases",
            "rows": [{k: str(v) for k, v in row.items()} for row in rows[:PAGE_SIZE]],
            "years": [str(r["y"]) for r in years if "y" in r], "event_types": EVENT_TYPES,
            "year": year or "", "event_type": event_type or "", "page": number,
            "previous": link("/releases", year=year, event_type=event_type, page=number - 1) if number > 1 else None,
            "next": link("/releases", year=year, event_type=event_type, page=number + 1) if len(rows) > PAGE_SIZE else None,
            "query": query,
        }
        return publisher.respond(request, publisher.render(request, "listing.html", context), formats.HTML,
                                 negotiated=False)

    @api.get("/entities", include_in_schema=False)
    def entities(request: Request, type: str | None = None, page: str | None = None) -> Response:
        number = _page_number(page)
        if type and type not in ENTITY_TYPES:
            raise QueryError(f"unknown type {type!r}; one of {', '.join(ENTITY_TYPES)}")
        context: dict[str, Any] = {"active": "/entities", "mode": "entities", "types": ENTITY_TYPES, "type": type or "",
                                   "page": number, "title": "Entities"}
        if type:
            heading, cls = ENTITY_TYPES[type]
            query = entities_query(cls, PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
            rows = select(publisher.store, query)
            context.update(
                title=heading, query=query,
                rows=[{k: str(v) for k, v in row.items()} for row in rows[:PAGE_SIZE]],
                previous=link("/entities", type=type, page=number - 1) if number > 1 else None,
                next=link("/entities", type=type, page=number + 1) if len(rows) > PAGE_SIZE else None,
            )
        else:
            counts = {}
            for key, (_, cls) in ENTITY_TYPES.items():
                counts[key] = int(str(select(publisher.store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a {cls} }}")[0]["n"]))
            context["counts"] = counts
            context["query"] = "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type ORDER BY DESC(?n)"
        body = publisher.render(request, "listing.html", context)
        return publisher.respond(request, body, formats.HTML, negotiated=False)


def router(settings: Settings, access: StoreAccess) -> APIRouter:
    """``/releases`` and ``/entities``, answered like every Linked Data document (negotiation, validators)."""
    api = APIRouter()
    add_routes(api, Publisher(settings, access))
    return api
