"""The build-time summaries (Data Cube observations) count what the release graphs hold, and follow rebuilds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kfgraph import summaries
from kfgraph.iris import IriMinter
from kfgraph.pipeline import build
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import open_store
from kfgraph.vocab import sparql_prologue

RELEASES = PROJECT_ROOT / "data" / "releases"
BASE = Settings().base_iri


def _rows(store: object, query: str) -> list[tuple[str, ...]]:
    results = store.query(sparql_prologue() + query)  # type: ignore[attr-defined]
    return [tuple(term.value for term in row) for row in results]


def _cube(store: object, dimension: str | None) -> Counter[tuple[str, ...]]:
    """(dimension value, year[, type]) -> events, as the summaries graph states it (actors: no type)."""
    pattern = f"kfg:{dimension} ?d ;" if dimension else "FILTER NOT EXISTS { ?o kfg:refPlace|kfg:refActor ?any }"
    head = "?d " if dimension else ""
    typed = dimension != "refActor"
    rows = _rows(store, f"""SELECT {head}?year {"?type" if typed else ""} ?n WHERE {{
        ?o a qb:Observation ; {pattern if dimension else ""} kfg:refYear ?year ;
           {"kfg:refEventType ?type ;" if typed else ""} kfg:eventCount ?n . {"" if dimension else pattern} }}""")
    return Counter({row[:-1]: int(row[-1]) for row in rows})


def _raw(store: object, link: str | None) -> Counter[tuple[str, ...]]:
    """The same counts, computed from the events themselves."""
    head = "?d " if link else ""
    extra = f"?event {link} ?d ." if link else ""
    typed = link != "sem:hasActor"
    keys = f"{head}?year {'?type' if typed else ''}"
    rows = _rows(store, f"""SELECT {keys} (COUNT(DISTINCT ?event) AS ?n) WHERE {{
        ?release schema:mentions ?event ; schema:datePublished ?published . BIND(YEAR(?published) AS ?year)
        ?event a schema:Event ; kfg:eventType ?type . {extra} }} GROUP BY {keys}""")
    return Counter({row[:-1]: int(row[-1]) for row in rows})


def test_every_data_set_equals_the_count_from_the_events(data_store_path: Path) -> None:
    store = open_store(data_store_path, read_only=True)
    overall = _cube(store, None)
    assert sum(overall.values()) >= 20, "data/ has events in several years"
    assert overall == _raw(store, None)
    assert _cube(store, "refPlace") == _raw(store, "sem:hasPlace")
    actors = _raw(store, "sem:hasActor")
    totals: Counter[str] = Counter()
    for (actor, _), n in actors.items():
        totals[actor] += n
    assert _cube(store, "refActor") == Counter({k: n for k, n in actors.items() if totals[k[0]] >= summaries.MIN_EVENTS})


def test_data_sets_are_described_as_data_cubes(data_store_path: Path) -> None:
    store = open_store(data_store_path, read_only=True)
    rows = _rows(store, """SELECT ?id (COUNT(DISTINCT ?dim) AS ?dims) WHERE {
        GRAPH <http://localhost:8000/graph/summaries> {
          ?ds a qb:DataSet ; dcterms:identifier ?id ; qb:structure/qb:component/qb:dimension ?dim } } GROUP BY ?id""")
    assert dict(rows) == {"events-by-type-and-year": "2", "events-by-place": "3", "events-by-actor": "2"}


def test_refresh_follows_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a release graph is dropped, a refresh (as every build ends with) no longer counts its events."""
    monkeypatch.setattr(summaries, "MIN_EVENTS", 1)  # every actor, so the actors' counts are checked whole
    files = sorted(RELEASES.glob("*.txt"))[:3]
    store = open_store(tmp_path / "store")
    build(files, settings=Settings(store=tmp_path / "store", workers=1), store=store)
    before = _cube(store, None)
    assert sum(before.values()) > 0 and before == _raw(store, None)
    minter = IriMinter(BASE)
    dropped = next(g for g in store.graph_names() if "/id/release/" in g)
    store.remove_graphs([dropped])
    assert summaries.refresh(store, minter).ntriples.strip()
    after = _cube(store, None)
    assert sum(after.values()) < sum(before.values())
    assert after == _raw(store, None)
    assert _cube(store, "refActor") == _raw(store, "sem:hasActor")
    store.close()


def test_observation_iris_are_minted_under_the_base() -> None:
    minter = IriMinter(BASE)
    cube = summaries.CUBES[1]
    rows = [{"place": BASE + "id/place/jarinje", "year": "2022", "type": "https://w3id.org/kfgraph/event-type/Patrol",
             "events": "3"}]
    subjects = {str(s) for s, _, _ in summaries.observations(cube, rows, minter)}
    assert BASE + "id/observation/events-by-place/place-jarinje/2022/event-type-patrol" in subjects
    assert BASE + "id/dataset/events-by-place" in subjects
