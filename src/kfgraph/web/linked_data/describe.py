"""What a dereferenced IRI returns: its description as a graph, the same in every format and in HTML.

The description of ``<iri>`` stands alone: a client that fetches it learns what
kfgraph knows of the thing without a second request. Page ``n`` holds:

* its **links**, grouped by predicate and direction: every ``<iri> ?p ?o`` (except
  ``nif:isString``, a copy of ``schema:text``) and every ``?s ?p <iri>`` (except the
  ``nif:referenceContext`` of a release's own mentions, which are hash resources).
  A group longer than ``page_size`` is paged: page ``n`` holds its items
  ``(n-1)*page_size …``. Incoming groups come newest first (by ``schema:datePublished``,
  ``schema:startDate`` or the last ``kfg:attestedOn``), ties and undated ones in IRI
  order, and outgoing ones in IRI order — up to ``SORT_LIMIT`` items. A longer group
  is never sorted whole (sorting IRIs decodes every one: KFOR's 70,000 mentions took
  seconds). With the search index (``index``), the groups that grow with every
  release (``kfgraph.search.links``) are counted from it, and releases and events
  naming the thing come newest first by the publication of the release stating
  them; every other group is counted live, predicate by predicate. Without it,
  releases and events stay newest first by their one date (ties in the store's
  order). Every other long group comes in the store's order, which is stable while
  the store is served;
* its **hash resources**: IRIs ``<iri#…>`` it links to on page 1, and, for a release, every
  mention whose ``nif:referenceContext`` it is, with the ``?x kfg:hasMention``
  statement naming what each one denotes;
* a **summary of every neighbour** on the page (what it links to and what links to
  it): ``rdf:type``, ``rdfs:label``, ``skos:prefLabel``, ``schema:headline``,
  ``schema:datePublished``, ``schema:startDate``. Neighbours that *define* the thing
  (``org:Membership`` — a post, ``schema:Event``, ``kfg:Figure``, ``kfg:Mention``)
  come with all their statements and the labels of what those name, except text
  copies and evidence spans; a membership's many ``kfg:attestedOn`` dates are given
  as the first and last, and its ``prov:wasDerivedFrom`` releases are left to its own
  description (a KFOR commander is attested by hundreds of releases);
* **counts and paging** (Hydra): each incoming group, and each outgoing one that is
  paged, is a ``hydra:Collection`` with ``hydra:totalItems`` and a ``hydra:manages``
  block saying which triples it counts; a paged description is a
  ``hydra:PartialCollectionView`` (``<iri?page=n>``) with first/previous/next/last.

So a person's description holds its posts (role, organization, dates), a place's
the events located there, an organization's its members' posts, its units and its
events, and every description the releases that mention the thing — bounded by
the page size however many releases name it.

Everything here is blocking store work: call it from a worker thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kfgraph.search import SearchIndex, links
from kfgraph.store.base import Store
from kfgraph.vocab import HYDRA, KFG, NIF, ORG, RDF, SCHEMA, XSD, sparql_prologue
from kfgraph.web.linked_data.rdf_io import (  # noqa: F401 - re-exported: the pages and dumps import them from here
    RDF_FORMATS,
    RESOURCE_FORMATS,
    Labelled,
    construct,
    etag_of,
    label_of,
    labelled,
    new_graph,
    select,
    serialize,
    sparql_iri,
    to_rdflib,
)

DEFAULT_PAGE_SIZE = 100
"""Items of each link group on one page of a description (``KFGRAPH_DESCRIPTION_PAGE_SIZE``)."""

SUMMARY = ("rdf:type", "rdfs:label", "skos:prefLabel", "schema:headline", "schema:datePublished", "schema:startDate")
"""What every neighbour on a page is summarised by."""
DEFINING = (ORG.Membership, SCHEMA.Event, KFG.Figure, KFG.Mention)
"""Classes of neighbours given in full: they define the thing they link to (a post, an event, a figure, a span)."""
LABELS = ("rdfs:label", "skos:prefLabel", "schema:headline")
"""What names each thing a defining neighbour links to."""
NOT_IN_FULL = ("kfg:hasMention", "kfg:evidence", "nif:isString", "schema:text", "kfg:attestedOn")
"""Statements of a defining neighbour left out: spans, text copies; attestation dates are given as first and last."""
POST = ("rdf:type", "rdfs:label", "org:member", "org:organization", "org:role", "kfg:rank", "org:memberDuring")
"""A post's statements given in full: not its ``prov:wasDerivedFrom`` releases, one per release that attests it."""
_WHEN = "schema:datePublished|schema:startDate|kfg:attestedOn"
SORT_LIMIT = 1000
"""Groups up to this many items are sorted whole (cheap); longer ones are read as described above."""
DATED = {
    "https://schema.org/mentions": "schema:datePublished",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor": "schema:startDate",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace": "schema:startDate",
    "https://schema.org/location": "schema:startDate",
}
"""Incoming links whose subjects carry one date (releases, events): long groups stay newest first by it."""
_PROLOGUE = sparql_prologue()


