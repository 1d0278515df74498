"""A runaway query is stopped at the time limit, its worker killed and replaced, others keep being served.

The server runs as a real ``kfgraph.web.server.serve`` subprocess so its worker processes can be
watched through /proc and checked gone after shutdown.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

TIME_LIMIT = 2.0
MARGIN = 1.5
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
)  # 3 000 triples to the 4th power: it would run for hours
SIMPLE = "SELECT ?o WHERE { <http://example.org/s/1> ?p ?o }"
PROCESSES = 3
"""KFGRAPH_QUERY_WORKERS=2 plus the pool's spare worker."""


def children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("concurrency") / "store"
    from kfgraph.store import GraphUpdate, open_store

    store = open_store(path)
    lines = "".join(f'<http://example.org/s/{i}> <http://example.org/p/{i % 7}> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n' for i in range(3000))
    store.replace_graphs([GraphUpdate("http://example.org/graph/big", lines)])
    store.close()
    return path


@pytest.fixture()
def server(big_store: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, float]]:
    port = free_port()
    env = {
        **os.environ,
        "KFGRAPH_STORE": str(big_store),
        "KFGRAPH_PORT": str(port),
        "KFGRAPH_QUERY_TIMEOUT": str(TIME_LIMIT),
        "KFGRAPH_QUERY_WORKERS": "2",
    }
    code = "from kfgraph.settings import Settings; from kfgraph.web.server import serve; serve(Settings.from_env())"
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            httpx.get(url + "/sparql", timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() - started > 20:
                process.kill()
                pytest.fail("kfgraph serve did not start")
            time.sleep(0.05)
    startup = time.monotonic() - started
    try:
        yield process, url, startup
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def test_runaway_query_is_stopped_and_others_are_served(server) -> None:  # type: ignore[no-untyped-def]
    process, url, startup = server
    print(f"serve answered after {startup:.2f} s (interpreter start and imports included)")
    assert startup < 10.0  # ~1.7 s on an idle 2-core machine; CI runners are shared, so only a loose bound here
    client = httpx.Client(base_url=url, timeout=30)
    assert client.get("/sparql", params={"query": SIMPLE}).status_code == 200
    assert wait_for(lambda: len(children(process.pid)) == PROCESSES), [Path(f"/proc/{p}/cmdline").read_bytes()[:200] for p in children(process.pid)]
    workers_before = children(process.pid)

    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        with httpx.Client(base_url=url, timeout=30) as other:
            outcome["response"] = other.get("/sparql", params={"query": RUNAWAY})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway holds one worker now
    started = time.monotonic()
    simple = client.get("/sparql", params={"query": SIMPLE})
    simple_seconds = time.monotonic() - started
    thread.join(timeout=TIME_LIMIT + 10)

    assert simple.status_code == 200 and simple.json()["results"]["bindings"] == [{"o": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
    assert simple_seconds < 1.0
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "query-timeout"
    assert float(outcome["seconds"]) < TIME_LIMIT + MARGIN  # type: ignore[arg-type]

    # The runaway's worker was killed (its CPU freed) and a fresh one took its place.
    assert wait_for(lambda: len(children(process.pid)) == PROCESSES and children(process.pid) != workers_before)
    workers_after = children(process.pid)
    killed = workers_before - workers_after
    assert len(killed) == 1 and not any(alive(pid) for pid in killed)
    for _ in range(3):
        assert client.get("/sparql", params={"query": SIMPLE}).status_code == 200

    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)
    assert wait_for(lambda: not any(alive(pid) for pid in workers_before | workers_after), timeout=3)
    client.close()

