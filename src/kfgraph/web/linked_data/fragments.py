"""Triple Pattern Fragments at ``/fragments``: clients such as Comunica run their own SPARQL, cheaply.

    GET|HEAD /fragments?subject=&predicate=&object=&page=

A fragment is every triple of the **default graph** (the union of all graphs, each
triple once) that matches one pattern, ``fragment_page_size`` triples a page, with
the Hydra controls and metadata of the Linked Data Fragments specification
(https://linkeddatafragments.org/specification/triple-pattern-fragments/):

* terms in the explicit representation: an IRI as it is (``http://…``, or ``<…>``),
  a literal as ``"text"``, ``"text"@en`` or ``"42"^^http://www.w3.org/2001/XMLSchema#integer``;
  an empty parameter or a variable (``?x``) matches anything;
* metadata: ``void:triples`` and ``hydra:totalItems`` (exact counts, computed once per
  pattern and kept: the served store does not change), ``hydra:itemsPerPage``,
  ``hydra:first`` / ``previous`` / ``next``;
* controls: the dataset ``…/fragments#dataset`` is a ``hydra:Collection`` whose
  ``hydra:search`` is the IRI template ``…/fragments{?subject,predicate,object}``.

In TriG and N-Quads (what Comunica asks for) the data is the default graph and the
metadata and controls are in the graph ``<fragment-url#metadata>``, which is
``foaf:primaryTopic`` of the fragment; in the triple formats and HTML they are
merged. Fragments are cacheable (``ETag``, ``Last-Modified``, ``Cache-Control``).
Links point at the server that answered (the request's own URL), so a client
follows them whatever ``KFGRAPH_BASE_IRI`` says.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from rdflib import Graph, URIRef

from kfgraph import formats
from kfgraph.errors import NotFoundError, QueryError
from kfgraph.formats import Format
from kfgraph.store.oxigraph import OxigraphStore
from kfgraph.vocab import HYDRA, PREFIXES, RDF, VOID, XSD
from kfgraph.web import jsonld
from kfgraph.validation_sparql import to_rdflib
from kfgraph.web.negotiation import negotiate

if TYPE_CHECKING:
    from kfgraph.web.linked_data.publisher import Publisher

PATH = "/fragments"
FRAGMENT_FORMATS: tuple[Format, ...] = (
    formats.TRIG, formats.N_QUADS, formats.TURTLE, formats.N_TRIPLES, formats.JSON_LD, formats.HTML,
)
"""TriG first: it keeps data and metadata apart; browsers get HTML."""
_FOAF_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
_DCTERMS_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
_POSITIONS = ("subject", "predicate", "object")
_MAX_PAGE = 10**9


Term = ox.NamedNode | ox.Literal


def parse_term(value: str, position: str) -> Term | None:
    """A term in the explicit representation (None: any term). ``QueryError`` (400) when malformed."""
    text = value.strip()
    if not text or text.startswith("?"):
        return None
    try:
        if text.startswith('"'):
            if position != "object":
                raise ValueError("only the object of a triple can be a literal")
            end = text.rfind('"')
            if end == 0:
                raise ValueError("a literal needs a closing quote")
            lexical, rest = text[1:end], text[end + 1:]
            if rest.startswith("@"):
                return ox.Literal(lexical, language=rest[1:])
            if rest.startswith("^^"):
                return ox.Literal(lexical, datatype=ox.NamedNode(rest[2:].strip("<>")))
            if rest:
                raise ValueError(f"unexpected {rest!r} after the literal")
            return ox.Literal(lexical)
        if text.startswith("_:"):
            raise ValueError("blank nodes have no name outside one response and cannot be matched")
        return ox.NamedNode(text[1:-1] if text.startswith("<") and text.endswith(">") else text)
    except ValueError as error:
        raise QueryError(f"{position}={value!r} is not a term: {error}") from None


@dataclass(frozen=True)
class Pattern:
    subject: ox.NamedNode | None
    predicate: ox.NamedNode | None
    object: Term | None

    def where(self) -> str:
        terms = (self.subject, self.predicate, self.object)
        return " ".join(str(t) if t is not None else f"?{name[0]}" for t, name in zip(terms, _POSITIONS))

    def variables(self) -> list[str]:
        return [f"?{name[0]}" for t, name in zip((self.subject, self.predicate, self.object), _POSITIONS) if t is None]

    def params(self) -> dict[str, str]:
        """The query parameters naming this pattern (explicit representation), empty ones left out."""
        out = {}
        for term, name in zip((self.subject, self.predicate, self.object), _POSITIONS):
            if isinstance(term, ox.NamedNode):
                out[name] = term.value
            elif isinstance(term, ox.Literal):
                suffix = f"@{term.language}" if term.language else (
                    "" if term.datatype.value == str(XSD.string) else f"^^{term.datatype.value}")
                out[name] = f'"{term.value}"{suffix}'
        return out


class FragmentSource:
    """Pages and counts of triple patterns over a store's default graph; counts are kept (LRU)."""

    def __init__(self, store: Any, page_size: int) -> None:
        self.store = store
        self.page_size = page_size
        # The embedded store's default graph *is* the merge (each triple once): no DISTINCT needed, so
        # counts and early pages stream. A remote engine's union may repeat a triple once per graph.
        self.distinct = "" if isinstance(store, OxigraphStore) else "DISTINCT "
        self._lock = threading.Lock()
        self._count = functools.lru_cache(maxsize=4096)(self._count_uncached)

    def count(self, pattern: Pattern) -> int:
        with self._lock:
            return self._count(pattern)

    def _count_uncached(self, pattern: Pattern) -> int:
        variables = " ".join(pattern.variables())
        inner = f"SELECT {self.distinct}{variables} WHERE {{ {pattern.where()} }}" if variables else None
        query = (f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}" if inner
                 else f"SELECT (COUNT(*) AS ?n) WHERE {{ FILTER EXISTS {{ {pattern.where()} }} }}")
        row = next(iter(self.store.query(query)))  # type: ignore[call-overload]
        return int(row["n"].value)

    def page(self, pattern: Pattern, page: int) -> list[ox.Triple]:
        """The triples of page ``page`` (from 1), in the store's order (stable while it is served)."""
        variables = pattern.variables()
        offset = (page - 1) * self.page_size
        if not variables:
            return [ox.Triple(pattern.subject, pattern.predicate, pattern.object)] if page == 1 and self.count(pattern) else []  # type: ignore[arg-type]
        query = (f"SELECT {self.distinct}{' '.join(variables)} WHERE {{ {pattern.where()} }} "
                 f"LIMIT {self.page_size} OFFSET {offset}")
        triples = []
        for row in self.store.query(query):  # type: ignore[attr-defined]
            s = pattern.subject or row["s"]
            p = pattern.predicate or row["p"]
            o = pattern.object or row["o"]
            triples.append(ox.Triple(s, p, o))
        return triples


