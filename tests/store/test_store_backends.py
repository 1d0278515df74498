"""The Store interface behaves the same on embedded Oxigraph, Virtuoso and ``oxigraph serve``."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kfgraph.store import GraphUpdate, Store

BASE = "http://localhost:8000/"
XSD = "http://www.w3.org/2001/XMLSchema#"
G1, G2 = f"{BASE}graph/release/one", f"{BASE}graph/release/two"
A, B = f"{BASE}id/person/a", f"{BASE}id/person/b"
NAME, DATE = "https://schema.org/name", "https://schema.org/datePublished"

ONE = "\n".join([
    f'<{A}> <{NAME}> "Anna \\"Ana\\" Kovač\\nline two"@sq .',
    f'<{A}> <{DATE}> "2022-12-21"^^<{XSD}date> .',
    f'<{A}> <https://schema.org/knows> <{B}> .',
    f'<{A}> <https://w3id.org/kfgraph/ontology#value> "3700"^^<{XSD}integer> .',
])
TWO = f'<{B}> <{NAME}> "Bora Ђорђе" .'


def quads(store: Store) -> set[str]:
    out = io.BytesIO()
    store.dump(out, "application/n-quads")
    return {str(q) for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)}


def values(result: object) -> list[tuple[str, ...]]:
    return sorted(tuple("" if t is None else t.value for t in row) for row in result)  # type: ignore[attr-defined]


def test_replace_graphs_stores_each_graph_and_a_second_replace_replaces(store: Store) -> None:
    store.replace_graphs([GraphUpdate(G1, ONE), GraphUpdate(G2, TWO)])
    assert sorted(store.graph_names()) == [G1, G2]
    assert store.triple_count() == 5
    store.replace_graphs([GraphUpdate(G1, f'<{A}> <{NAME}> "Anna" .')])
    assert store.triple_count() == 2
    assert values(store.query(f"SELECT ?n WHERE {{ <{A}> <{NAME}> ?n }}")) == [("Anna",)]


def test_remove_graphs_drops_only_those(store: Store) -> None:
    store.replace_graphs([GraphUpdate(G1, ONE), GraphUpdate(G2, TWO)])
    store.remove_graphs([G1, f"{BASE}graph/release/never-stored"])
    assert list(store.graph_names()) == [G2]
    assert values(store.query("SELECT ?s WHERE { ?s ?p ?o }")) == [(B,)]


def test_default_graph_is_the_union_of_our_graphs_and_graph_sees_only_ours(store: Store) -> None:
    store.replace_graphs([GraphUpdate(G1, ONE), GraphUpdate(G2, TWO)])
    rows = values(store.query(f"SELECT ?s ?n WHERE {{ ?s <{NAME}> ?n }}"))
    assert rows == [(A, 'Anna "Ana" Kovač\nline two'), (B, "Bora Ђорђе")]
    # Virtuoso's own system graphs (virtrdf#, owl#, ldp# …) are not part of kfgraph's dataset.
    assert values(store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")) == [(G1,), (G2,)]
    assert values(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == [("5",)]
    # also when only one pattern could match them (Virtuoso's owl# graph declares classes)
    assert values(store.query("SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }")) == []
    only_two = store.query("SELECT ?s WHERE { ?s ?p ?o }", default_graph=[G2])
    assert values(only_two) == [(B,)]


def test_literals_keep_language_datatype_and_dates_compare_as_dates(store: Store) -> None:
    store.replace_graphs([GraphUpdate(G1, ONE)])
    (row,) = list(store.query(f"SELECT ?n ?d WHERE {{ <{A}> <{NAME}> ?n ; <{DATE}> ?d }}"))  # type: ignore[call-overload]
    assert row["n"].language == "sq"
    assert (row["d"].value, row["d"].datatype.value) == ("2022-12-21", XSD + "date")
    query = f'SELECT ?s WHERE {{ ?s <{DATE}> ?d FILTER(?d >= "2022-01-01"^^<{XSD}date> && YEAR(?d) = 2022) }}'
    assert values(store.query(query)) == [(A,)]


def test_ask_and_construct_answer_as_pyoxigraph_results(store: Store) -> None:
    store.replace_graphs([GraphUpdate(G1, ONE)])
    assert bool(store.query(f"ASK {{ <{A}> ?p ?o }}")) is True
    assert bool(store.query(f"ASK {{ <{B}> <{NAME}> ?o }}")) is False
    triples = store.query(f"PREFIX s: <https://schema.org/>\nCONSTRUCT {{ ?a s:knows ?b }} WHERE {{ ?a s:knows ?b }}")
    assert isinstance(triples, ox.QueryTriples)
    assert [str(t) for t in triples] == [f"<{A}> <https://schema.org/knows> <{B}>"]


def test_dump_gives_back_exactly_the_stored_quads(store: Store) -> None:
    store.replace_graphs([GraphUpdate(G1, ONE), GraphUpdate(G2, TWO)])
    expected = {str(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)))
                for g, text in ((G1, ONE), (G2, TWO)) for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}
    assert quads(store) == expected
    out = io.BytesIO()
    store.dump(out, "application/n-triples", graph=G2)
    assert [str(q.triple) for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_TRIPLES)] == [
        str(next(iter(ox.parse(TWO, format=ox.RdfFormat.N_TRIPLES))).triple)]


def test_many_graphs_in_one_call_are_all_stored(store: Store) -> None:
    # 80 graphs of 60 triples: larger than one Virtuoso INSERT DATA may be, so split into requests by the store.
    updates = [GraphUpdate(f"{BASE}graph/release/r{i}", "\n".join(
        f'<{BASE}id/event/r{i}-{j}> <{NAME}> "event {j} of release {i}" .' for j in range(60))) for i in range(80)]
    store.replace_graphs(updates)
    assert store.triple_count() == 80 * 60
    assert len(list(store.graph_names())) == 80


def test_default_graph_is_the_merge_each_triple_once_and_kept_on_replace_and_remove(store: Store) -> None:
    shared = f'<{A}> <{NAME}> "Anna" .'
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    store.replace_graphs([GraphUpdate(G1, shared), GraphUpdate(G2, shared + "\n" + TWO)])
    if getattr(store, "dialect", None) == "virtuoso":
        # The documented difference: Virtuoso's default graph is the multiset union (README, store/remote.py).
        assert values(store.query(count)) == [("3",)]
        return
    assert values(store.query(count)) == [("2",)]  # the shared triple once, not once per graph
    assert values(store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")) == [(G1,), (G2,), (G2,)]
    store.replace_graphs([GraphUpdate(G1, TWO)])  # G2 still states the shared triple: it stays
    assert values(store.query(count)) == [("2",)]
    store.remove_graphs([G2])  # now nothing states it
    assert values(store.query(f"SELECT ?n WHERE {{ ?s <{NAME}> ?n }}")) == [("Bora Ђорђе",)]
    store.remove_graphs([G1])
    assert values(store.query(count)) == [("0",)]
    assert list(store.graph_names()) == []
