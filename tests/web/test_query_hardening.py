"""/sparql under hostile input: the breaks found by attacking it, each reproduced and shown fixed.

Regressions (found at commit 2d12e83):
* SSRF past the check: rdflib ended a ``#`` comment at LF only, Oxigraph also at CR, so
  ``{ #\\r SERVICE <loopback> {} }`` passed the check and Oxigraph called the URL.
* 50 nested ``{}`` or 100 nested ``OPTIONAL`` gave 500 (rdflib's parser overflowed its recursion).
* An 840 KB ``VALUES`` query was parsed in the server process for a minute, outside any limit.
* Eight different first queries at once broke rdflib's grammar for good: every later query got 500.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from loopback import Listener

from kfgraph.web.app import create_app
from kfgraph.web.server import background_server
from web_support import make_settings, wait_until_answering

FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def comment_ended_by_cr(port: int) -> str:
    return f"SELECT * WHERE {{ #\r SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }}\n}}"


def escaped_quote_string(port: int) -> str:
    """rdflib decodes \\u0022 before parsing (a quote: the SERVICE is inside one long string); Oxigraph does not."""
    return (
        'SELECT * WHERE { BIND("\\u0022" AS ?x) '
        f"SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} "
        'BIND("\\u0022" AS ?y) }'
    )


@pytest.mark.parametrize("make", [comment_ended_by_cr, escaped_quote_string])
def test_service_hidden_by_a_lexical_trick_is_refused(http: httpx.Client, listener: Listener, make) -> None:  # type: ignore[no-untyped-def]
    response = http.post("/sparql", content=make(listener.port), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "forbidden-query"
    assert listener.connections == 0


@pytest.mark.parametrize("make", [comment_ended_by_cr, escaped_quote_string])
def test_the_check_alone_catches_the_tricks(listener: Listener, make) -> None:  # type: ignore[no-untyped-def]
    """Without the workers' network namespace (a store object: queries run in the server process)."""
    import pyoxigraph as ox

    from kfgraph.store import OxigraphStore

    settings = make_settings(Path("unused"))
    app = create_app(settings, OxigraphStore(ox.Store(), None))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": make(listener.port)})
    assert response.status_code == 400, response.text
    assert listener.connections == 0


def test_a_worker_cannot_connect_to_a_loopback_listener(listener: Listener) -> None:
    """Defence in depth: a confined worker's connect fails, and so does Oxigraph's SERVICE call."""
    code = (
        "import socket, sys, pyoxigraph as ox\n"
        "from kfgraph.web.confinement import confine\n"
        "if sys.argv[2] == 'confined': print(confine(close_network=True, memory_limit=None).network)\n"
        "try:\n    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=2).close(); print('connected')\n"
        "except OSError as error: print('refused', error.errno)\n"
        "try:\n    list(ox.Store().query('SELECT * { SERVICE <http://127.0.0.1:%s/> { ?a ?b ?c } }' % sys.argv[1]))\n"
        "except OSError as error: print('service failed')\n"
    )

    def run(mode: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", code, str(listener.port), mode], capture_output=True, text=True,
                              timeout=60, check=True)
        return done.stdout.split("\n")

    confined = run("confined")
    assert confined[0] in ("namespace", "seccomp")
    assert confined[1].startswith("refused") and confined[2] == "service failed"
    assert listener.connections == 0
    free = run("free")  # positive control: the same code without confinement reaches the listener
    assert free[0] == "connected"
    assert listener.connections >= 1


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 50 + " ?s ?p ?o " + "}" * 50,
        "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 100 + "}" * 100 + " }",
        "SELECT * WHERE { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }",
    ],
    ids=["50-braces", "100-optionals", "60-parentheses"],
)
def test_deep_nesting_is_a_clear_400(http: httpx.Client, query: str) -> None:
    response = http.post("/sparql", data={"query": query})
    assert response.status_code == 400, response.text
    assert "nested too deeply" in response.json()["error"]["message"]
    assert "max_query_depth" in response.json()["error"]["message"]