def _page_number(request: Request) -> int:
    values = request.query_params.getlist("page")
    if not values:
        return 1
    if len(values) > 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= _MAX_PAGE:
        raise QueryError(f"page must be one whole number from 1, not {', '.join(values)!r}")
    return int(values[0])


def _metadata(request: Request, pattern: Pattern, page: int, total: int, page_size: int) -> tuple[str, list[ox.Triple]]:
    """(fragment URL, metadata and control triples) for one page."""
    root = str(request.base_url).rstrip("/") + PATH
    fragment = ox.NamedNode(str(request.url))
    dataset = ox.NamedNode(root + "#dataset")
    search = ox.NamedNode(root + "#triplePattern")

    def page_url(number: int) -> ox.NamedNode:
        params = {**pattern.params(), **({"page": str(number)} if number > 1 else {})}
        return ox.NamedNode(root + ("?" + urlencode(params) if params else ""))

    def node(term: Any) -> Any:
        return ox.NamedNode(str(term))

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))

    pages = max(1, -(-total // page_size))
    meta = [
        ox.Triple(dataset, node(RDF.type), node(VOID.Dataset)),
        ox.Triple(dataset, node(RDF.type), node(HYDRA.Collection)),
        ox.Triple(dataset, node(VOID.subset), fragment),
        ox.Triple(dataset, node(HYDRA.search), search),
        ox.Triple(search, node(HYDRA.template), ox.Literal(root + "{?subject,predicate,object}")),
        ox.Triple(search, node(HYDRA.variableRepresentation), node(HYDRA.ExplicitRepresentation)),
        ox.Triple(fragment, node(RDF.type), node(HYDRA.PartialCollectionView)),
        ox.Triple(fragment, _DCTERMS_SOURCE, dataset),
        ox.Triple(fragment, node(VOID.triples), integer(total)),
        ox.Triple(fragment, node(HYDRA.totalItems), integer(total)),
        ox.Triple(fragment, node(HYDRA.itemsPerPage), integer(page_size)),
        ox.Triple(fragment, node(HYDRA.first), page_url(1)),
        ox.Triple(fragment, node(HYDRA.last), page_url(pages)),
    ]
    for name, rdf_term in (("subject", RDF.subject), ("predicate", RDF.predicate), ("object", RDF.object)):
        mapping = ox.NamedNode(f"{root}#{name}")
        meta += [ox.Triple(search, node(HYDRA.mapping), mapping),
                 ox.Triple(mapping, node(HYDRA.variable), ox.Literal(name)),
                 ox.Triple(mapping, node(HYDRA.property), node(rdf_term))]
    if page > 1:
        meta.append(ox.Triple(fragment, node(HYDRA.previous), page_url(page - 1)))
    if page < pages:
        meta.append(ox.Triple(fragment, node(HYDRA.next), page_url(page + 1)))
    return fragment.value, meta


def _prefixes() -> dict[str, str]:
    return {**PREFIXES, "hydra": str(HYDRA), "void": str(VOID)}


def _as_graph(triples: list[ox.Triple]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in _prefixes().items():
        graph.bind(prefix, namespace)
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def add_routes(api: APIRouter, publisher: Publisher) -> None:
    """``/fragments`` over the publisher's store."""
    source = FragmentSource(publisher.store, publisher.settings.fragment_page_size)

    @api.head(PATH, include_in_schema=False)
    @api.get(PATH, summary="Triple Pattern Fragments of the default graph")
    def fragment(request: Request) -> Response:
        fmt = negotiate(request.headers.get("accept"), FRAGMENT_FORMATS)
        params = request.query_params
        pattern = Pattern(*(parse_term(params.get(name, ""), name) for name in _POSITIONS))  # type: ignore[arg-type]
        page = _page_number(request)
        total = source.count(pattern)
        data = source.page(pattern, page)
        if page > 1 and not data:
            raise NotFoundError(f"this fragment has {max(1, -(-total // source.page_size))} page(s), not {page}")
        url, meta = _metadata(request, pattern, page, total, source.page_size)
        body = _body(request, publisher, fmt, url, data, meta, pattern, page, total)
        return publisher.respond(request, body, fmt)


def _body(request: Request, publisher: Publisher, fmt: Format, url: str, data: list[ox.Triple],
          meta: list[ox.Triple], pattern: Pattern, page: int, total: int) -> bytes:
    if fmt in (formats.TRIG, formats.N_QUADS):
        metadata = ox.NamedNode(url + "#metadata")
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in data]
        quads.append(ox.Quad(metadata, _FOAF_TOPIC, ox.NamedNode(url), metadata))
        quads += [ox.Quad(t.subject, t.predicate, t.object, metadata) for t in meta]
        prefixes = _prefixes() if fmt is formats.TRIG else None
        return ox.serialize(quads, format=getattr(ox.RdfFormat, str(fmt.oxigraph)), prefixes=prefixes) or b""
    if fmt is formats.TURTLE or fmt is formats.N_TRIPLES:
        prefixes = _prefixes() if fmt is formats.TURTLE else None
        return ox.serialize([*data, *meta], format=getattr(ox.RdfFormat, str(fmt.oxigraph)), prefixes=prefixes) or b""
    if fmt is formats.JSON_LD:
        return jsonld.compact(_as_graph([*data, *meta]), str(request.base_url) + jsonld.PATH.lstrip("/"))
    rows = [{"s": str(s), "p": str(p), "o": o, "o_iri": str(o) if isinstance(o, URIRef) else None}
            for s, p, o in _as_graph(data)]
    rows.sort(key=lambda r: (r["s"], r["p"], str(r["o"])))
    pages = max(1, -(-total // publisher.settings.fragment_page_size))
    context = {
        "active": PATH, "title": "Triple Pattern Fragments", "rows": rows, "total": total, "page": page,
        "pages": pages, "params": {name: request.query_params.get(name, "") for name in _POSITIONS},
        "previous": _link(pattern, page - 1) if page > 1 else None,
        "next": _link(pattern, page + 1) if page < pages else None,
    }
    return publisher.render(request, "fragments.html", context)


def _link(pattern: Pattern, page: int) -> str:
    params = {**pattern.params(), **({"page": str(page)} if page > 1 else {})}
    return PATH + ("?" + urlencode(params) if params else "")
