"""``kfgraph serve`` answers the same on embedded Oxigraph, Virtuoso and ``oxigraph serve``.

Each backend gets data/releases built into it by the real pipeline, then a real
uvicorn on a loopback port. Answers are compared with the embedded store's as
*values*: engines may legitimately differ in the datatype of a computed value
(Virtuoso types COUNT as xsd:int, Oxigraph as xsd:integer), never in the value.
Rows are compared as multisets unless the query orders them (ORDER BY): then the
order of the ordered columns must match too.
"""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from loopback import Listener
from sparql_engines import BACKENDS, Engine, backend_settings, clear_store, split_wkt

from kfgraph.pipeline import build
from kfgraph.queries import examples
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import open_store, open_store_url
from kfgraph.web.app import create_app
from kfgraph.web.linked_data.describe import describe, serialize
from kfgraph import formats
from kfgraph.web.server import background_server

RELEASES = PROJECT_ROOT / "data" / "releases"
EXAMPLES = examples()
KFOR = "http://localhost:8000/id/organization/kfor"


@dataclass
class Served:
    name: str
    url: str
    settings: Settings
    engine: Engine | None


@pytest.fixture(scope="module", params=BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    name = request.param
    engine = None if name == "embedded" else request.getfixturevalue(
        "virtuoso_engine" if name == "virtuoso" else "oxigraph_engine")
    settings = backend_settings(name, engine, tmp_path_factory.mktemp(f"serve-{name}"), workers=1,
                                query_workers=2, query_timeout=30.0)
    assert isinstance(settings, Settings)
    store = open_store_url(None, settings=settings)
    if engine is not None:
        clear_store(store)
    summary = build([RELEASES], settings=settings, store=store)
    store.close()
    assert summary.count("stored") >= 13, summary.to_json()
    with background_server(create_app(settings)) as url:
        yield Served(name, url, settings, engine)


@pytest.fixture(scope="module")
def reference(data_store_path: Path) -> Iterator[object]:
    """The embedded store built from data/ by the session fixture: the answers to match."""
    store = open_store(data_store_path, read_only=True)
    yield store
    del store


def rows_of(payload: dict[str, object]) -> tuple[list[str], list[tuple[str, ...]]]:
    names: list[str] = payload["head"]["vars"]  # type: ignore[index]
    bindings = payload["results"]["bindings"]  # type: ignore[index]
    return names, [tuple(b.get(n, {}).get("value", "") for n in names) for b in bindings]


def reference_rows(store: object, query: str) -> tuple[list[str], list[tuple[str, ...]]]:
    result = store.query(query)  # type: ignore[attr-defined]
    names = [v.value for v in result.variables]
    return names, [tuple("" if t is None else t.value for t in row) for row in result]


def ordered_columns(query: str, names: list[str]) -> list[int]:
    """Indexes of the columns an ORDER BY sorts on (empty: the order is free)."""
    match = re.search(r"ORDER\s+BY\s+(.+?)(?:LIMIT|OFFSET|$)", query, re.IGNORECASE | re.DOTALL)
    if match is None:
        return []
    keys = re.findall(r"\?(\w+)", match.group(1))
    return [names.index(k) for k in keys if k in names]


def test_sparql_answers(served: Served) -> None:
    response = httpx.post(f"{served.url}/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://schema.org/NewsArticle> }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) >= 13
    csv = httpx.get(f"{served.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert csv.status_code == 200 and csv.text.strip().lower().endswith("true")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_analyst_queries_answer_as_on_the_embedded_store(served: Served, reference: object, example: object) -> None:
    query = example.text  # type: ignore[attr-defined]
    response = httpx.post(f"{served.url}/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    names, rows = rows_of(response.json())
    expected_names, expected = reference_rows(reference, query)
    assert names == expected_names
    assert expected, "an example that answers nothing on data/ proves nothing"
    assert sorted(rows) == sorted(expected)
    keys = ordered_columns(query, names)
    if keys:
        assert [tuple(r[k] for k in keys) for r in rows] == [tuple(r[k] for k in keys) for r in expected]


def test_there_are_ten_analyst_queries() -> None:
    assert len(EXAMPLES) == 10


def test_linked_data_page_is_the_same_description(served: Served, reference: object) -> None:
    response = httpx.get(f"{served.url}/id/organization/kfor.nt", timeout=30)
    assert response.status_code == 200, response.text
    expected = serialize(describe(reference, KFOR).graph, formats.N_TRIPLES, context_url="unused")  # type: ignore[arg-type]
    assert response.content == expected
    page = httpx.get(f"{served.url}/id/organization/kfor", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "Kosovo Force" in page.text, page.text[:4000]


def test_dump_holds_every_quad_of_the_store(served: Served, reference: object) -> None:
    response = httpx.get(f"{served.url}/dumps/kfgraph.nq.gz", timeout=60)
    assert response.status_code == 200
    # the build record says when each store was built, so it is the one graph the two stores do not share
    builds = ox.NamedNode("http://localhost:8000/graph/builds")
    dumped = list(ox.parse(gzip.decompress(response.content), format=ox.RdfFormat.N_QUADS))
    assert any(q.graph_name == builds for q in dumped)
    got = split_wkt(q for q in dumped if q.graph_name != builds)
    # the dump holds the named graphs; the store's default graph is their merge (store/oxigraph.py)
    expected = split_wkt(q for q in reference.inner  # type: ignore[attr-defined]
                         if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != builds)
    assert len(got[0]) > 5000
    assert not got[0] ^ expected[0], (sorted(got[0] - expected[0])[:3], sorted(expected[0] - got[0])[:3])
    assert got[1].keys() == expected[1].keys()
    for key, point in expected[1].items():
        assert got[1][key] == pytest.approx(point, abs=1e-5), key



def test_engine_errors_become_our_error_shape(served: Served) -> None:
    response = httpx.post(f"{served.url}/sparql", data={"query": "SELECT * WHERE { ?s ?p }"}, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed-query"


def test_updates_are_refused_before_reaching_the_engine(served: Served) -> None:
    update = "DROP ALL"
    response = httpx.post(f"{served.url}/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403
    response = httpx.post(f"{served.url}/sparql", data={"query": "CLEAR ALL"})
    assert response.status_code == 403
    count = httpx.post(f"{served.url}/sparql", data={"query": "ASK { ?r a <https://schema.org/NewsArticle> }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert count.json()["boolean"] is True


def test_service_is_refused_by_kfgraph_though_virtuoso_would_run_it(served: Served) -> None:
    if served.name != "virtuoso":
        pytest.skip("the Virtuoso case; SERVICE refusal on the embedded store is tested in test_safety.py")
    assert served.engine is not None
    listener = Listener()
    try:
        query = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?x ?p ?o }} }}"
        response = httpx.post(f"{served.url}/sparql", data={"query": query}, timeout=30)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "forbidden-query"
        assert listener.connections == 0
        # The same query sent to Virtuoso itself makes it call the listener: kfgraph's check is what protects.
        httpx.post(served.engine.store_url.removeprefix("sparql+"), data={"query": query}, timeout=30,
                   auth=served.engine.auth())
        assert listener.connections >= 1
    finally:
        listener.close()


def test_a_long_query_is_stopped_at_the_time_limit(served: Served) -> None:
    if served.name == "oxigraph-server":
        pytest.skip("oxigraph serve cannot stop a query whose client left: it would burn a core for the session "
                    "(the embedded case is tested in test_concurrency.py; Virtuoso stops at its MaxQueryExecutionTime)")
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h "
            "FILTER(STRLEN(CONCAT(STR(?b), STR(?d), STR(?f), STR(?h))) > 0) }")
    limited = served.settings.replace(query_timeout=1.5)
    with background_server(create_app(limited)) as url:
        started = time.monotonic()
        response = httpx.post(f"{url}/sparql", data={"query": slow}, timeout=60)
        seconds = time.monotonic() - started
        assert response.status_code == 503, response.text[:300]
        assert response.json()["error"]["code"] == "query-timeout"
        assert seconds < limited.query_timeout + 2
        ok = httpx.post(f"{url}/sparql", data={"query": "ASK { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert ok.status_code == 200


def test_graph_store_read_side_serves_one_graph_and_the_union(served: Served, reference: object) -> None:
    graph = "http://localhost:8000/id/release/2022-12-21-kfor-jarinje-presence"  # a release graph is named by its IRI
    response = httpx.get(f"{served.url}/graph", params={"graph": graph}, headers={"Accept": "application/n-triples"},
                         timeout=60)
    assert response.status_code == 200, response.text[:300]
    got = split_wkt(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    expected = split_wkt(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                         for q in reference.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph)))  # type: ignore[attr-defined]
    assert len(got[0]) > 100 and got[0] == expected[0]
    union = httpx.get(f"{served.url}/graph?default", headers={"Accept": "text/turtle"}, timeout=60)
    assert union.status_code == 200
    triples = {str(t.triple) for t in ox.parse(union.content, format=ox.RdfFormat.TURTLE)}
    assert len(triples) == len({str(q.triple) for q in reference.inner})  # type: ignore[attr-defined]


def test_fragments_match_the_reference(served: Served, reference: object) -> None:
    """Triple Pattern Fragments count and page alike on every backend (each triple once)."""
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    kfor = httpx.get(f"{served.url}/fragments", params={"predicate": label, "object": '"KFOR"'},
                     headers={"Accept": "application/n-triples"}, timeout=60)
    assert kfor.status_code == 200, kfor.text
    assert f'<{KFOR}> <{label}> "KFOR" .' in kfor.text and '#totalItems> "1"^^' in kfor.text
    labels = httpx.get(f"{served.url}/fragments", params={"predicate": label},
                       headers={"Accept": "application/n-triples"}, timeout=60)
    expected = next(iter(reference.query(  # type: ignore[attr-defined]
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s <{label}> ?o }} }}")))["n"].value
    assert f'#totalItems> "{expected}"^^' in labels.text


def test_search_reads_the_backend_graphs(served: Served) -> None:
    """The server's search index is made from the backend's graphs (in memory for a remote store)."""
    body = httpx.get(served.url + "/search.json", params={"q": "Prishtina", "limit": 3}, timeout=60).json()
    first = body["entities"]["items"][0]
    assert first["iri"] == "http://localhost:8000/id/place/pristina" and first["releases"] >= 1
    assert httpx.get(served.url + "/entities", params={"type": "person"}, timeout=60).text.count("/id/person/") >= 5
