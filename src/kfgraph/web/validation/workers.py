"""Validation worker processes: parse and validate uploads under a time limit, a memory cap, with no network.

``/validate`` hands each ``ValidationJob`` to ``ValidationWorkers``: spawned processes that
first confine themselves (``web.confinement``: no network, so an upload's JSON-LD context
or external entity can fetch nothing; ``worker_memory_limit`` on their private memory),
then load the shapes once and validate one job at a time. A job past
``validation_timeout`` is killed (503) and its worker replaced; so is a job that hits the
memory cap (503); a worker whose resident memory grew past ``worker_recycle_bytes`` is
replaced after its job, so the server's memory comes back after a hostile upload. A worker
found dead when a job is handed to it (no acknowledgement) is replaced and the job goes
to another one.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from kfgraph.errors import KfgraphError
from kfgraph.rdf_input import INPUT_FORMATS
from kfgraph.settings import Settings
from kfgraph.validate import ValidationReport
from kfgraph.web.confinement import Confinement, confine, private_memory

log = logging.getLogger("kfgraph.web.validation.workers")

WORKERS = 2
"""Validation worker processes per app: one runaway validation leaves the other free."""
_HANDOFF_TRIES = 3


class ValidationTimeoutError(KfgraphError):
    http_status = 503
    code = "validation-timeout"


class ValidationMemoryError(KfgraphError):
    http_status = 503
    code = "validation-memory-limit"


class WorkerError(KfgraphError):
    """A refusal raised in a worker process, carried back with its status and code."""

    def __init__(self, message: str, *, http_status: int, code: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code


@dataclass(frozen=True)
class ValidationJob:
    payload: bytes
    input_format: str | None
    """``Format.name`` of an RDF input, or None for a release text."""
    source: str
    want_jsonld: bool = False


@dataclass(frozen=True)
class ValidationOutcome:
    report: ValidationReport
    jsonld: str | None


# --------------------------------------------------------------------------- the worker process


def _worker_main(conn: Connection, settings: Settings) -> None:
    """Confine this process, load the shapes and the shared graphs once, then validate jobs one at a time."""
    confinement = confine(close_network=True, memory_limit=settings.worker_memory_limit or None)
    from kfgraph.shared_graphs import validator_from_settings

    validator = validator_from_settings(settings)
    processor: Any = None
    conn.send(("ready", confinement))
    while True:
        try:
            job: ValidationJob = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(("started",))
        try:
            if job.input_format is None:
                if processor is None:  # the pipeline (gazetteer, extractor) loads on the first release text
                    from kfgraph.pipeline import ReleaseProcessor

                    processor = ReleaseProcessor.from_settings(settings)
                outcome = _validate_text(job, processor, validator)
            else:
                outcome = _validate_rdf(job, validator)
            conn.send(("ok", outcome, private_memory()))
        except KfgraphError as error:
            conn.send(("refused", (error.message, error.http_status, error.code), private_memory()))
        except MemoryError:
            conn.send(("memory", None, 0))
            return  # a heap that ran out is not worth keeping
        except RecursionError:
            conn.send(("refused", ("the upload is nested too deeply to validate", 400, "rdf-syntax-error"),
                       private_memory()))
        except Exception:  # a bug in the worker: the parent logs it and answers 500
            conn.send(("bug", traceback.format_exc(), private_memory()))


def _validate_rdf(job: ValidationJob, validator: Any) -> ValidationOutcome:
    """Graph by graph, with the shared graphs, as ``kfgraph validate`` and a build check them; one report."""
    from kfgraph.rdf_input import parse_rdf_graphs
    from kfgraph.validation_cli import quiet_ill_typed_literals
    from kfgraph.validation_report import merge

    fmt = next(f for f in INPUT_FORMATS if f.name == job.input_format)
    with quiet_ill_typed_literals():
        graphs = parse_rdf_graphs(job.payload, fmt, source=job.source, base_iri="urn:kfgraph:upload:")
        report = merge([report for _, report in validator.validate_dataset(graphs)])
    return _outcome(report, job)


def _validate_text(job: ValidationJob, processor: Any, validator: Any) -> ValidationOutcome:
    from kfgraph.errors import UnreadableSourceError
    from kfgraph.sources import release_from_text

    try:
        text = job.payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableSourceError(job.source, f"not UTF-8 text: {error}") from error
    release = release_from_text(text, identifier="upload", source="upload")
    return _outcome(validator.validate(processor.graph_for(release)), job)


def _outcome(report: ValidationReport, job: ValidationJob) -> ValidationOutcome:
    jsonld = None
    if job.want_jsonld:
        from rdflib import Graph

        jsonld = Graph().parse(data=report.report_turtle, format="turtle").serialize(format="json-ld")
    return ValidationOutcome(report, jsonld)


# --------------------------------------------------------------------------- the pool


class _Worker:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.confinement: Confinement | None = None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ValidationWorkers:
    """``size`` validation processes (spawned, shapes loaded once each); one job per process at a time."""

    def __init__(self, settings: Settings, *, size: int = WORKERS) -> None:
        self.settings = settings
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = False
        self._warned = False
        self._context = multiprocessing.get_context("spawn")

    def start(self) -> None:
        """Spawn the workers, once; ``run`` calls it, so apps that never validate start no process."""
        with self._lock:
            if self._started and not self._closed:
                return
            if self._closed:  # started again after close: an app's lifespan may run more than once
                self._closed, self._idle = False, queue.Queue()
            self._started = True
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        """Start a worker; a thread waits for it to load and then offers it to requests."""
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self.settings), name="kfgraph-validate", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)

        def wait_ready() -> None:
            try:
                message = parent.recv() if parent.poll(120) else None
            except (EOFError, OSError):
                message = None
            if isinstance(message, tuple) and message[0] == "ready" and not self._closed:
                worker.confinement = message[1]
                self._report(message[1])
                self._idle.put(worker)
            else:
                log.error("validation worker %s did not start", process.pid)
                self._discard(worker)

        threading.Thread(target=wait_ready, name="kfgraph-validate-start", daemon=True).start()

    def _report(self, confinement: Confinement) -> None:
        if self._warned or (confinement.network_closed and not confinement.problems):
            return
        self._warned = True
        level = log.warning if confinement.network_closed else log.error
        level("validation worker confinement: network %s, memory limit %s; %s", confinement.network,
              confinement.memory_limit, "; ".join(confinement.problems) or "no problem reported")

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closed:
            self._spawn()

    def run(self, job: ValidationJob, timeout: float) -> ValidationOutcome:
        """Run ``job`` in a worker; blocks (call it from a thread). Past ``timeout`` the worker is killed: 503."""
        self.start()
        for _ in range(_HANDOFF_TRIES):
            try:
                worker = self._idle.get(timeout=max(timeout, 30.0))
            except queue.Empty:
                raise ValidationTimeoutError("every validation worker is busy; try again later") from None
            try:
                worker.conn.send(job)
                acknowledged = worker.conn.poll(30) and worker.conn.recv() == ("started",)
            except (EOFError, OSError):
                acknowledged = False
            if not acknowledged:  # it had died while idle: that costs this job nothing
                log.warning("validation worker %s had died; replacing it", worker.process.pid)
                self._replace(worker)
                continue
            return self._answer(worker, timeout)
        raise KfgraphError("validation workers keep dying before they can take a job; see the server log")

    def _answer(self, worker: _Worker, timeout: float) -> ValidationOutcome:
        try:
            finished = worker.conn.poll(timeout)
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError):
            finished, reply = True, None
        if reply is None or reply[0] == "memory":
            self._replace(worker)
            if reply is not None or (finished and worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL)):
                mib = self.settings.worker_memory_limit // 2**20
                raise ValidationMemoryError(
                    f"validating this upload needed more memory than a validation worker may use ({mib} MiB, "
                    "worker_memory_limit); it was stopped"
                )
            if finished:
                raise KfgraphError("the validation worker died")
            raise ValidationTimeoutError(f"validation took longer than {timeout:g} s and was stopped")
        status, payload, memory = reply
        if memory > self.settings.worker_recycle_bytes:
            self._replace(worker)
        else:
            self._idle.put(worker)
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "refused":
            message, http_status, code = payload
            raise WorkerError(message, http_status=http_status, code=code)
        log.error("validation worker failed:\n%s", payload)
        raise RuntimeError("validation worker failed")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all]
