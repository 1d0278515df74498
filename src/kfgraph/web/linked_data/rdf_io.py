"""Store answers as rdflib graphs and rows, graphs as bytes in each RDF format, labels for pages.

The small shared toolkit of the linked-data routes: ``construct`` / ``select`` run
SPARQL over the union of graphs (published prefixes declared), ``serialize`` writes
a graph in one of ``RDF_FORMATS`` (JSON-LD with the served context, see ``web.jsonld``),
``etag_of`` makes validators, ``label_of`` / ``labelled`` name nodes for people.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SDO, SKOS
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from kfgraph import formats
from kfgraph.formats import Format
from kfgraph.store.base import Store
from kfgraph.validation_sparql import to_rdflib
from kfgraph.vocab import PREFIXES, sparql_prologue
from kfgraph.web import jsonld

RDF_FORMATS: tuple[Format, ...] = (formats.TURTLE, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)
"""The RDF representations of every resource, in the server's order of preference."""
RESOURCE_FORMATS: tuple[Format, ...] = (formats.TURTLE, formats.HTML, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)
"""What a resource IRI offers; Turtle first, so ``*/*`` (curl) gets Turtle and browsers get HTML."""

_PROLOGUE = sparql_prologue()


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a query; ``ValueError`` for characters no IRI may hold."""
    if any(c in iri for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def new_graph() -> Graph:
    """An empty graph with kfgraph's prefixes, in rdflib's plain (not context-aware) store: adds cost half."""
    graph = Graph(store=SimpleMemory(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def construct(store: Store, query: str, into: Graph | None = None) -> Graph:
    """Run a CONSTRUCT over the union of graphs into an rdflib graph."""
    graph = into if into is not None else new_graph()
    for triple in store.query(_PROLOGUE + query):  # type: ignore[attr-defined]
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def select(store: Store, query: str) -> list[dict[str, Node]]:
    """Run a SELECT over the union of graphs; rows as dicts of rdflib terms (unbound omitted)."""
    results = store.query(_PROLOGUE + query)
    names = [v.value for v in results.variables]  # type: ignore[attr-defined]
    rows = []
    for solution in results:  # type: ignore[attr-defined]
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = to_rdflib(value)
        rows.append(row)
    return rows


def serialize(graph: Graph, fmt: Format, *, context_url: str) -> bytes:
    """``graph`` in an RDF format; N-Triples lines are sorted so equal graphs give equal bytes.

    JSON-LD is compacted with the served context and names it by ``context_url``.
    """
    if fmt is formats.JSON_LD:
        return jsonld.compact(graph, context_url)
    if fmt is formats.N_TRIPLES:
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    if fmt.rdflib is None:
        raise ValueError(f"{fmt} is not an RDF format")
    return graph.serialize(format=fmt.rdflib).encode("utf-8")


def etag_of(*parts: bytes | str) -> str:
    """A strong ETag for a body (and whatever else it depends on)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return f'"{digest.hexdigest()[:32]}"'


@dataclass(frozen=True)
class Labelled:
    """An IRI with the label to show for it."""

    iri: str
    label: str


def label_of(graph: Graph, node: Node) -> str:
    """The best label of ``node`` in ``graph``: rdfs:label, skos:prefLabel, headline, else the IRI's last segment."""
    for predicate in (RDFS.label, SKOS.prefLabel, SDO.headline):
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    text = str(node)
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or text


def labelled(graph: Graph, nodes: Iterable[Node]) -> list[Labelled]:
    items = {str(n): Labelled(str(n), label_of(graph, n)) for n in nodes if isinstance(n, URIRef)}
    return sorted(items.values(), key=lambda item: (item.label.lower(), item.iri))