@dataclass(frozen=True)
class LinkGroup:
    """The statements linking the thing with one predicate in one direction."""

    predicate: str
    incoming: bool
    total: int
    on_page: tuple[Node, ...]
    """The other ends shown on this page (subjects of incoming links, objects of outgoing ones)."""

    @property
    def paged(self) -> bool:
        return len(self.on_page) < self.total


@dataclass(frozen=True)
class Description:
    """One page of the description of ``iri``."""

    iri: str
    graph: Graph
    groups: tuple[LinkGroup, ...]
    page: int
    pages: int
    page_size: int = DEFAULT_PAGE_SIZE

    def group(self, predicate: str, *, incoming: bool) -> LinkGroup | None:
        return next((g for g in self.groups if g.predicate == predicate and g.incoming == incoming), None)


def page_iri(iri: str, page: int) -> str:
    """The IRI of page ``page`` of the description of ``iri``."""
    return f"{iri}?page={page}"


def describe(store: Store, iri: str, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE,
             sort_limit: int = SORT_LIMIT, index: SearchIndex | None = None) -> Description:
    """Page ``page`` (from 1) of the description of ``iri`` (see the module docstring).

    With ``index`` (the search index, in step with ``store``) the groups that grow with every
    release are counted and, when long, ordered from it (``kfgraph.search.links``); the other
    groups are counted live, predicate by predicate. The graph is empty when the store knows
    nothing of ``iri``, or when ``page`` is past the last page. Raises ``ValueError`` if ``iri``
    holds characters no IRI may hold.
    """
    s = sparql_iri(iri)
    db = index.db if index is not None else None
    growing = links.counts(db, iri) if db is not None else links.LinkCounts({}, frozenset())
    used = links.predicates(db) if db is not None else None
    outgoing, incoming = _counts(store, s, False, used), _counts(store, s, True, used)
    for link, total in growing.totals.items():
        (incoming if link.incoming else outgoing)[link.predicate] = total
    newest_first = {link.predicate: link for link in growing.listed}  # groups the index lists in order
    totals = [*outgoing.values(), *incoming.values()]
    pages = max(1, *(math.ceil(n / page_size) for n in totals)) if totals else 1
    graph = new_graph()
    if (not outgoing and not incoming) or page > pages:
        return Description(iri, graph, (), page, pages, page_size)
    offset = (page - 1) * page_size
    node = URIRef(iri)
    groups: list[LinkGroup] = []
    small = [p for p, n in outgoing.items() if n <= page_size]
    if page == 1 and small:
        listed = " ".join(sparql_iri(p) for p in small)  # looked up one by one, never reading a long group
        construct(store, f"CONSTRUCT {{ {s} ?p ?o }} WHERE {{ VALUES ?p {{ {listed} }} {s} ?p ?o }}", into=graph)
    for predicate, total in sorted(outgoing.items()):
        p = URIRef(predicate)
        if total <= page_size:
            objects = tuple(graph.objects(node, p)) if page == 1 else ()
        else:
            order = "ORDER BY ?o" if total <= sort_limit else ""
            rows = select(store, f"""SELECT DISTINCT ?o WHERE {{ {s} {sparql_iri(predicate)} ?o }}
                {order} LIMIT {page_size} OFFSET {offset}""")
            objects = tuple(r["o"] for r in rows)
            graph.addN((node, p, o, graph) for o in objects)
        groups.append(LinkGroup(predicate, False, total, objects))
    for predicate, total in sorted(incoming.items()):
        subjects: tuple[Node, ...] = ()
        kept = newest_first.get(predicate)
        if offset < total:
            if db is not None and kept is not None and total > sort_limit:
                subjects = tuple(URIRef(x) for x in links.newest(db, iri, kept, limit=page_size, offset=offset))
            else:
                rows = select(store, _incoming_query(s, predicate, total, sort_limit, page_size, offset))
                subjects = tuple(r["x"] for r in rows)
        graph.addN((x, URIRef(predicate), node, graph) for x in subjects)
        groups.append(LinkGroup(predicate, True, total, subjects))
    if page == 1:
        hashed = {o for g in groups if not g.incoming for o in g.on_page
                  if isinstance(o, URIRef) and str(o).startswith(iri + "#")}
        _hash_resources(store, iri, graph, hashed)
    neighbours = {n for g in groups for n in g.on_page if isinstance(n, URIRef)}
    neighbours |= {x for x in graph.subjects(KFG.hasMention, None) if isinstance(x, URIRef)}
    if page == 1:
        neighbours.discard(node)  # described above; a later page names the thing by its summary
    _summaries(store, sorted(neighbours), graph)
    description = Description(iri, graph, tuple(groups), page, pages, page_size)
    _paging(description)
    return description


