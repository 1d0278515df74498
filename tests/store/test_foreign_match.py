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


@pytest.mark.parametrize(("query", "exclusion"), [
    ("SELECT ?e WHERE { ?e a schema:Event }", "none"),
    ("SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }", "default"),
    ("SELECT ?x WHERE { ?x rdfs:label 'KFOR' }", "none"),
    ("SELECT ?x WHERE { ?x rdfs:label 'Thing'@en }", "default"),  # a literal matches by its lexical form
    ("SELECT ?x ?n WHERE { ?x rdfs:label ?n }", "default"),
    ("SELECT * WHERE { ?s ?p ?o }", "default"),
    ("SELECT ?e WHERE { ?e a schema:Event FILTER NOT EXISTS { ?e rdfs:label ?n } }", "default"),
    ("SELECT ?e WHERE { ?e a schema:Event MINUS { ?e a <http://www.w3.org/2002/07/owl#Class> } }", "default"),
    ("SELECT ?e WHERE { { SELECT ?e WHERE { ?e rdfs:label 'Thing' } } }", "default"),
    ("SELECT ?x WHERE { 'Thing' ^rdfs:label ?x }", "default"),
    ("SELECT ?x WHERE { 'KFOR' ^rdfs:label ?x }", "none"),
    ("SELECT ?x WHERE { ?x schema:location/rdfs:label ?n }", "default"),  # each step of a path may match anywhere
    ("SELECT ?x WHERE { ?x schema:location/schema:name ?n }", "none"),
    # inside GRAPH, all of a basic graph pattern is matched in one graph: one pattern theirs cannot match is enough
    ("SELECT ?n WHERE { GRAPH ?g { ?e a schema:Event ; schema:location ?p . ?p rdfs:label ?n } }", "none"),
    ("SELECT ?n WHERE { GRAPH ?g { ?x a ?c ; rdfs:label ?n } }", "all"),
    ("SELECT ?n WHERE { GRAPH ?g { ?e a schema:Event OPTIONAL { ?x rdfs:label ?n } } }", "all"),
    # an EXISTS pattern is tested on its own (safe, if more than needed: ?e comes from our graph)
    ("SELECT ?e WHERE { GRAPH ?g { ?e a schema:Event FILTER EXISTS { ?e rdfs:label ?n } } }", "all"),
    ("SELECT ?n WHERE { GRAPH ?g { ?e a schema:Event } ?e rdfs:label ?n }", "default"),
    ("SELECT ?x WHERE { ?x schema:about* ?y }", "all"),  # zero-length: every node
    ("SELECT ?x WHERE { ?x !schema:about ?y }", "all"),
    ("SELECT ?g WHERE { GRAPH ?g { } }", "all"),  # lists every graph
    ("DESCRIBE <https://example.org/x>", "all"),
    ("SELECT nonsense", "all"),
])
def test_a_query_leaves_the_engine_graphs_out_where_they_could_give_it_a_solution(query: str, exclusion: str) -> None:
    assert SYSTEM.exclusion(query_patterns(PREFIXES + query)) == exclusion


def test_without_engine_triples_nothing_is_left_out() -> None:
    assert ForeignTriples([]).exclusion(query_patterns("SELECT * WHERE { ?s ?p ?o }")) == "none"
    assert ForeignTriples([]).exclusion(None) == "none"
