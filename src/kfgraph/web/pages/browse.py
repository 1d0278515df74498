"""Browse pages: ``/releases`` (by year and event type) and ``/entities`` (most mentioned first), with totals.

Both read the search index (``kfgraph.search``), which every build keeps in
step with the store and which holds the counts, so a list of 100,000 releases
pages as fast as one of ten. Each page links to the SPARQL query that gives
the same list from the graph. Pages are plain links (``?page=2``), so a
crawler following links from ``/.well-known/void`` reaches every resource.

What the counts count (said on the page, too): an entity's **releases** are
the releases that mention it; its **mentions** the times they name it — each
highlighted name in a text, and once for a release that names it only in its
dateline or byline. Entities no release mentions (the rest of the gazetteer)
are not listed; SPARQL still has them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from kfgraph import formats
from kfgraph.errors import QueryError
from kfgraph.iris import IriMinter
from kfgraph.search import queries
from kfgraph.search.documents import concept_name
from kfgraph.settings import Settings
from kfgraph.vocab import EVENT_TYPE, SCHEMA
from kfgraph.web.access import StoreAccess
from kfgraph.web.linked_data.describe import select
from kfgraph.web.linked_data.publisher import Publisher

PAGE_SIZE = 50
TOP = 8
"""Entities of each kind on the ``/entities`` overview."""
EVENT_TYPES = ("Exercise", "Training", "Deployment", "Patrol", "Visit", "Meeting", "ChangeOfCommand", "Ceremony",
               "Donation", "Incident", "Statement", "Other")
ENTITY_CLASSES: dict[str, str] = {  # memberships, roles, force figures: reached from people and releases
    "person": str(SCHEMA.Person),
    "organization": str(SCHEMA.Organization),
    "place": str(SCHEMA.Place),
    "event": str(SCHEMA.Event),
    "mandate": str(SCHEMA.Legislation),
}
"""``?type=`` value -> its class, for the SPARQL query behind each list."""
STATEMENTS: dict[str, tuple[str, str]] = {
    "membership": ("Posts held", """?x a org:Membership .
      OPTIONAL { ?x org:member/rdfs:label ?who } OPTIONAL { ?x org:role/(rdfs:label|skos:prefLabel) ?role }
      OPTIONAL { ?x org:organization/rdfs:label ?org }
      BIND (CONCAT(COALESCE(?who, "someone"), ", ", COALESCE(?role, "member"), " of ", COALESCE(?org, "…")) AS ?name)"""),
    "figure": ("Figures", """?x a kfg:Figure .
      OPTIONAL { ?x schema:value ?v } OPTIONAL { ?x schema:unitText ?u } OPTIONAL { ?x kfg:figureOf/rdfs:label ?of }
      BIND (CONCAT(COALESCE(STR(?v), "?"), " ", COALESCE(?u, ""), IF(BOUND(?of), CONCAT(" (", ?of, ")"), "")) AS ?name)"""),
    "role": ("Roles", "?x a org:Role . OPTIONAL { ?x rdfs:label|skos:prefLabel ?name }"),
}
"""Things releases state that have no names of their own: ``?type=`` value -> (heading, SPARQL pattern binding ?x, ?name)."""
DETAIL_HEADINGS = {"person": "Rank", "organization": "", "place": "Kind", "event": "Date", "mandate": "Resolution"}
COUNTS_EXPLAINED = ("Releases: how many releases mention it. Mentions: how many times they name it — each "
                    "highlighted name in a text, and once for a release that names it only in its dateline or "
                    "byline. Only what releases mention is listed; the rest of the gazetteer is in SPARQL.")


def page_number(raw: str | None) -> int:
    try:
        page = int(raw or "1")
    except ValueError:
        raise QueryError(f"page must be a positive integer, not {raw!r}") from None
    if page < 1:
        raise QueryError("page must be at least 1")
    return page


def entities_query(cls: str) -> str:
    """The SPARQL behind an entity list: the same counts as the page (see the module docstring)."""
    return f"""SELECT ?entity (SAMPLE(?name) AS ?label) (COUNT(?release) AS ?releases) (SUM(?named) AS ?mentions)
