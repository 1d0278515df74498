"""SPARQL evaluation under a time limit that really frees the work.

pyoxigraph cannot cancel a running query, so queries run in a pool of worker
processes (``WorkerPool``). Each worker opens the store read-only once, then
evaluates jobs one at a time, serialising the result itself and sending bytes
back. When a job outlives its time limit the parent kills that worker
(SIGKILL) and a supervisor thread starts a replacement, while the other
workers keep serving. Workers also die with the pool's supervisor thread
(Linux ``PR_SET_PDEATHSIG``) and when their pipe closes, so none outlives the
server. Workers are plain ``python -c`` subprocesses talking over a socket
pair (no multiprocessing: no re-import of ``__main__``, no resource tracker).

The row cap: oxigraph writes SPARQL TSV (SELECT) or N-Triples (CONSTRUCT /
DESCRIBE), one line per row, into a sink that stops it after ``max_rows``
lines; oxigraph then turns the kept lines into the asked format.

``InlineEvaluator`` runs the same ``evaluate`` in the calling thread on a store
object: for tests and embedding; its time limit only bounds the response.

This module imports nothing of FastAPI or rdflib: worker processes start fast.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kfgraph.errors import QueryError, QueryTimeoutError, StoreError
from kfgraph.formats import Format, Kind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryJob:
    """One read-only query to evaluate and serialise."""

    query: str
    result_format: Format
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    """From ``default-graph-uri``; None = not given."""
    named_graphs: tuple[str, ...] | None = None
    """From ``named-graph-uri``; None = not given."""
    union_default: bool = True
    """Without protocol dataset: default graph = union of all graphs (False when the query has FROM)."""
    prefixes: tuple[tuple[str, str], ...] = ()
    """Prefixes to use when writing Turtle / TriG output."""
    base_iri: str | None = None
    """Base IRI of relative IRIs in a query without ``BASE`` (the endpoint's URL, as the protocol's tests expect)."""


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    result_format: Format
    rows: int
    truncated: bool
    seconds: float


def _dataset_options(job: QueryJob) -> dict[str, Any]:
    if job.default_graphs is not None or job.named_graphs is not None:
        # SPARQL 1.1 Protocol §2.1.4: the protocol dataset replaces the query's (and ours).
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graphs or ()],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
        }
    # Otherwise the store's default graph: the merge of all graphs, each triple once (store/oxigraph.py).
    return {}


class _RowCapReached(Exception):
    pass


class _LineCappedBuffer:
    """A binary sink for pyoxigraph that stops the writer once it holds more than ``max_lines`` lines."""

    def __init__(self, max_lines: int) -> None:
        self.max_lines = max_lines
        self.chunks: list[bytes] = []
        self.lines = 0
        self.full = False

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            self.full = True
            raise _RowCapReached
        return len(chunk)

    def flush(self) -> None:
        return None

    def first_lines(self, count: int) -> bytes:
        lines = b"".join(self.chunks).split(b"\n")[:count]
        return b"".join(line + b"\n" for line in lines)


def _write_capped(write: Callable[[_LineCappedBuffer], object], max_lines: int) -> tuple[bytes, int, bool]:
    """Run a line-per-record serialiser into a capped buffer: (first ``max_lines`` lines, count, cut?)."""
    sink = _LineCappedBuffer(max_lines)
    try:
        write(sink)
    except BaseException:  # noqa: BLE001 - pyoxigraph re-raises our stop signal in its own wrapper
        if not sink.full:
            raise
    body = b"".join(sink.chunks)
    if sink.full:
        body = sink.first_lines(max_lines)
    return body, body.count(b"\n"), sink.full


def evaluate(store: ox.Store, job: QueryJob) -> QueryOutcome:
    """Evaluate ``job`` on ``store``, keep at most ``job.max_rows`` rows/triples, serialise.

    Raises ``QueryError`` for a query oxigraph rejects (its message has line:column).
    """
    started = time.perf_counter()
    try:
        result = store.query(job.query, base_iri=job.base_iri, **_dataset_options(job))
        body, rows, truncated = _serialise(result, job)
    except SyntaxError as error:
        raise QueryError(f"malformed query: {error}") from None
    return QueryOutcome(body, job.result_format, rows, truncated, time.perf_counter() - started)


def _serialise(result: object, job: QueryJob) -> tuple[bytes, int, bool]:
    fmt = job.result_format
    if isinstance(result, ox.QueryBoolean):
        _expect(fmt, Kind.RESULTS)
        return _bytes(result.serialize(format=getattr(ox.QueryResultsFormat, str(fmt.oxigraph)))), 1, False
    if isinstance(result, ox.QuerySolutions):
        _expect(fmt, Kind.RESULTS)
        # SPARQL TSV has one line per solution: oxigraph writes it (fast), we stop it after
        # max_rows, then oxigraph turns the kept lines into the asked format.
        tsv, lines, truncated = _write_capped(
            lambda sink: result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.TSV), job.max_rows + 1
        )
        if fmt.oxigraph != "TSV":
            solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
            tsv = _bytes(solutions.serialize(format=getattr(ox.QueryResultsFormat, str(fmt.oxigraph))))
        return tsv, lines - 1, truncated
    if isinstance(result, ox.QueryTriples):
        if fmt.kind not in (Kind.GRAPH, Kind.DATASET):
            raise StoreError(f"{fmt.name} cannot carry triples")
        nt, lines, truncated = _write_capped(
            lambda sink: result.serialize(cast(IO[bytes], sink), format=ox.RdfFormat.N_TRIPLES), job.max_rows
        )
        if fmt.oxigraph != "N_TRIPLES":
            triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
            prefixes = dict(job.prefixes) if fmt.oxigraph in ("TURTLE", "TRIG") else None
            rdf_format = getattr(ox.RdfFormat, str(fmt.oxigraph))
            nt = _bytes(ox.serialize(triples, format=rdf_format, prefixes=prefixes))
        return nt, lines, truncated
    raise StoreError(f"unexpected query result {type(result).__name__}")


def _bytes(written: bytes | None) -> bytes:
    return written or b""  # pyoxigraph returns bytes when given no output file


def _expect(fmt: Format, kind: Kind) -> None:
    if fmt.kind is not kind:
        raise StoreError(f"{fmt.name} cannot carry SELECT/ASK results")


# --------------------------------------------------------------------------- worker side


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL us when the thread that started us ends."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)


def worker_main(argv: list[str]) -> None:
    """Entry of a worker process: ``STORE FD PARENT_PID``. Receives jobs, sends back results."""
    store_path, fd, parent = argv[0], int(argv[1]), int(argv[2])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    _die_with_parent(parent)
    conn = Connection(fd)
    store = ox.Store.read_only(store_path)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = evaluate(store, job)
        except QueryError as error:
            conn.send(("query-error", error.message))
        except BaseException:  # noqa: BLE001 - reported to the parent, which logs it and answers 500
            conn.send(("fault", traceback.format_exc()))
        else:
            conn.send(("ok", outcome))


# --------------------------------------------------------------------------- parent side


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.pid = process.pid

    def stop(self, *, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        try:
            self.process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5.0)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over the on-disk store at ``store_path``."""

    def __init__(self, store_path: Path, size: int) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store_path = str(store_path)
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._spawn_requests: queue.Queue[int | None] = queue.Queue()
        self._supervisor: threading.Thread | None = None
        self._closed = False
        self.spawned_pids: list[int] = []
        """Every worker PID ever started (tests check none survives)."""

    def start(self) -> None:
        """Start the workers in the background; returns at once."""
        with self._lock:
            if self._supervisor is not None or self._closed:
                return
            self._supervisor = threading.Thread(target=self._supervise, name="kfgraph-query-workers", daemon=True)
            self._supervisor.start()
        for _ in range(self.size):
            self._spawn_requests.put(1)

    def _supervise(self) -> None:
        # Workers are started from this one long-lived thread: PR_SET_PDEATHSIG ties them to it.
        while True:
            request = self._spawn_requests.get()
            if request is None:
                break
            with self._lock:
                if self._closed:
                    break
            try:
                worker = self._spawn()
            except OSError:
                log.exception("could not start a query worker")
                time.sleep(0.5)
                self._spawn_requests.put(1)
                continue
            with self._lock:
                if self._closed:
                    worker.stop(kill=True)
                    break
                self._workers.add(worker)
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        # A plain subprocess (not multiprocessing): no re-import of __main__, no resource tracker.
        parent_end, child_end = socket.socketpair()
        code = "import sys; from kfgraph.web.sparql.workers import worker_main; worker_main(sys.argv[1:])"
        child_fd = child_end.fileno()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", code, self.store_path, str(child_fd), str(os.getpid())],
                pass_fds=(child_fd,),
                stdin=subprocess.DEVNULL,
            )
        finally:
            child_end.close()
        self.spawned_pids.append(process.pid)
        return _Worker(process, Connection(parent_end.detach()))

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._workers]

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        worker.stop(kill=kill)
        if not closed:
            self._spawn_requests.put(1)

    def run(self, job: QueryJob, *, timeout: float) -> QueryOutcome:
        """Evaluate ``job`` in a worker; blocks the calling thread (never call it on the event loop)."""
        if self._supervisor is None:
            self.start()
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeoutError(f"all query workers stayed busy for the time limit ({timeout:g} s)") from None
        if self._closed:
            self._retire(worker, kill=True)
            raise StoreError("the query service is shutting down")
        try:
            worker.conn.send(job)
            ready = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            message = worker.conn.recv() if ready else None
        except (EOFError, OSError):
            self._retire(worker, kill=True)
            raise StoreError("a query worker died while evaluating the query") from None
        if message is None:
            self._retire(worker, kill=True)
            raise QueryTimeoutError(f"the query ran longer than the time limit ({timeout:g} s) and was stopped")
        self._idle.put(worker)
        status, payload = message
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "query-error":
            raise QueryError(payload)
        log.error("query worker fault:\n%s", payload)
        raise StoreError("the query failed inside the store")

    def close(self) -> None:
        """Stop every worker (politely, then SIGKILL) and the supervisor; idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        self._spawn_requests.put(None)
        if self._supervisor is not None:
            self._supervisor.join(timeout=5.0)
        for worker in workers:
            try:
                worker.conn.send(None)  # idle workers exit at once; busy ones are killed below
            except OSError:
                pass
        give_up = time.monotonic() + 1.0
        for worker in workers:
            try:
                worker.process.wait(timeout=max(0.0, give_up - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for worker in workers:
            worker.stop(kill=True)


class InlineEvaluator:
    """Evaluate in the calling thread on a pyoxigraph store (tests, embedding)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.spawned_pids: list[int] = []

    def start(self) -> None:
        return None

    def pids(self) -> list[int]:
        return []

    def run(self, job: QueryJob, *, timeout: float) -> QueryOutcome:
        return evaluate(self.store, job)

    def close(self) -> None:
        return None