_SKIPPED = {False: str(NIF.isString), True: str(NIF.referenceContext)}
"""Left out of every description: a copy of ``schema:text``; the contexts of a release's own mentions."""


def _counts(store: Store, s: str, incoming: bool, predicates: list[str] | None) -> dict[str, int]:
    """Items per predicate of the links of ``s`` one way, counted live.

    Without ``predicates`` every link is read; with them (every predicate the store uses, from
    the search index) each is looked up, and the growing links (``links.LINKS``) are left to
    the index: the look-ups never read a large group.
    """
    pattern = f"?x ?p {s}" if incoming else f"{s} ?p ?x"
    skipped = f"FILTER(?p != <{_SKIPPED[incoming]}>)"
    if predicates is None:
        rows = select(store, f"SELECT ?p (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} {skipped} }} GROUP BY ?p")
    else:
        wanted = [p for p in predicates if p != _SKIPPED[incoming]
                  and not (p in links.BY_PREDICATE and links.BY_PREDICATE[p].incoming == incoming)]
        if not wanted:
            return {}
        values = " ".join(sparql_iri(p) for p in wanted)
        rows = select(store, f"SELECT ?p (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?p {{ {values} }} {pattern} }} GROUP BY ?p")
    return {str(r["p"]): int(str(r["n"])) for r in rows}


def _incoming_query(s: str, predicate: str, total: int, sort_limit: int, page_size: int, offset: int) -> str:
    """The SELECT of one page of an incoming group (``?x``), ordered as the module docstring says."""
    p, window = sparql_iri(predicate), f"LIMIT {page_size} OFFSET {offset}"
    if total <= sort_limit:
        return f"""SELECT ?x (MAX(?w) AS ?when) WHERE {{ ?x {p} {s} OPTIONAL {{ ?x {_WHEN} ?w }} }}
            GROUP BY ?x ORDER BY DESC(?when) ?x {window}"""
    if predicate in DATED:  # one date each: no grouping, no IRI comparisons (ties keep the store's order)
        return f"SELECT DISTINCT ?x WHERE {{ ?x {p} {s} OPTIONAL {{ ?x {DATED[predicate]} ?w }} }} ORDER BY DESC(?w) {window}"
    return f"SELECT DISTINCT ?x WHERE {{ ?x {p} {s} }} {window}"


def _hash_resources(store: Store, iri: str, graph: Graph, linked: set[URIRef]) -> None:
    """Add the hash resources ``<iri#…>``: those linked from the page (``linked``), and the mentions in a release."""
    s = sparql_iri(iri)
    hash_prefix = '"' + iri.replace("\\", "\\\\").replace('"', '\\"') + '#"'
    values = " ".join(sparql_iri(str(h)) for h in sorted(linked))
    construct(store, f"""CONSTRUCT {{ ?h ?hp ?ho . ?x kfg:hasMention ?h }} WHERE {{
        {{ VALUES ?h {{ {values} }} }} UNION {{ ?h nif:referenceContext {s} }}
        FILTER(isIRI(?h) && STRSTARTS(STR(?h), {hash_prefix})) ?h ?hp ?ho
        OPTIONAL {{ ?x kfg:hasMention ?h }} }}""", into=graph)


_CHUNK = 400
"""Neighbours summarised per query (a VALUES block of this many IRIs)."""


def _each(nodes: list[URIRef], predicates: tuple[str, ...]) -> str:
    """A pattern binding ``?n ?p ?o`` for each node and predicate: one ``UNION`` branch per predicate.

    Each branch holds its own ``VALUES`` of the nodes and a fixed predicate, so every
    match is a look-up by (node, predicate); a ``FILTER`` on ``?p`` reads every statement
    of a node instead (KFOR's 700,000 at 100,000 releases, when it is a neighbour).
    """
    values = " ".join(sparql_iri(str(n)) for n in nodes)
    return " UNION ".join(f"{{ VALUES ?n {{ {values} }} ?n {p} ?o BIND({p} AS ?p) }}" for p in predicates)


