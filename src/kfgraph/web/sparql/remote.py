"""``RemoteEvaluator``: ``/sparql`` queries forwarded to a remote SPARQL store, after kfgraph has vetted them.

``run`` first checks the request as the embedded store's workers do
(``jobs.plan_job``: canonical text, no SERVICE, no update, FROM only of our
graphs; here in the calling thread, rdflib's grammar under its lock) and sends
the engine the canonical text the check read, never the client's text. The
query is sent to the engine with httpx and the
answer parsed *as it arrives* (SPARQL JSON results or N-Triples) and cut at
the row cap: once ``max_rows`` rows are read the connection is closed, so
however large the engine's answer, kfgraph holds at most the capped result.
The answer is then written in the format the client negotiated.

The time limit is kfgraph's: the HTTP call gets the remaining time as its
read timeout and the stream is abandoned at the deadline
(``QueryTimeoutError``, 503). Closing the connection is all a SPARQL client
can do: whether the engine stops the work then is the engine's business
(Virtuoso: ``MaxQueryExecutionTime`` in its ini is the server-side guard).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pyoxigraph as ox

from kfgraph.errors import QueryError, QueryTimeoutError, StoreError
from kfgraph.formats import Kind
from kfgraph.store.remote import N_TRIPLES, RESULTS_JSON, RemoteStore, fix_ask, query_form
from kfgraph.web.sparql.jobs import QueryJob, QueryOutcome, QueryRequest, plan_job
from kfgraph.web.sparql.workers import _serialise


class _Deadline(Exception):
    pass


class _DeadlineReader(io.RawIOBase):
    """The engine's streamed answer as a binary file that stops at the deadline."""

    def __init__(self, chunks: Iterator[bytes], deadline: float) -> None:
        self.chunks = chunks
        self.pending = b""
        self.deadline = deadline
        self.expired = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            if time.monotonic() > self.deadline:
                self.expired = True
                raise _Deadline
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


class RemoteEvaluator:
    """Check ``QueryRequest``s and evaluate them on a ``RemoteStore``; same contract as ``WorkerPool.run``."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.spawned_pids: list[int] = []

    def start(self) -> None:
        return None

    def pids(self) -> list[int]:
        return []

    def close(self) -> None:
        return None  # the store belongs to StoreAccess (or to whoever handed it to create_app)

    def run(self, request: QueryRequest, *, timeout: float, client: str = "") -> QueryOutcome:
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        job = plan_job(request, self.store.has_graph)
        graph_result = job.result_format.kind is not Kind.RESULTS
        dataset: dict[str, Any]
        if job.default_graphs is not None or job.named_graphs is not None:
            dataset = {"default_graph": job.default_graphs or (), "named_graphs": job.named_graphs or ()}
        else:
            dataset = {"union_default": job.union_default}
        http_timeout = httpx.Timeout(timeout, connect=min(10.0, timeout))
        reader: _DeadlineReader | None = None
        try:
            accept = N_TRIPLES if graph_result else RESULTS_JSON
            # A leading BASE is what the engine needs to resolve relative IRIs; a BASE of the query's own
            # comes later in the prologue and is resolved against it, as SPARQL says.
            query = f"BASE <{job.base_iri}>\n{job.query}" if job.base_iri else job.query
            with self.store.open_query(query, accept=accept, timeout=http_timeout, **dataset) as response:
                reader = _DeadlineReader(self.store.answer_chunks(response), deadline)
                if graph_result:
                    body, rows, truncated = self._triples(reader, job)
                else:
                    result = ox.parse_query_results(cast(Any, reader), format=ox.QueryResultsFormat.JSON)
                    result = fix_ask(result, query_form(job.query))
                    body, rows, truncated = _serialise(result, job)
        except (QueryError, StoreError) as error:
            if time.monotonic() >= deadline or (reader is not None and reader.expired):
                raise self._timeout(timeout) from None
            if isinstance(error, QueryError):
                raise
            raise StoreError(error.message) from None
        except Exception:
            if reader is not None and reader.expired:
                raise self._timeout(timeout) from None
            raise
        return QueryOutcome(body, job.result_format, rows, truncated, time.perf_counter() - started)

    @staticmethod
    def _timeout(timeout: float) -> QueryTimeoutError:
        return QueryTimeoutError(f"the query ran longer than the time limit ({timeout:g} s) and was stopped")

    @staticmethod
    def _triples(reader: _DeadlineReader, job: QueryJob) -> tuple[bytes, int, bool]:
        kept: list[ox.Triple] = []
        truncated = False
        for quad in ox.parse(cast(Any, reader), format=ox.RdfFormat.N_TRIPLES):
            if len(kept) == job.max_rows:
                truncated = True
                break
            kept.append(quad.triple)
        fmt = job.result_format
        rdf_format = getattr(ox.RdfFormat, str(fmt.oxigraph))
        prefixes = dict(job.prefixes) if fmt.oxigraph in ("TURTLE", "TRIG") else None
        body = ox.serialize(kept, format=rdf_format, prefixes=prefixes) or b""
        return body, len(kept), truncated
