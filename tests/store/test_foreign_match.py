"""Which queries could read the engine's own graphs (Virtuoso's system graphs): ``foreign_match``."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kfgraph.store.foreign_match import ForeignTriples, query_patterns

OWL = "http://www.w3.org/2002/07/owl#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SYSTEM = ForeignTriples([
    ox.Quad(ox.NamedNode(OWL + "Thing"), ox.NamedNode(RDFS_LABEL), ox.Literal("Thing")),
    ox.Quad(ox.NamedNode(OWL + "Thing"), ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + "Class")),
])
PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/> "


@pytest.mark.parametrize(("query", "could"), [
    ("SELECT ?e WHERE { ?e a schema:Event }", False),
    ("SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }", True),
    ("SELECT ?x WHERE { ?x rdfs:label 'KFOR' }", False),
    ("SELECT ?x WHERE { ?x rdfs:label 'Thing'@en }", True),  # a literal matches by its lexical form
    ("SELECT ?x ?n WHERE { ?x rdfs:label ?n }", True),
    ("SELECT * WHERE { ?s ?p ?o }", True),
    ("SELECT ?e WHERE { ?e a schema:Event FILTER NOT EXISTS { ?e rdfs:label ?n } }", True),
    ("SELECT ?e WHERE { ?e a schema:Event MINUS { ?e a <http://www.w3.org/2002/07/owl#Class> } }", True),
    ("SELECT ?e WHERE { { SELECT ?e WHERE { ?e rdfs:label 'Thing' } } }", True),
    ("SELECT ?x WHERE { 'Thing' ^rdfs:label ?x }", True),
    ("SELECT ?x WHERE { 'KFOR' ^rdfs:label ?x }", False),
    ("SELECT ?x WHERE { ?x schema:location/rdfs:label ?n }", True),  # each step of a path may match anywhere
    ("SELECT ?x WHERE { ?x schema:location/schema:name ?n }", False),
    ("SELECT ?x WHERE { ?x schema:about* ?y }", True),  # zero-length: every node
    ("SELECT ?x WHERE { ?x !schema:about ?y }", True),
    ("SELECT ?g WHERE { GRAPH ?g { } }", True),  # lists every graph
    ("DESCRIBE <https://example.org/x>", True),
    ("SELECT nonsense", True),
])
def test_a_query_must_leave_the_engine_graphs_out_when_a_pattern_could_match_them(query: str, could: bool) -> None:
    assert SYSTEM.could_match(query_patterns(PREFIXES + query)) is could


def test_without_engine_triples_no_query_can_read_them() -> None:
    assert ForeignTriples([]).could_match(query_patterns("SELECT * WHERE { ?s ?p ?o }")) is False
    assert ForeignTriples([]).could_match(None) is False
