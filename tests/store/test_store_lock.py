"""One store, one writer: a build refuses a store a real server reads, a server refuses a store being built."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kfgraph.cli import main
from kfgraph.errors import StoreLockedError
from kfgraph.settings import PROJECT_ROOT
from kfgraph.store import open_store

RELEASES = PROJECT_ROOT / "data" / "releases"
COUNT = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kfgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFGRAPH_")}
    return subprocess.run([sys.executable, "-m", "kfgraph.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


class Serve:
    """``kfgraph serve`` in its own process on a free loopback port."""

    def __init__(self, store: Path, cwd: Path) -> None:
        self.url = f"http://127.0.0.1:{_free_port()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("KFGRAPH_")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kfgraph.cli", "serve", "--store", str(store), "--port", self.url.rsplit(":", 1)[1]],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"server did not start: {self.stop()}")

    def graphs(self) -> int:
        response = httpx.get(f"{self.url}/sparql", params={"query": COUNT},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        _, err = self.process.communicate(timeout=10)
        return err


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A store of two releases (folder ``one``); folder ``two`` holds two more."""
    for name, files in (("one", ["2019-09-30-rcw-youth-football-tournament.txt", "2021-03-18-rce-donation-gracanica.txt"]),
                        ("two", ["2022-12-21-kfor-jarinje-presence.txt"])):
        (tmp_path / name).mkdir()
        for file in files:
            (tmp_path / name / file).write_bytes((RELEASES / file).read_bytes())
    assert main(["build", str(tmp_path / "one"), "--store", str(tmp_path / "store"), "--workers", "1"]) == 0
    return tmp_path / "store"


@pytest.fixture
def server(built: Path) -> Iterator[Serve]:
    serve = Serve(built, built.parent)
    serve.wait_ready()
    yield serve
    serve.stop()


@pytest.mark.slow
def test_build_is_refused_while_a_server_reads_the_store(built: Path, server: Serve) -> None:
    """The break: a build beside a server left /sparql and the pages answering from different snapshots."""
    before = server.graphs()
    refused = _kfgraph("build", str(built.parent / "two"), "--store", str(built), "--workers", "1", cwd=built.parent)
    assert refused.returncode == 2, refused.stderr
    assert f"kfgraph: error: store {built} is open for reading by another process" in refused.stderr
    assert "build into a new folder (--store NEW)" in refused.stderr
    assert server.graphs() == before  # nothing changed under the server
    server.stop()
    done = _kfgraph("build", str(built.parent / "two"), "--store", str(built), "--workers", "1", cwd=built.parent)
    assert done.returncode == 0, done.stderr
    again = Serve(built, built.parent)
    try:
        again.wait_ready()
        assert again.graphs() == before + 1
    finally:
        again.stop()


@pytest.mark.slow
def test_a_server_refuses_to_start_on_a_store_being_built(built: Path) -> None:
    writer = open_store(built)  # what a running build holds
    try:
        serve = Serve(built, built.parent)
        assert serve.process.wait(timeout=60) == 2
        err = serve.stop()
        assert f"kfgraph: error: store {built} is being written by a running `kfgraph build`" in err
        query = _kfgraph("query", "ASK {}", "--store", str(built), cwd=built.parent)
        assert query.returncode == 2 and "is being written by a running `kfgraph build`" in query.stderr
    finally:
        writer.close()
    assert _kfgraph("query", "ASK {}", "--store", str(built), cwd=built.parent).returncode == 0


def test_readers_share_and_a_second_writer_is_refused(built: Path) -> None:
    first, second = open_store(built, read_only=True), open_store(built, read_only=True)
    with pytest.raises(StoreLockedError, match="is open for reading"):
        open_store(built)
    first.close()
    second.close()
    writer = open_store(built)
    with pytest.raises(StoreLockedError, match="is being written"):
        open_store(built)
    writer.close()


def test_a_killed_writer_leaves_no_stale_lock(built: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from kfgraph.store import open_store;"
         "s = open_store(Path(sys.argv[1])); print('open', flush=True); time.sleep(600)", str(built)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreLockedError):
            open_store(built, read_only=True)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        open_store(built, read_only=True).close()
    finally:
        holder.kill()
