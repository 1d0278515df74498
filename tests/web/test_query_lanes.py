"""Runaway clients against polite ones: the lanes' rules as data, then real workers and a real app."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from kfgraph.errors import KfgraphError, QueryTimeoutError
from kfgraph.web.sparql import worker_processes
from kfgraph.web.sparql.lanes import Lanes, Ticket
from kfgraph.web.sparql.pool import WorkerPool
from test_concurrency import big_store  # noqa: F401 - a fixture
from test_concurrency import wait_for
from test_query_pool import COUNT, RUNAWAY, count, limits, request

# ---------------------------------------------------------------------- the rules, as data


def test_the_fast_lane_keeps_an_idle_worker_for_each_free_place() -> None:
    lanes: Lanes[str] = Lanes(fast_places=2, long_places=4)
    lanes.long_runners.add("greedy")
    greedy = Ticket[str]("greedy")
    lanes.enqueue(greedy)
    assert greedy.long  # its client ran long before: it waits for the long lane
    idle = ["w1", "w2"]
    assert not lanes.assign(idle)  # two free fast places, two idle workers: none for the long lane
    assert greedy.worker is None and idle == ["w1", "w2"]
    idle.append("w3")  # the spare has started
    assert lanes.assign(idle)
    assert greedy.worker == "w3" and idle == ["w1", "w2"]


def test_a_long_runner_has_one_long_place_and_small_queries_go_first() -> None:
    lanes: Lanes[str] = Lanes(fast_places=1, long_places=4)
    lanes.long_runners.add("greedy")
    first, second, polite = Ticket[str]("greedy"), Ticket[str]("greedy"), Ticket[str]("polite")
    for ticket in (first, second, polite):
        lanes.enqueue(ticket)
    idle = ["w1", "w2", "w3", "w4"]
    lanes.assign(idle)
    assert polite.worker is not None and not polite.long
    assert first.worker is not None and first.long
    assert second.worker is None  # one long place per client
    lanes.release(first)
    lanes.assign(idle)
    assert second.worker is not None


def test_a_long_runner_may_use_a_fast_place_nobody_waits_for() -> None:
    """Clients behind one address share it: while one's runaway holds the address's long place, another's
    small query must not wait for the long lane when the fast lane is free."""
    lanes: Lanes[str] = Lanes(fast_places=2, long_places=4)
    lanes.long_runners.add("shared")
    running = Ticket[str]("shared", long=True, worker="w0")
    lanes.long["shared"] = 1
    small = Ticket[str]("shared")
    lanes.enqueue(small)
    idle = ["w1", "w2"]
    assert lanes.assign(idle)
    assert small.worker == "w2" and not small.long and lanes.fast["shared"] == 1
    assert running.worker == "w0"


def test_a_long_runner_returns_to_the_fast_lane_after_a_quick_query() -> None:
    lanes: Lanes[str] = Lanes(fast_places=1, long_places=1)
    running = Ticket[str]("client")
    lanes.enqueue(running)
    lanes.assign(["w1"])
    assert lanes.promote(running) and running.long and "client" in lanes.long_runners
    lanes.release(running)
    lanes.finished_quickly("client")
    later = Ticket[str]("client")
    lanes.enqueue(later)
    assert not later.long


def test_a_promotion_without_a_place_still_marks_the_client() -> None:
    lanes: Lanes[str] = Lanes(fast_places=2, long_places=1)
    a, b = Ticket[str]("a"), Ticket[str]("b")
    for ticket in (a, b):
        lanes.enqueue(ticket)
    lanes.assign(["w1", "w2"])
    assert lanes.promote(a)
    assert not lanes.promote(b) and not b.long  # keeps its fast place (the pool stops it when others wait)
    assert lanes.long_runners == {"a", "b"}


# ---------------------------------------------------------------------- real workers


def test_a_long_runners_next_query_starts_in_the_long_lane(big_store: Path) -> None:  # noqa: F811
    """A client whose query ran long sends its next runaway to the long lane: with one fast place, and a CPU
    threshold no query reaches here, a polite client's small queries still run while the runaway does."""
    pool = WorkerPool(big_store, limits(fast_workers=1, long_workers=2, long_after=60))
    outcome: list[BaseException] = []

    def runaway() -> None:
        try:
            pool.run(request(RUNAWAY), timeout=6, client="greedy")
        except KfgraphError as error:
            outcome.append(error)

    try:
        pool.run(request(), timeout=60)
        assert wait_for(lambda: len(pool.pids()) == 2, timeout=60)  # the fast worker and the spare
        with pool._cond:
            pool._lanes.long_runners.add("greedy")  # as if its last query had run long
        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.5)
        polite = [count(pool.run(request(COUNT), timeout=3, client="polite").body) for _ in range(5)]
        thread.join()
    finally:
        pool.close()
    assert polite == [b"3000"] * 5  # in the fast lane the runaway would have held the one place for 6 s
    assert len(outcome) == 1 and isinstance(outcome[0], QueryTimeoutError), outcome