WHERE {{
  {{ SELECT ?entity ?release (COUNT(?span) AS ?spans) WHERE {{
      ?entity a <{cls}> .
      ?release a schema:NewsArticle ; schema:mentions ?entity .
      OPTIONAL {{ GRAPH ?release {{ ?entity kfg:hasMention ?span }} }}
    }} GROUP BY ?entity ?release }}
  BIND (IF(?spans > 0, ?spans, 1) AS ?named)
  OPTIONAL {{ ?entity rdfs:label ?name }}
}}
GROUP BY ?entity
ORDER BY DESC(?releases) DESC(?mentions) ?label"""


def releases_query(year: int | None, event_type: str | None) -> str:
    filters = []
    if year is not None:
        filters.append(f"FILTER (YEAR(?date) = {year})")
    if event_type is not None:
        filters.append(f"FILTER EXISTS {{ ?release schema:mentions ?e . ?e kfg:eventType <{EVENT_TYPE[event_type]}> }}")
    return f"""SELECT ?release ?date ?headline (COUNT(DISTINCT ?event) AS ?events) WHERE {{
  ?release a schema:NewsArticle .
  OPTIONAL {{ ?release schema:headline ?headline }}
  OPTIONAL {{ ?release schema:datePublished ?date }}
  OPTIONAL {{ ?release schema:mentions ?event . ?event a schema:Event }}
  {' '.join(filters)}
}}
GROUP BY ?release ?date ?headline
ORDER BY DESC(?date) ?release"""


def statements_query(pattern: str, limit: int, offset: int) -> str:
    return f"""SELECT ?x (SAMPLE(?name) AS ?label) (SAMPLE(?r) AS ?release) (SAMPLE(?d) AS ?date) WHERE {{
  {pattern}
  OPTIONAL {{ ?x prov:wasDerivedFrom ?r . OPTIONAL {{ ?r schema:datePublished ?d }} }}
}} GROUP BY ?x ORDER BY DESC(?date) ?x LIMIT {limit} OFFSET {offset}"""


def link(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v and not (k == "page" and v == 1)}
    return path + ("?" + urlencode(kept) if kept else "")


def pager(page: queries.Page, path: str, number: int, **params: Any) -> dict[str, Any]:
    """What the pager shows: "51–100 of 1,234", previous and next links."""
    return {
        "page_info": page,
        "previous": link(path, **params, page=number - 1) if number > 1 else None,
        "next": link(path, **params, page=number + 1) if page.has_next else None,
    }


def add_routes(api: APIRouter, publisher: Publisher, access: StoreAccess, settings: Settings) -> None:
    @api.get("/releases", include_in_schema=False)
    def releases(request: Request, year: str | None = None, event_type: str | None = None,
                 page: str | None = None) -> Response:
        number = page_number(page)
        year_value = None
        if year:
            if not year.isdigit():
                raise QueryError(f"year must be a number, not {year!r}")
            year_value = int(year)
        if event_type and event_type not in EVENT_TYPES:
            raise QueryError(f"unknown event type {event_type!r}; one of {', '.join(EVENT_TYPES)}")
        index = access.search
        found = queries.list_releases(index, year=year_value, event_type=str(EVENT_TYPE[event_type]) if event_type
                                      else None, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        context = {
            "active": "/releases", "title": "Releases", "rows": found.items,
            "years": queries.release_years(index), "event_types": EVENT_TYPES,
            "event_labels": {t: concept_name(str(EVENT_TYPE[t])) for t in EVENT_TYPES},
            "year": year or "", "event_type": event_type or "", "page": number,
            "query": releases_query(year_value, event_type or None),
            **pager(found, "/releases", number, year=year, event_type=event_type),
        }
        return publisher.respond(request, publisher.render(request, "releases.html", context), formats.HTML,
                                 negotiated=False)

    @api.get("/entities", include_in_schema=False)
    def entities(request: Request, type: str | None = None, page: str | None = None) -> Response:
        number = page_number(page)
        if type and type not in queries.KINDS and type not in STATEMENTS:
            raise QueryError(f"unknown type {type!r}; one of {', '.join([*queries.KINDS, *STATEMENTS])}")
        index = access.search
        context: dict[str, Any] = {"active": "/entities", "kinds": queries.KINDS, "type": type or "",
                                   "page": number, "totals": queries.kind_totals(index),
                                   "explained": COUNTS_EXPLAINED, "details": DETAIL_HEADINGS,
                                   "statements": {key: heading for key, (heading, _) in STATEMENTS.items()}}
        if type in STATEMENTS:
            heading, pattern = STATEMENTS[type]
            total = int(str(select(publisher.store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0]["n"]))
            query = statements_query(pattern, PAGE_SIZE, (number - 1) * PAGE_SIZE)
            rows = [{k: str(v) for k, v in row.items()} for row in select(publisher.store, query)]
            found = queries.Page(total, tuple(rows), (number - 1) * PAGE_SIZE, PAGE_SIZE)
            context.update(title=heading, statement_rows=rows, query=query, **pager(found, "/entities", number, type=type))
        elif type:
            found = queries.list_entities(index, type, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
            context.update(title=queries.KINDS[type][1], rows=found.items, query=entities_query(ENTITY_CLASSES[type]),
                           **pager(found, "/entities", number, type=type))
        else:
            context.update(title="Entities", gazetteer=str(IriMinter(settings.base_iri).shared_graph("gazetteer")), overview={kind: queries.list_entities(index, kind, limit=TOP).items
                                                       for kind in queries.KINDS})
        body = publisher.render(request, "entities.html", context)
        return publisher.respond(request, body, formats.HTML, negotiated=False)


def router(settings: Settings, access: StoreAccess) -> APIRouter:
    """``/releases`` and ``/entities``, answered like every Linked Data document (validators, 304s)."""
    api = APIRouter()
    add_routes(api, Publisher(settings, access), access, settings)
    return api
