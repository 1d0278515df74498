"""Evaluating checked SPARQL queries: the worker-process side, and ``InlineEvaluator``.

``evaluate(store, job)`` runs one checked ``QueryJob`` and serialises its result under
the row cap: oxigraph writes SPARQL TSV (SELECT) or N-Triples (CONSTRUCT / DESCRIBE),
one line per row, into a sink that stops it after ``max_rows`` lines; oxigraph then
turns the kept lines into the asked format.

``worker_main`` is the entry of a query worker process (started by ``pool.WorkerPool``):
it confines itself first (``confinement``: no network unless SERVICE hosts are allowed,
a memory cap), then loads the query checker and opens the store read-only, says it is
ready, and answers one ``QueryRequest`` at a time: acknowledge, check (``jobs.plan_job``:
parsing happens here, under the parent's time limit), evaluate, reply with the bytes and
its own memory use, so the parent can recycle a worker that grew large.

``InlineEvaluator`` does the same in the calling thread on a store object: for tests and
embedding; its time limit only bounds the response.

This module imports nothing of FastAPI: worker processes start fast.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import IO, Any, cast

import pyoxigraph as ox

from kfgraph.errors import KfgraphError, QueryError, StoreError
from kfgraph.sparql_syntax import explain_syntax_error
from kfgraph.formats import Format, Kind
from kfgraph.web.confinement import confine, private_memory
from kfgraph.web.sparql.jobs import QueryJob, QueryOutcome, QueryRequest, plan_job

RECURSION_LIMIT = 6000
"""Enough for rdflib's grammar to read a query nested as deep as ``max_query_depth`` allows."""


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
        # explained in the client's own text; the engine's line:column points into the canonical one
        explanation = (explain_syntax_error(job.query, str(error)) if job.written is None
                       else explain_syntax_error(job.written))
        raise QueryError(f"malformed query: {explanation}") from None
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
    """Entry of a worker process: ``STORE FD PARENT_PID CLOSE_NETWORK MEMORY_LIMIT``."""
    store_path, fd, parent = argv[0], int(argv[1]), int(argv[2])
    close_network, memory_limit = argv[3] == "1", int(argv[4]) or None
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    _die_with_parent(parent)
    confinement = confine(close_network=close_network, memory_limit=memory_limit)  # still single-threaded
    sys.setrecursionlimit(RECURSION_LIMIT)
    conn = Connection(fd)
    from kfgraph.web.sparql.safety import analyse

    analyse("ASK {}")  # build rdflib's grammar now, not during the first client's query
    store = ox.Store.read_only(store_path)
    conn.send(("ready", confinement))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        conn.send(("started",))
        request: QueryRequest = message
        try:
            job = plan_job(request, lambda iri: _has_graph(store, iri))
            outcome = evaluate(store, job)
        except KfgraphError as error:
            conn.send(("refused", error, private_memory()))
        except MemoryError:
            conn.send(("memory", "", 0))
            os._exit(1)  # a heap that ran out is not worth keeping
        except BaseException:  # noqa: BLE001 - reported to the parent, which logs it and answers 500
            conn.send(("fault", traceback.format_exc(), private_memory()))
        else:
            conn.send(("ok", outcome, private_memory()))


def _has_graph(store: ox.Store, iri: str) -> bool:
    try:
        return bool(store.contains_named_graph(ox.NamedNode(iri)))
    except ValueError:
        return False


class InlineEvaluator:
    """Check and evaluate in the calling thread on a pyoxigraph store (tests, embedding)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.spawned_pids: list[int] = []

    def start(self) -> None:
        return None

    def pids(self) -> list[int]:
        return []

    def run(self, request: QueryRequest, *, timeout: float, client: str = "") -> QueryOutcome:
        return evaluate(self.store, plan_job(request, lambda iri: _has_graph(self.store, iri)))

    def close(self) -> None:
        return None