class _SlowToDie:
    """A worker process that takes ``delay`` seconds to exit after SIGKILL, as a niced process on a loaded
    machine does; everything else is the real process."""

    def __init__(self, process: subprocess.Popen[bytes], delay: float) -> None:
        self._process, self._delay, self._killed = process, delay, 0.0

    def __getattr__(self, name: str) -> object:
        return getattr(self._process, name)

    def kill(self) -> None:
        self._killed = self._killed or time.monotonic()
        self._process.kill()

    def poll(self) -> int | None:
        if self._killed and time.monotonic() - self._killed < self._delay:
            return None
        return self._process.poll()

    def wait(self, timeout: float | None = None) -> int:
        left = self._delay - (time.monotonic() - self._killed) if self._killed else 0.0
        if timeout is not None and left > timeout:
            time.sleep(timeout)
            raise subprocess.TimeoutExpired(self._process.args, timeout)
        time.sleep(max(0.0, left))
        return self._process.wait(timeout)


def test_a_worker_slow_to_die_costs_the_runaway_a_503_not_a_500(
    big_store: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """Regression: a stopped runaway's worker that took over 6 s to exit after SIGKILL (nice 10, load 40) made
    the request thread's wait raise, and the runaway got 500 internal-error instead of its 503."""
    from fastapi.testclient import TestClient

    from kfgraph.web.app import create_app
    from web_support import make_settings

    launch = worker_processes.launch_worker

    def slow_to_die(*args: object) -> worker_processes.WorkerProcess:
        worker = launch(*args)  # type: ignore[arg-type]
        worker.process = _SlowToDie(worker.process, delay=10.0)  # type: ignore[assignment]
        return worker

    monkeypatch.setattr("kfgraph.web.sparql.pool.launch_worker", slow_to_die)
    app = create_app(make_settings(big_store, query_workers=1, query_timeout=3.0, query_long_after=0.1))
    with TestClient(app) as client:
        small = {"query": COUNT, "format": "csv"}
        assert client.post("/sparql", data=small).status_code == 200  # a worker is up
        runaway = client.post("/sparql", data={"query": RUNAWAY})
        assert runaway.status_code == 503, runaway.text
        assert runaway.json()["error"]["code"] == "query-timeout"
        after = client.post("/sparql", data=small)
        assert after.status_code == 200, after.text
        assert after.text.splitlines()[1] == "3000"


def test_the_pool_shrinks_back_after_long_queries(big_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Workers started for the long lane are stopped once no long query wants them (RSS back after a burst)."""
    monkeypatch.setattr("kfgraph.web.sparql.pool._SURPLUS_IDLE", 0.5)
    pool = WorkerPool(big_store, limits(fast_workers=1, long_workers=2, long_after=0.1))
    threads = [threading.Thread(target=lambda c=c: _ignore(pool, c)) for c in ("a", "b")]
    try:
        pool.run(request(), timeout=60)
        for thread in threads:
            thread.start()
        assert wait_for(lambda: len(pool.pids()) == 4, timeout=60)  # two long, one fast, one spare
        for thread in threads:
            thread.join()
        assert wait_for(lambda: len(pool.pids()) == 2, timeout=30), pool.pids()  # one fast, one spare
        assert count(pool.run(request(), timeout=60).body) == b"3000"
    finally:
        pool.close()


def _ignore(pool: WorkerPool, client: str) -> None:
    try:
        pool.run(request(RUNAWAY), timeout=4, client=client)
    except QueryTimeoutError:
        pass