def test_nesting_within_the_limit_is_answered(http: httpx.Client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 30 + "}" * 30 + " } LIMIT 1"
    assert http.post("/sparql", data={"query": query}).status_code == 200
    parens = "ASK { FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }"
    assert http.post("/sparql", data={"query": parens}).json()["boolean"] is True


@pytest.fixture(scope="module")
def patient_url(store_path: Path) -> Iterator[str]:
    """A server with a time limit that leaves room for parsing large queries on a loaded machine."""
    with background_server(create_app(make_settings(store_path, query_timeout=120.0))) as url:
        wait_until_answering(url)
        yield url


def values_query(size: int) -> str:
    values = []
    i = 0
    while sum(map(len, values)) < size:
        values.append(f"<http://example.org/v/{i}> ")
        i += 1
    return "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + "".join(values) + "} }"


def test_a_huge_query_is_413_and_a_large_one_is_parsed_in_a_worker(patient_url: str) -> None:
    http = httpx.Client(base_url=patient_url, timeout=150)
    huge = values_query(840_000)
    response = http.post("/sparql", content=huge, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413, response.text
    assert "max_query_bytes" in response.json()["error"]["message"]
    large = values_query(100_000)
    response = http.post("/sparql", content=large, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 3000


def test_a_large_query_in_a_worker_does_not_hold_up_the_server(patient_url: str) -> None:
    """Parsing happens in a worker: while one parses a large query, pages and the other worker still answer."""
    http = httpx.Client(base_url=patient_url, timeout=150)
    large = values_query(150_000)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(httpx.post, patient_url + "/sparql", content=large,
                           headers={"content-type": "application/sparql-query"}, timeout=150)
        quick = [http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}) for _ in range(3)]
        assert slow.result().status_code == 200
    assert all(r.status_code == 200 for r in quick)


# --------------------------------------------------------------------------- concurrency on a fresh server

def distinct_queries(count: int) -> list[tuple[str, int]]:
    """Queries of different shapes (so rdflib builds different parts of its grammar), with known answers."""
    shapes = [
        ("SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}", lambda k: k),
        ("SELECT (COUNT(?x) AS ?n) WHERE {{ VALUES ?x {{ {values} }} FILTER(?x > 0) }}", lambda k: k - 1),
        ("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {{ VALUES ?x {{ {values} }} }} UNION {{ VALUES ?x {{ 0 }} }} }}",
         lambda k: k),
        ("PREFIX e: <http://e.example/> SELECT (SUM(?one) AS ?n) WHERE {{ VALUES ?x {{ {values} }} BIND(1 AS ?one) }}",
         lambda k: k),
    ]
    queries = []
    for i in range(count):
        template, answer = shapes[i % len(shapes)]
        k = i // len(shapes) + 2
        queries.append((template.format(values=" ".join(str(v) for v in range(k))), answer(k)))
    return queries


def test_sixteen_different_first_queries_at_once_then_a_hundred(store_path: Path) -> None:
    """Regression: rdflib's grammar, built by several threads at once, broke /sparql until restart."""
    app = create_app(make_settings(store_path, query_workers=2, query_timeout=300.0))  # a fresh server: workers
    with background_server(app) as url, httpx.Client(base_url=url, timeout=320) as client:  # start under the load
        queries = distinct_queries(16)
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda q: client.post("/sparql", data={"query": q[0]}), queries))
        for (query, expected), response in zip(queries, answers, strict=True):
            assert response.status_code == 200, (query, response.text)
            assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected, query
        sequential = distinct_queries(100)
        for query, expected in sequential:
            response = client.post("/sparql", data={"query": query})
            assert response.status_code == 200, (query, response.text)
            assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected
    assert len(sequential) == 100


def test_the_in_process_check_is_safe_from_many_threads() -> None:
    """Inline and remote evaluators parse in the server's threads: the grammar lock keeps rdflib whole.

    Run in a fresh interpreter, where rdflib's grammar has not been built yet.
    """
    code = (
        "import concurrent.futures, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_query_hardening import distinct_queries\n"
        "from kfgraph.web.sparql.safety import analyse\n"
        "queries = [q for q, _ in distinct_queries(16)]\n"
        "with concurrent.futures.ThreadPoolExecutor(16) as pool:\n"
        "    plans = list(pool.map(analyse, queries))\n"
        "assert all(p.form == 'SELECT' for p in plans)\n"
        "assert analyse('ASK {}').form == 'ASK'\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.stdout.strip() == "ok", done.stderr
