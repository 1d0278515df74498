"""The search index: kept in step by the build, equal to a rebuild, counts as SPARQL counts them, spellings levelled."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfgraph.pipeline import build
from kfgraph.search import SearchIndex, queries
from kfgraph.search.folding import fold, key
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import OxigraphStore, open_store
from kfgraph.vocab import sparql_prologue
from kfgraph.web.pages.browse import ENTITY_CLASSES, entities_query

RELEASES = PROJECT_ROOT / "data" / "releases"
BASE = "http://localhost:8000/"


def snapshot(index: SearchIndex) -> dict[str, object]:
    """Everything a reader sees: entity rows (by IRI), release rows, concept labels."""
    db = index.db
    return {
        "entities": sorted(db.execute(
            "SELECT iri, kind, label, detail, date, place, releases, mentions, names, aliases FROM entities "
            "WHERE releases > 0").fetchall()),
        "searchable": sorted(r[0] for r in db.execute(
            "SELECT e.iri FROM name_fts JOIN entities e ON e.id = name_fts.rowid UNION ALL "
            "SELECT e.iri FROM event_fts JOIN event_keys k ON k.event = event_fts.rowid JOIN entities e ON e.id = k.entity")),
        "releases": sorted(db.execute("SELECT iri, identifier, headline, published, events FROM releases")),
        "types": sorted(db.execute("SELECT r.iri, t.type FROM release_types t JOIN releases r ON r.id = t.release")),
        "concepts": sorted(db.execute("SELECT iri, label FROM concepts")),
    }


@pytest.fixture(scope="module")
def built() -> Iterator[tuple[OxigraphStore, SearchIndex]]:
    """data/releases built by the real pipeline into an in-memory store, the index following every write."""
    store = open_store(None)
    index = SearchIndex(None)
    summary = build([RELEASES], settings=Settings(workers=1, batch_size=4, write_triples=500), store=store,
                    search_index=index)
    assert summary.count("stored") >= 13
    yield store, index
    index.close()


def test_the_build_keeps_the_index_equal_to_a_rebuild(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    assert index.is_usable()
    fresh = SearchIndex(None)
    assert fresh.rebuild(store) == len(list(store.graph_names()))
    assert snapshot(index) == snapshot(fresh)


def test_counts_agree_with_the_sparql_behind_each_list(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    checked = 0
    for kind, cls in ENTITY_CLASSES.items():
        listed = queries.list_entities(index, kind, limit=1000)
        rows = store.query(sparql_prologue() + entities_query(cls))
        expected = {row["entity"].value: (int(row["releases"].value), int(row["mentions"].value)) for row in rows}
        assert listed.total == len(expected), kind
        for hit in listed.items:
            assert (hit.releases, hit.mentions) == expected[hit.iri], hit
            assert hit.mentions >= hit.releases >= 1
            checked += 1
    assert checked > 50


def test_entities_no_release_mentions_are_neither_listed_nor_found(built: tuple[OxigraphStore, SearchIndex]) -> None:
    store, index = built
    unmentioned = store.query(sparql_prologue() + """SELECT ?p ?name WHERE {
        ?p a schema:Place ; rdfs:label ?name FILTER NOT EXISTS { ?r schema:mentions ?p } } ORDER BY ?p LIMIT 1""")
    row = next(iter(unmentioned))
    iri, name = row["p"].value, row["name"].value
    assert iri not in {hit.iri for hit in queries.find_entities(index, name, limit=50).items}
    assert iri not in {hit.iri for hit in queries.list_entities(index, "place", limit=1000).items}


@pytest.mark.parametrize("typed", ["Pristina", "Prishtinë", "PRISHTINA", "prisht", "Priština"])
def test_a_place_is_found_by_any_spelling(built: tuple[OxigraphStore, SearchIndex], typed: str) -> None:
    _, index = built
    first = queries.find_entities(index, typed, limit=5).items[0]
    assert first.iri == BASE + "id/place/pristina", typed
    assert first.kind_label == "Place" and first.releases >= 1


def test_a_person_is_found_without_the_accents_of_their_name(built: tuple[OxigraphStore, SearchIndex]) -> None:
    _, index = built
    hits = queries.find_entities(index, "ozkan ulutas", limit=3).items
    assert hits and hits[0].label == "Özkan Ulutaş" and hits[0].kind == "person"
    assert hits[0].detail == "Major General"  # the rank's label, from the ontology graph


def test_releases_are_found_by_the_words_of_their_text(built: tuple[OxigraphStore, SearchIndex]) -> None:
    _, index = built
    found = queries.find_releases(index, "football tournament", limit=5)
    assert found.total == 1
    hit = found.items[0]
    assert hit.title == "Regional Command West hosts youth football tournament"
    assert "<mark>football</mark>" in hit.snippet_html
    assert queries.find_releases(index, "xyzzy").total == 0


def test_exact_names_rank_before_popular_partial_matches(built: tuple[OxigraphStore, SearchIndex]) -> None:
    _, index = built
    hits = queries.find_entities(index, "KFOR", limit=10).items
    assert hits[0].label == "KFOR"
    # "Kosovo" (the place) is named by more releases than the Kosovo Police, and both match exactly a name
    kosovo = [h.iri for h in queries.find_entities(index, "kosovo", limit=5).items]
    assert kosovo[0] == BASE + "id/place/kosovo"


def test_snippets_and_titles_are_escaped(tmp_path: Path) -> None:
    index = SearchIndex(None)
    from kfgraph.search.documents import GraphDocument, ReleaseFacts

    iri = BASE + "id/release/x"
    index.replace_documents([GraphDocument(iri, ReleaseFacts(iri, "x", "", "2024-01-01", "<script>alert(1)</script> patrol"))])
    hit = queries.find_releases(index, "patrol").items[0]
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert hit.title == "<script>alert(1)</script> patrol"  # plain text: templates escape it


def test_dropping_and_restoring_a_release_moves_the_counts(tmp_path: Path) -> None:
    store = open_store(None)
    index = SearchIndex(None)
    build([RELEASES], settings=Settings(workers=1), store=store, search_index=index)
    before = snapshot(index)
    graph = BASE + "id/release/2019-09-30-rcw-youth-football-tournament"
    bernardi = BASE + "id/person/luca-bernardi"
    assert bernardi in {h.iri for h in queries.find_entities(index, "Bernardi").items}
    kosovo = queries.find_entities(index, "Kosovo", kind="place", limit=1).items[0]

    index.remove_graphs([graph])
    assert queries.find_entities(index, "Bernardi").total == 0  # only that release named him
    assert graph not in {h.iri for h in queries.list_releases(index, limit=100).items}
    fresh = SearchIndex(None)
    store.remove_graphs([graph])
    fresh.rebuild(store)
    assert snapshot(index) == snapshot(fresh)
    assert queries.find_entities(index, "Kosovo", kind="place", limit=1).items[0].releases <= kosovo.releases

    build([RELEASES / "2019-09-30-rcw-youth-football-tournament.txt"], settings=Settings(workers=1), store=store,
          search_index=index)
    assert snapshot(index) == before


def test_an_index_left_half_written_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SearchIndex(path)
    index.clear()
    assert index.is_usable()
    with pytest.raises(RuntimeError), index._writing():
        raise RuntimeError("the build died here")
    assert not index.is_usable()
    index.close()
    reopened = sqlite3.connect(path)
    assert dict(reopened.execute("SELECT key, value FROM meta"))["complete"] == "no"


def test_a_server_rebuilds_an_index_that_is_not_in_step(data_store_path: Path, tmp_path: Path) -> None:
    from kfgraph.search.lifecycle import open_for_serving

    settings = Settings(store=data_store_path, search_index=str(tmp_path / "stale.sqlite"))
    stale = SearchIndex(tmp_path / "stale.sqlite")
    stale.clear()  # usable, but empty while the store holds graphs
    stale.close()
    store = open_store(data_store_path, read_only=True)
    index = open_for_serving(settings, store)
    assert index.graph_count() == len(list(store.graph_names()))
    assert queries.find_entities(index, "Pristina").total >= 1


@pytest.mark.parametrize(("a", "b"), [("Pristina", "Prishtinë"), ("Mitrovica", "Mitrovicë"), ("Gračanica", "Graçanicë"),
                                      ("Peja", "Pejë"), ("Ulutaş", "Ulutas"), ("Kosovo", "Kosova")])
def test_spelling_keys_meet(a: str, b: str) -> None:
    assert [key(w) for w in fold(a).split()] == [key(w) for w in fold(b).split()]


def test_doctests_in_search() -> None:
    import doctest

    from kfgraph.search import documents, folding

    from kfgraph.search import queries as reads

    for module in (folding, documents, reads):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_kfgraph_index_rebuilds_the_index_from_the_store(data_store_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from kfgraph.cli import main

    target = tmp_path / "rebuilt.sqlite"
    monkeypatch.setenv("KFGRAPH_SEARCH_INDEX", str(target))
    assert main(["index", "--store", str(data_store_path)]) == 0
    index = SearchIndex(target, read_only=True)
    store = open_store(data_store_path, read_only=True)
    assert index.is_usable() and index.graph_count() == len(list(store.graph_names()))


def test_kfgraph_build_keeps_the_index_beside_the_store(tmp_path: Path) -> None:
    from kfgraph.cli import main

    store = tmp_path / "store"
    assert main(["build", str(RELEASES / "2019-09-30-rcw-youth-football-tournament.txt"), "--store", str(store),
                 "--workers", "1"]) == 0
    index = SearchIndex(tmp_path / "store-search.sqlite", read_only=True)
    assert index.is_usable()
    assert [h.label for h in queries.find_entities(index, "bernardi").items] == ["Luca Bernardi"]
    # every graph the build wrote (releases, shared graphs, summaries, build record) is counted, so a
    # server started on this store finds the index in step and does not rebuild it
    graphs = open_store(store, read_only=True)
    assert index.graph_count() == len(list(graphs.graph_names()))
