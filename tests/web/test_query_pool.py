"""The query worker pool: confined workers, memory cap, recycling, dead workers, a fair share for every client."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from kfgraph import formats
from kfgraph.errors import QueryMemoryError, ServerBusyError, TooManyQueriesError
from kfgraph.web.sparql.jobs import QueryRequest
from kfgraph.web.sparql.pool import PoolLimits, WorkerPool
from test_concurrency import alive, big_store, wait_for  # noqa: F401 - big_store is a fixture
from web_support import build_store

COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
HUNGRY = (
    "SELECT (STRLEN(GROUP_CONCAT(CONCAT(STR(?s), STR(?t), STR(?s), STR(?t), STR(?s), STR(?t), STR(?s), STR(?t))))"
    " AS ?n) { ?s ?p ?o . ?t ?q ?r }"
)
"""On 3,000 triples: one string of 9 million pieces, about 2 GB; the first 400 MB take a second or two."""


def limits(**changes: object) -> PoolLimits:
    values: dict[str, object] = dict(fast_workers=1, long_workers=1, long_after=0.1, client_queue=8,
                                     memory_limit=2_000_000_000, recycle_bytes=500_000_000, close_network=True)
    values.update(changes)
    return PoolLimits(**values)  # type: ignore[arg-type]


def request(query: str = COUNT) -> QueryRequest:
    return QueryRequest(query, formats.SPARQL_CSV, formats.N_TRIPLES, max_rows=10)


def count(body: bytes) -> bytes:
    return body.split(b"\r\n")[1]


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    return build_store(tmp_path / "store")


def test_dead_idle_workers_cost_no_request_anything(store: Path) -> None:
    """Regression: a worker that died while idle cost the next request a 500 or a misleading 503."""
    pool = WorkerPool(store, limits())
    try:
        assert count(pool.run(request(), timeout=10).body) == b"20"
        assert wait_for(lambda: len(pool.pids()) == 2)  # one worker for the fast lane, one spare
        before = pool.pids()
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        answers = [count(pool.run(request(), timeout=20).body) for _ in range(3)]
        assert answers == [b"20"] * 3
        assert not set(pool.pids()) & set(before)
    finally:
        pool.close()
    assert not any(alive(pid) for pid in pool.spawned_pids)


def test_workers_have_no_network(store: Path) -> None:
    """Each worker runs in a network namespace of its own (or under seccomp where namespaces are refused)."""
    pool = WorkerPool(store, limits())
    try:
        pool.run(request(), timeout=10)
        own = os.readlink("/proc/self/ns/net")
        for pid in pool.pids():
            confinement = next(w.confinement for w in pool._workers if w.pid == pid)
            assert confinement is not None and confinement.network_closed, confinement
            if confinement.network == "namespace":
                assert os.readlink(f"/proc/{pid}/ns/net") != own
    finally:
        pool.close()


def test_a_query_over_the_memory_cap_is_stopped_and_its_worker_replaced(big_store: Path) -> None:
    """Regression: nothing capped a query's memory (six nested OPTIONALs reached 6.2 GB)."""
    pool = WorkerPool(big_store, limits(memory_limit=400_000_000, long_after=60))
    try:
        pool.run(request(), timeout=10)
        with pytest.raises(QueryMemoryError, match="more memory than a query worker may use"):
            pool.run(request(HUNGRY), timeout=300)  # a few seconds on an idle machine
        assert count(pool.run(request(), timeout=20).body) == b"3000"
    finally:
        pool.close()


def test_a_worker_that_grew_large_is_recycled(store: Path) -> None:
    pool = WorkerPool(store, limits(recycle_bytes=1, long_after=30))
    try:
        pool.run(request(), timeout=10)
        assert wait_for(lambda: len(pool.pids()) == 2)
        before = set(pool.pids())
        pool.run(request(), timeout=10)
        assert wait_for(lambda: len(pool.pids()) == 2)
        assert len(before - set(pool.pids())) == 1  # the worker that answered was replaced
    finally:
        pool.close()


def test_long_queries_leave_the_fast_lane(big_store: Path) -> None:
    """With one fast place and one long place: runaways never hold up another client's small query for long."""
    pool = WorkerPool(big_store, limits(long_after=0.1, long_workers=1))
    errors: dict[str, Exception] = {}

    def runaway(client: str) -> None:
        try:
            pool.run(request(RUNAWAY), timeout=6, client=client)
        except Exception as error:  # noqa: BLE001
            errors[client] = error

    def small() -> float:
        started = time.monotonic()
        assert count(pool.run(request(), timeout=10, client="polite").body) == b"3000"
        return time.monotonic() - started

    try:
        pool.run(request(), timeout=10)
        assert wait_for(lambda: len(pool.pids()) == 2)  # the fast worker and the spare
        threads = {name: threading.Thread(target=runaway, args=(name,)) for name in ("greedy", "other")}
        threads["greedy"].start()
        time.sleep(1.0)  # greedy's runaway has moved to the long lane, whose one place it now holds
        first = small()
        threads["other"].start()
        time.sleep(1.0)  # other's runaway finds the long lane full: it keeps the fast place while nobody waits
        assert "other" not in errors
        second = small()  # now somebody waits: other's runaway is stopped
        for thread in threads.values():
            thread.join()
    finally:
        pool.close()
    # (loose bounds: the figures that matter are measured in bench/)
    assert first < 1.0 and second < 1.5, (first, second)
    assert isinstance(errors["other"], ServerBusyError), errors
    assert type(errors["greedy"]).__name__ == "QueryTimeoutError", errors


def test_a_client_may_queue_only_so_many(big_store: Path) -> None:
    pool = WorkerPool(big_store, limits(client_queue=2, long_after=30))
    outcomes: list[object] = []

    def ask() -> None:
        try:
            outcomes.append(pool.run(request(RUNAWAY), timeout=3, client="flood"))
        except Exception as error:  # noqa: BLE001
            outcomes.append(error)

    try:
        pool.run(request(), timeout=10)
        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        for thread in threads:
            thread.join()
    finally:
        pool.close()
    names = sorted(type(o).__name__ for o in outcomes)
    # one runs (then times out), two wait (and time out waiting), the fourth is refused at once
    assert names.count("TooManyQueriesError") == 1, names
    assert isinstance(next(o for o in outcomes if isinstance(o, TooManyQueriesError)), TooManyQueriesError)


def test_an_app_whose_lifespan_runs_twice_still_answers(store_path: Path) -> None:
    """Regression: a second lifespan (a second test client, schemathesis' calls) found the pools closed for good."""
    from fastapi.testclient import TestClient

    from kfgraph.web.app import create_app
    from web_support import GAZETTEER, make_settings

    app = create_app(make_settings(store_path, query_workers=1, query_timeout=120.0))
    for _ in range(2):
        with TestClient(app) as client:
            response = client.get("/sparql", params={"query": f"ASK {{ GRAPH <{GAZETTEER}> {{ ?s ?p ?o }} }}"})
            assert response.status_code == 200, response.text
            upload = client.post("/validate", content=b"", headers={"content-type": "text/turtle"})
            assert upload.status_code == 200, upload.text
            some = client.get("/sparql", params={"query": "SELECT ?s { GRAPH ?g { ?s a ?t } "
                                                  "FILTER(CONTAINS(STR(?s), '/id/')) } LIMIT 1"},
                              headers={"accept": "application/sparql-results+json"})
            iri = some.json()["results"]["bindings"][0]["s"]["value"]
            page = client.get("/" + iri.split("/", 3)[3], headers={"accept": "text/turtle"})  # the render limiter
            assert page.status_code == 200, page.text
