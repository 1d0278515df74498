"""What a dereferenced IRI returns: its description as a graph, in any RDF format.

The description of ``<iri>`` (the same in every format) is:

* its outgoing statements, from the union of all graphs, except
  ``nif:isString`` (a copy of ``schema:text``);
* the statements of its *hash resources*: IRIs ``<iri#…>`` it links to, and,
  for a release, every mention whose ``nif:referenceContext`` it is, with the
  ``?x kfg:hasMention`` statement naming what each one denotes (mentions
  ``{release}#char=a,b`` and geometries ``{place}#geometry`` have no document
  of their own);
* its own ``kfg:hasMention`` spans, at most ``MAX_MENTIONS`` of them (a hub such
  as KFOR is named thousands of times; every span is in its release's description);
* the ``rdf:type``, ``rdfs:label``, ``skos:prefLabel`` and ``schema:headline`` of what it links to;
* the releases that mention it (``?r schema:mentions <iri>``), with their
  headline and date: the latest ``MAX_MENTIONING`` of them, so a hub such as KFOR,
  which nearly every release names, keeps a bounded description (each release's
  own description still states what it mentions).

Everything here is blocking store work: call it from a worker thread.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kfgraph import formats
from kfgraph.formats import Format
from kfgraph.store.base import Store
from kfgraph.vocab import PREFIXES, sparql_prologue

RDF_FORMATS: tuple[Format, ...] = (formats.TURTLE, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)
"""The RDF representations of every resource, in the server's order of preference."""
RESOURCE_FORMATS: tuple[Format, ...] = (formats.TURTLE, formats.HTML, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)
"""What a resource IRI offers; Turtle first, so ``*/*`` (curl) gets Turtle and browsers get HTML."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
MAX_MENTIONING = 500
"""Mentioning releases listed in a description, newest first."""
MAX_MENTIONS = 500
"""An entity's own ``kfg:hasMention`` spans listed in its description (each release's description has all of its own)."""
_PROLOGUE = sparql_prologue()


def _sparql_iri(iri: str) -> str:
    if any(c in iri for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
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


def description_query(iri: str) -> str:
    """The one CONSTRUCT that yields the description of ``iri`` (also linked from its HTML page)."""
    s = _sparql_iri(iri)
    hash_prefix = json.dumps(iri + "#")
    return f"""CONSTRUCT {{
  {s} ?p ?o . ?h ?hp ?ho . ?o ?lp ?lo . ?r schema:mentions {s} . ?r ?rp ?ro . ?x kfg:hasMention ?h .
}} WHERE {{
  {{ {s} ?p ?o FILTER(?p NOT IN (nif:isString, kfg:hasMention)) }}
  UNION {{ {{ SELECT ?o WHERE {{ {s} kfg:hasMention ?o }} ORDER BY ?o LIMIT {MAX_MENTIONS} }}
          BIND(kfg:hasMention AS ?p) }}
  UNION {{ {{ {s} ?link ?h FILTER(?link != kfg:hasMention) }} UNION {{ ?h nif:referenceContext {s} }}
          FILTER(isIRI(?h) && STRSTARTS(STR(?h), {hash_prefix})) ?h ?hp ?ho
          OPTIONAL {{ ?x kfg:hasMention ?h }} }}
  UNION {{ {s} ?x ?o FILTER(isIRI(?o) && ?x != kfg:hasMention) ?o ?lp ?lo FILTER(?lp IN (rdf:type, rdfs:label, skos:prefLabel, schema:headline)) }}
  UNION {{ {{ SELECT ?r WHERE {{ ?r schema:mentions {s} OPTIONAL {{ ?r schema:datePublished ?when }} }}
            ORDER BY DESC(?when) ?r LIMIT {MAX_MENTIONING} }}
          ?r ?rp ?ro FILTER(?rp IN (rdf:type, schema:headline, schema:datePublished)) }}
}}
"""


def describe(store: Store, iri: str) -> Graph:
    """The description of ``iri`` (see the module docstring); empty when the store knows nothing of it."""
    return construct(store, description_query(iri))


def serialize(graph: Graph, fmt: Format) -> bytes:
    """``graph`` in an RDF format; N-Triples lines are sorted so equal graphs give equal bytes."""
    if fmt is formats.JSON_LD:
        return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True, indent=2).encode("utf-8")
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
    from rdflib.namespace import RDFS, SDO, SKOS

    for predicate in (RDFS.label, SKOS.prefLabel, SDO.headline):
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    text = str(node)
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or text


def labelled(graph: Graph, nodes: Iterable[Node]) -> list[Labelled]:
    items = {str(n): Labelled(str(n), label_of(graph, n)) for n in nodes if isinstance(n, URIRef)}
    return sorted(items.values(), key=lambda item: (item.label.lower(), item.iri))
