"""What a dereferenced IRI returns: its description as a graph, the same in every format and in HTML.

The description of ``<iri>`` stands alone: a client that fetches it learns what
kfgraph knows of the thing without a second request. Page ``n`` holds:

* its **links**, grouped by predicate and direction: every ``<iri> ?p ?o`` (except
  ``nif:isString``, a copy of ``schema:text``) and every ``?s ?p <iri>`` (except the
  ``nif:referenceContext`` of a release's own mentions, which are hash resources).
  A group longer than ``page_size`` is paged: page ``n`` holds its items
  ``(n-1)*page_size …``; incoming groups newest first (by ``schema:datePublished``,
  ``schema:startDate`` or ``kfg:attestedOn``), outgoing ones in IRI order;
* its **hash resources**: IRIs ``<iri#…>`` it links to, and, for a release, every
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

from kfgraph.store.base import Store
from kfgraph.vocab import HYDRA, KFG, RDF, XSD, sparql_prologue
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
DEFINING = ("org:Membership", "schema:Event", "kfg:Figure", "kfg:Mention")
"""Classes of neighbours given in full: they define the thing they link to (a post, an event, a figure, a span)."""
NOT_IN_FULL = ("kfg:hasMention", "kfg:evidence", "nif:isString", "schema:text", "kfg:attestedOn")
"""Statements of a defining neighbour left out: spans, text copies; attestation dates are given as first and last."""
_WHEN = "schema:datePublished|schema:startDate|kfg:attestedOn"
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


def describe(store: Store, iri: str, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> Description:
    """Page ``page`` (from 1) of the description of ``iri`` (see the module docstring).

    The graph is empty when the store knows nothing of ``iri``, or when ``page`` is past the last
    page. Raises ``ValueError`` if ``iri`` holds characters no IRI may hold.
    """
    s = sparql_iri(iri)
    outgoing = {str(r["p"]): int(str(r["n"])) for r in select(store, f"""SELECT ?p (COUNT(DISTINCT ?o) AS ?n) WHERE {{
        {s} ?p ?o FILTER(?p != nif:isString) }} GROUP BY ?p""")}
    incoming = {str(r["p"]): int(str(r["n"])) for r in select(store, f"""SELECT ?p (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?x ?p {s} FILTER(?p != nif:referenceContext) }} GROUP BY ?p""")}
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
        listed = ", ".join(sparql_iri(p) for p in small)
        construct(store, f"CONSTRUCT {{ {s} ?p ?o }} WHERE {{ {s} ?p ?o FILTER(?p IN ({listed})) }}", into=graph)
    for predicate, total in sorted(outgoing.items()):
        p = URIRef(predicate)
        if total <= page_size:
            objects = tuple(graph.objects(node, p)) if page == 1 else ()
        else:
            rows = select(store, f"""SELECT DISTINCT ?o WHERE {{ {s} {sparql_iri(predicate)} ?o }}
                ORDER BY ?o LIMIT {page_size} OFFSET {offset}""")
            objects = tuple(r["o"] for r in rows)
            graph.addN((node, p, o, graph) for o in objects)
        groups.append(LinkGroup(predicate, False, total, objects))
    for predicate, total in sorted(incoming.items()):
        subjects: tuple[Node, ...] = ()
        if offset < total:
            rows = select(store, f"""SELECT ?x (MAX(?w) AS ?when) WHERE {{ ?x {sparql_iri(predicate)} {s}
                OPTIONAL {{ ?x {_WHEN} ?w }} }} GROUP BY ?x ORDER BY DESC(?when) ?x LIMIT {page_size} OFFSET {offset}""")
            subjects = tuple(r["x"] for r in rows)
            graph.addN((x, URIRef(predicate), node, graph) for x in subjects)
        groups.append(LinkGroup(predicate, True, total, subjects))
    if page == 1:
        _hash_resources(store, iri, graph)
    neighbours = {n for g in groups for n in g.on_page if isinstance(n, URIRef)}
    neighbours |= {x for x in graph.subjects(KFG.hasMention, None) if isinstance(x, URIRef)}
    if page == 1:
        neighbours.discard(node)  # described above; a later page names the thing by its summary
    _summaries(store, sorted(neighbours), graph)
    description = Description(iri, graph, tuple(groups), page, pages, page_size)
    _paging(description)
    return description


def _hash_resources(store: Store, iri: str, graph: Graph) -> None:
    s = sparql_iri(iri)
    hash_prefix = '"' + iri.replace("\\", "\\\\").replace('"', '\\"') + '#"'
    construct(store, f"""CONSTRUCT {{ ?h ?hp ?ho . ?x kfg:hasMention ?h }} WHERE {{
        {{ {s} ?link ?h FILTER(?link != kfg:hasMention) }} UNION {{ ?h nif:referenceContext {s} }}
        FILTER(isIRI(?h) && STRSTARTS(STR(?h), {hash_prefix})) ?h ?hp ?ho
        OPTIONAL {{ ?x kfg:hasMention ?h }} }}""", into=graph)


_CHUNK = 400
"""Neighbours summarised per query (a VALUES block of this many IRIs)."""


def _summaries(store: Store, nodes: list[URIRef], graph: Graph) -> None:
    """Add the summary of each neighbour, and the full statements of defining ones."""
    summary, defining, not_in_full = ", ".join(SUMMARY), ", ".join(DEFINING), ", ".join(NOT_IN_FULL)
    # VALUES sits inside each branch of the UNION: Oxigraph evaluates a UNION over the whole store
    # before joining it with a VALUES outside it (a release page took 16 s on 1,000 releases, 0.1 s so).
    for start in range(0, len(nodes), _CHUNK):
        values = " ".join(sparql_iri(str(n)) for n in nodes[start:start + _CHUNK])
        construct(store, f"""CONSTRUCT {{ ?n ?sp ?so . ?n ?dp ?do . ?do ?lp ?lo . ?n kfg:attestedOn ?first, ?last }}
        WHERE {{
          {{ VALUES ?n {{ {values} }} ?n ?sp ?so FILTER(?sp IN ({summary})) }}
          UNION {{ VALUES ?n {{ {values} }} ?n a ?c FILTER(?c IN ({defining})) ?n ?dp ?do
                  FILTER(?dp NOT IN ({not_in_full}) && !(?c = org:Membership && ?dp = prov:wasDerivedFrom))
                  OPTIONAL {{ ?do ?lp ?lo FILTER(?dp != rdf:type && isIRI(?do) && ?lp IN (rdfs:label, skos:prefLabel, schema:headline)) }} }}
          UNION {{ SELECT ?n (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {{ VALUES ?n {{ {values} }}
                  ?n a org:Membership ; kfg:attestedOn ?d }} GROUP BY ?n }}
        }}""", into=graph)


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
    "DEFAULT_PAGE_SIZE", "Description", "LinkGroup", "Labelled", "RDF_FORMATS", "RESOURCE_FORMATS", "construct",
    "describe", "description_query", "etag_of", "label_of", "labelled", "new_graph", "page_iri", "select", "serialize",
    "to_rdflib",
]
