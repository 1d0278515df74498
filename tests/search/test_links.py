"""The growing links the search index keeps for descriptions: counted exactly, listed newest first, moved by drops."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kfgraph.pipeline import build
from kfgraph.search import SearchIndex, links
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import OxigraphStore, open_store
from kfgraph.vocab import PROV, SCHEMA

RELEASES = PROJECT_ROOT / "data" / "releases"


def live_totals(store: OxigraphStore) -> dict[tuple[str, int], int]:
    """Per (node, link): the distinct items SPARQL counts."""
    found = {}
    for link in links.LINKS:
        pattern = f"?x <{link.predicate}> ?node" if link.incoming else f"?node <{link.predicate}> ?x"
        for row in store.query(f"SELECT ?node (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }} GROUP BY ?node"):
            found[(row["node"].value, link.code)] = int(row["n"].value)
    return found


def indexed_totals(index: SearchIndex) -> dict[tuple[str, int], int]:
    return {(iri, code): total for iri, code, total in index.db.execute(
        "SELECT n.iri, t.link, t.total FROM link_totals t JOIN link_nodes n ON n.id = t.node")}


@pytest.fixture()
def built() -> Iterator[tuple[OxigraphStore, SearchIndex]]:
    store = open_store(None)
    index = SearchIndex(None)
    summary = build([RELEASES], settings=Settings(workers=1, batch_size=4), store=store, search_index=index)
    assert summary.count("stored") >= 13
    yield store, index
    index.close()


def test_every_growing_link_is_counted_as_sparql_counts_it(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    expected = live_totals(store)
    assert len(expected) > 100 and max(expected.values()) > 10
    assert indexed_totals(index) == expected


def test_dated_links_list_every_item_newest_first_by_their_release(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    checked = 0
    for (iri, code), total in live_totals(store).items():
        link = links.BY_CODE[code]
        if not link.dated:
            continue
        assert link in links.counts(index.db, iri).listed
        listed = links.newest(index.db, iri, link, limit=total + 5, offset=0)
        pattern = f"?x <{link.predicate}> <{iri}>"
        assert sorted(listed) == sorted(row["x"].value for row in store.query(f"SELECT DISTINCT ?x WHERE {{ {pattern} }}"))
        released = (f"?x <{SCHEMA.datePublished}> ?d" if link.from_release
                    else f"?x <{PROV.wasDerivedFrom}> ?r . ?r <{SCHEMA.datePublished}> ?d")
        dates = {row["x"].value: row["d"].value for row in store.query(
            f"SELECT ?x (MAX(?d) AS ?d) WHERE {{ {pattern} . {released} }} GROUP BY ?x")}
        in_order = [dates[x] for x in listed]
        assert in_order == sorted(in_order, reverse=True), (iri, link.predicate)
        # pages meet without gap or overlap
        halves = (links.newest(index.db, iri, link, limit=total // 2, offset=0)
                  + links.newest(index.db, iri, link, limit=total, offset=total // 2))
        assert halves == listed
        checked += 1
    assert checked > 50


def test_dropping_and_restoring_releases_moves_the_links(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    everything = indexed_totals(index)
    releases = sorted(g for g in store.graph_names() if "/id/release/" in g)[:3]
    kept = {g: store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}") for g in releases}
    ntriples = {g: "".join(f"{t} .\n" for t in triples) for g, triples in kept.items()}
    store.remove_graphs(releases)
    index.remove_graphs(releases)
    fewer = indexed_totals(index)
    assert fewer == live_totals(store) and sum(fewer.values()) < sum(everything.values())

    from kfgraph.store.base import GraphUpdate

    updates = [GraphUpdate(g, text) for g, text in ntriples.items()]
    store.replace_graphs(updates)
    index.replace_graphs(updates)
    index.replace_graphs(updates)  # written twice: replaced, not added again
    assert indexed_totals(index) == everything == live_totals(store)


def test_the_index_knows_every_predicate_of_the_store(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    used = {row["p"].value for row in store.query("SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert set(links.predicates(index.db)) == used
    assert "http://purl.org/linked-data/cube#dataSet" in used  # the summaries graph's too