def _summaries(store: Store, nodes: list[URIRef], graph: Graph) -> None:
    """Add the summary of each neighbour, and the full statements of defining ones.

    Separate queries, each with one ``VALUES`` block: bound this way, every pattern is a
    look-up. A ``VALUES`` outside a ``UNION``, or a second ``VALUES`` for the predicates, made
    Oxigraph read the pattern over the whole store and join it (tens of seconds at 10,000
    releases); summaries and labels look up (node, predicate) pairs (``_each``).
    """
    not_in_full = ", ".join(NOT_IN_FULL)
    defining = [c for c in DEFINING if c != ORG.Membership]
    for start in range(0, len(nodes), _CHUNK):
        chunk = nodes[start:start + _CHUNK]
        construct(store, f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ {_each(chunk, SUMMARY)} }}", into=graph)
        posts = [n for n in chunk if (n, RDF.type, ORG.Membership) in graph]
        others = [n for n in chunk if n not in posts and any((n, RDF.type, c) in graph for c in defining)]
        full = new_graph()
        if others:  # events, figures, spans: minted for one release, a few statements each
            values = " ".join(sparql_iri(str(n)) for n in others)
            construct(store, f"""CONSTRUCT {{ ?n ?dp ?do }} WHERE {{ VALUES ?n {{ {values} }}
                ?n ?dp ?do FILTER(?dp NOT IN ({not_in_full})) }}""", into=full)
        if posts:  # a post grows with every release attesting it: its fixed statements are looked up
            values = " ".join(sparql_iri(str(n)) for n in posts)
            construct(store, f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ {_each(posts, POST)} }}", into=full)
            construct(store, f"""CONSTRUCT {{ ?n kfg:attestedOn ?first, ?last }} WHERE {{
                {{ SELECT ?n (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {{ VALUES ?n {{ {values} }}
                   ?n kfg:attestedOn ?d }} GROUP BY ?n }} }}""", into=graph)
        graph += full
        named = sorted({o for p, o in full.predicate_objects() if p != RDF.type and isinstance(o, URIRef)})
        _labels(store, named, graph)


def _labels(store: Store, nodes: list[URIRef], graph: Graph) -> None:
    """Add the names (``LABELS``) of what defining neighbours link to."""
    for start in range(0, len(nodes), _CHUNK):
        chunk = nodes[start:start + _CHUNK]
        construct(store, f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ {_each(chunk, LABELS)} }}", into=graph)


def _paging(description: Description) -> None:
    """State the groups' counts, and the page's place among the pages, with Hydra terms."""
    graph, iri, node = description.graph, description.iri, URIRef(description.iri)
    graph.bind("hydra", str(HYDRA))
    view = URIRef(page_iri(iri, description.page))
    for index, group in enumerate(description.groups):
        if not group.incoming and not group.paged and description.pages == 1:
            continue  # an outgoing group shown whole needs no count: all its statements are here
        collection, manages = BNode(f"links{index}"), BNode(f"links{index}manages")
        graph.add((collection, RDF.type, HYDRA.Collection))
        graph.add((collection, HYDRA.totalItems, Literal(group.total, datatype=XSD.integer)))
        graph.add((collection, HYDRA.manages, manages))
        graph.add((manages, HYDRA.property, URIRef(group.predicate)))
        graph.add((manages, HYDRA.object if group.incoming else HYDRA.subject, node))
        if description.pages > 1:
            graph.add((collection, HYDRA.view, view))
    if description.pages > 1:
        graph.add((view, RDF.type, HYDRA.PartialCollectionView))
        graph.add((view, HYDRA.first, URIRef(page_iri(iri, 1))))
        graph.add((view, HYDRA.last, URIRef(page_iri(iri, description.pages))))
        if description.page > 1:
            graph.add((view, HYDRA.previous, URIRef(page_iri(iri, description.page - 1))))
        if description.page < description.pages:
            graph.add((view, HYDRA.next, URIRef(page_iri(iri, description.page + 1))))


def description_query(iri: str) -> str:
    """A CONSTRUCT of the links of ``iri``, both ways and unpaged (shown from its HTML page).

    The description itself is built by several queries (see the module docstring); this one
    gives a reader the same links to explore, with the labels of the other ends.
    """
    s = sparql_iri(iri)
    return f"""{_PROLOGUE}
CONSTRUCT {{ {s} ?p ?o . ?o rdfs:label ?ol . ?x ?q {s} . ?x rdfs:label ?xl }}
WHERE {{
  {{ {s} ?p ?o FILTER(?p NOT IN (nif:isString, kfg:hasMention)) OPTIONAL {{ ?o rdfs:label ?ol }} }}
  UNION {{ ?x ?q {s} FILTER(?q != nif:referenceContext) OPTIONAL {{ ?x rdfs:label ?xl }} }}
}}
"""


__all__ = [
    "DEFAULT_PAGE_SIZE", "Description", "SORT_LIMIT", "LinkGroup", "Labelled", "RDF_FORMATS", "RESOURCE_FORMATS", "construct",
    "describe", "description_query", "etag_of", "label_of", "labelled", "new_graph", "page_iri", "select", "serialize",
    "to_rdflib",
]
