"""The SHACL-SPARQL fast path gives what pre-binding gives.

kfgraph runs each SPARQL constraint once per graph with ``$this`` unbound and keeps the rows
whose ``$this`` is a focus node (src/kfgraph/validation_sparql.py). SHACL defines the results by
pre-binding ``$this`` to each focus node in turn. Here the definition is run literally (pyoxigraph
substitutes ``$this``, RDF-dev SEP-0007) on every fixture, every mutant and every release of data/,
and once by pySHACL itself (rdflib's SPARQL engine) on a graph with many SPARQL failures.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, SH, Graph, URIRef
from rdflib.term import Node

import mutants
from kfgraph.mapping import triples_to_ntriples
from kfgraph.validate import Validator
from kfgraph.validation_cli import quiet_ill_typed_literals
from kfgraph.validation_sparql import SparqlConstraint, sparql_constraints, to_oxigraph, to_rdflib

FIXTURES = Path(__file__).resolve().parent / "shapes"
Row = tuple[str, str, str | None, str]
"""(shape, focus node, path, value) of one SPARQL result."""


def _store(validator: Validator, graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(validator.shared.ntriples.encode(), ox.RdfFormat.N_TRIPLES)
    store.extend(ox.parse(triples_to_ntriples(graph).encode(), ox.RdfFormat.N_TRIPLES))  # blank nodes keep their labels
    return store


def _targets(constraint: SparqlConstraint, store: ox.Store) -> set[Node]:
    """The focus nodes of the constraint's shape, by SHACL's target definitions written as SPARQL."""
    patterns = {
        SH.targetClass: "?this rdf:type/rdfs:subClassOf* <{}>",
        SH.targetSubjectsOf: "?this <{}> ?any",
        SH.targetObjectsOf: "?any <{}> ?this",
    }
    found: set[Node] = set()
    for kind, target in constraint.targets:
        if kind == SH.targetNode:
            found.add(target)
            continue
        query = f"SELECT DISTINCT ?this WHERE {{ {patterns[kind].format(target)} }}"
        found |= {to_rdflib(row["this"]) for row in store.query(query, prefixes=constraint.prefixes)}
    return found


def _prebound(validator: Validator, graph: Graph) -> set[Row]:
    store = _store(validator, graph)
    nodes = set(graph.subjects()) | set(graph.objects())
    rows: set[Row] = set()
    for constraint in sparql_constraints(validator.shapes_graph):
        for focus in _targets(constraint, store) & nodes:
            substitution = {ox.Variable("this"): to_oxigraph(focus)}
            for row in store.query(constraint.query, prefixes=constraint.prefixes, substitutions=substitution):
                path, value = row["path"], row["value"]
                rows.add((str(constraint.shape), str(focus), str(to_rdflib(path)) if path is not None else None,
                          str(to_rdflib(value)) if value is not None else str(focus)))
    return rows


def _fast(validator: Validator, graph: Graph) -> set[Row]:
    with quiet_ill_typed_literals():
        report = validator.validate(graph)
    return {(str(r.shape), str(r.terms.focus), str(r.terms.path) if r.terms.path is not None else None,
             str(r.terms.value)) for r in report.results
            if r.constraint == str(SH.SPARQLConstraintComponent) and r.terms is not None}


def _graphs() -> list[tuple[str, Graph]]:
    graphs = [(path.name, Graph().parse(path, format="turtle"))
              for path in sorted(FIXTURES.glob("*/*.ttl"))]
    bases = mutants.release_graphs()
    with quiet_ill_typed_literals():
        graphs += [(f"{m.kind} ({m.release})", m.graph) for m in mutants.generate(bases)]
    return graphs + bases


def test_fast_path_equals_prebinding_on_fixtures_mutants_and_releases(shapes_validator: Validator) -> None:
    graphs = _graphs()
    assert len(graphs) > 200
    failing = 0
    for name, graph in graphs:
        expected = _prebound(shapes_validator, graph)
        assert _fast(shapes_validator, graph) == expected, name
        failing += bool(expected)
    assert failing > 60  # the comparison saw many SPARQL results, not only empty sets


def test_pyshacl_gives_the_same_sparql_results(shapes_validator: Validator) -> None:
    """pySHACL (rdflib's SPARQL engine, pre-binding per focus node) on several failing fixtures and the shared graphs."""
    data = Graph()
    for name in ("MentionSpanShape-anchor-differs", "VocabularyShape-misspelled-class", "KindShape-person-and-place",
                 "ResolutionShape-wrong-number", "EventActorShape-actor-is-place", "RankShape-literal-rank"):
        data.parse(FIXTURES / "invalid" / f"{name}.ttl", format="turtle")
    nodes = set(data.subjects()) | set(data.objects())
    everything = Graph()
    for triple in (*data, *shapes_validator.shared.triples):
        everything.add(triple)
    _, report, _ = pyshacl.validate(everything, shacl_graph=shapes_validator.shapes_graph, inference="none",
                                    allow_warnings=True)
    expected = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if report.value(result, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent or focus not in nodes:
            continue
        path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
        expected.add((str(report.value(result, SH.sourceShape)), str(focus),
                      str(path) if isinstance(path, URIRef) else None, str(value)))
    assert len(expected) >= 6
    assert _fast(shapes_validator, data) == expected


@pytest.mark.parametrize("query", ["SELECT $this WHERE { VALUES ?x { 1 } $this ?p ?x }",
                                   "SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }",
                                   "SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }"])
def test_constraints_that_rely_on_prebinding_are_refused(query: str) -> None:
    from kfgraph.errors import ConfigurationError

    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:sparql [ sh:select \"\"\"{query}\"\"\" ] .
    """, format="turtle")
    with pytest.raises(ConfigurationError, match="VALUES, MINUS, SERVICE, sub-SELECT"):
        sparql_constraints(shapes)
