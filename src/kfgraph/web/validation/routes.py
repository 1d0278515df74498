"""``/validate``: SHACL validation of uploaded RDF or release text, safe with untrusted input.

Requests (``POST /validate``)
    * a body in an RDF format named by ``Content-Type`` (Turtle, N-Triples,
      N-Quads, TriG, JSON-LD, RDF/XML);
    * ``multipart/form-data`` with a ``file`` part (format from the part's
      ``Content-Type``, else its file extension) or a ``data`` text field, and
      an optional ``format`` field (an ``--input-format`` name, ``text`` for a
      release text, or ``auto``) — what the HTML form at ``GET /validate`` sends;
    * ``text/plain``: a release text, run through the pipeline
      (``release_from_text`` → ``ReleaseProcessor.graph_for``) and its graph validated.

Responses, by ``Accept``
    ``application/json`` (default): ``ValidationReport.to_json()``;
    ``text/turtle`` / ``application/ld+json``: the SHACL report graph;
    ``text/html``: a readable report under the form. Non-conformance is a 200.

Limits
    413 over ``max_upload_bytes`` (by ``Content-Length`` before reading, and
    while streaming); 415 unknown format; 400 parse errors with line and
    column, and RDF/XML that declares entities (never expanded or fetched);
    503 past ``validation_timeout``. Parsing and validation run in worker
    processes (``ValidationWorkers``), never in the event loop; a worker past
    the time limit is killed and replaced, so a runaway validation cannot hold the server.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kfgraph import formats
from kfgraph.errors import KfgraphError, RequestTooLargeError
from kfgraph.formats import Format, Kind
from kfgraph.rdf_input import INPUT_FORMAT_NAMES, INPUT_FORMATS, UnsupportedRdfFormatError, input_format
from kfgraph.settings import Settings
from kfgraph.validate import ValidationReport
from kfgraph.web import jsonld

log = logging.getLogger("kfgraph.web.validation.routes")

PATH = "/validate"
WORKERS = 2
"""Validation worker processes per app: one runaway validation leaves the other free."""

JSON_SUMMARY = Format("JSON validation summary", "application/json", "json", Kind.RESULTS, ("json",))
RESPONSE_FORMATS: tuple[Format, ...] = (JSON_SUMMARY, formats.TURTLE, formats.JSON_LD, formats.HTML)
"""What ``POST /validate`` answers, default first."""
TEXT_FORMAT = "text"
"""The ``format`` form value (and ``text/plain`` body) for a release text."""


class ValidationTimeoutError(KfgraphError):
    http_status = 503
    code = "validation-timeout"


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
    """Load the shapes and the shared graphs once, then validate jobs one at a time until the pipe closes."""
    from kfgraph.pipeline import validator_from_settings

    validator = validator_from_settings(settings)
    processor: Any = None
    conn.send("ready")
    while True:
        try:
            job: ValidationJob = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job.input_format is None:
                if processor is None:  # the pipeline (gazetteer, extractor) loads on the first release text
                    from kfgraph.pipeline import ReleaseProcessor

                    processor = ReleaseProcessor.from_settings(settings)
                outcome = _validate_text(job, processor, validator)
            else:
                outcome = _validate_rdf(job, validator)
            conn.send(("ok", outcome))
        except KfgraphError as error:
            conn.send(("refused", error.message, error.http_status, error.code))
        except Exception:  # a bug in the worker: the parent logs it and answers 500
            conn.send(("bug", traceback.format_exc()))


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
        self._context = multiprocessing.get_context("spawn")

    def start(self) -> None:
        """Spawn the workers, once; ``run`` calls it, so apps that never validate start no process."""
        with self._lock:
            if self._started or self._closed:
                return
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
                ready = parent.poll(120) and parent.recv() == "ready"
            except (EOFError, OSError):
                ready = False
            if ready and not self._closed:
                self._idle.put(worker)
            else:
                log.error("validation worker %s did not start", process.pid)
                self._discard(worker)

        threading.Thread(target=wait_ready, name="kfgraph-validate-start", daemon=True).start()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def run(self, job: ValidationJob, timeout: float) -> ValidationOutcome:
        """Run ``job`` in a worker; blocks (call it from a thread). Past ``timeout`` the worker is killed: 503."""
        self.start()
        try:
            worker = self._idle.get(timeout=max(timeout, 30.0))
        except queue.Empty:
            raise ValidationTimeoutError("every validation worker is busy; try again later") from None
        try:
            worker.conn.send(job)
            finished = worker.conn.poll(timeout)
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError):
            finished, reply = False, None
        if reply is None:
            self._discard(worker)
            if not self._closed:
                self._spawn()
            if finished:
                raise KfgraphError("the validation worker died")
            raise ValidationTimeoutError(f"validation took longer than {timeout:g} s and was stopped")
        self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]  # type: ignore[no-any-return]
        if reply[0] == "refused":
            raise WorkerError(reply[1], http_status=reply[2], code=reply[3])
        log.error("validation worker failed:\n%s", reply[1])
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


# --------------------------------------------------------------------------- HTTP


async def read_capped_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(f"the body ({declared} bytes) is over the {limit}-byte limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(f"the body is over the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def job_from_request(request: Request, limit: int, *, want_jsonld: bool) -> ValidationJob:
    """What to validate: an RDF body, a release text, or the ``file`` / ``data`` part of a form."""
    body = await read_capped_body(request, limit)
    content_type = request.headers.get("content-type", "")
    bare = content_type.split(";", 1)[0].strip().lower()
    if bare == "multipart/form-data" or bare == "application/x-www-form-urlencoded":
        request._body = body  # form() re-reads the body we have already capped
        form = await request.form(max_files=1, max_fields=8, max_part_size=limit)
        chosen = str(form.get("format") or "auto").strip().lower()
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            payload = await upload.read()
            return _job(payload, chosen, upload.filename, upload.content_type, want_jsonld)
        data = form.get("data")
        if isinstance(data, str) and data.strip():
            return _job(data.encode("utf-8"), chosen, "data", None, want_jsonld)
        raise WorkerError("the form has neither a file nor data", http_status=400, code="bad-request")
    if bare == "text/plain":
        return ValidationJob(body, None, "upload", want_jsonld)
    if not bare:
        raise UnsupportedRdfFormatError("give a Content-Type: an RDF media type, text/plain or multipart/form-data")
    return ValidationJob(body, input_format(media_type=bare).name, "request body", want_jsonld)


def _job(payload: bytes, chosen: str, filename: str, media_type: str | None, want_jsonld: bool) -> ValidationJob:
    if chosen == TEXT_FORMAT or (chosen == "auto" and filename.lower().endswith(".txt")):
        return ValidationJob(payload, None, filename, want_jsonld)
    if chosen != "auto":
        return ValidationJob(payload, input_format(name=chosen).name, filename, want_jsonld)
    if filename == "data":  # pasted into the form's text area with "by file type": Turtle is the common case
        return ValidationJob(payload, formats.TURTLE.name, filename, want_jsonld)
    try:
        fmt = input_format(media_type=media_type) if media_type else None
    except UnsupportedRdfFormatError:
        fmt = None
    if fmt is None:  # browsers send application/octet-stream for .ttl and friends
        fmt = input_format(filename=filename)
    return ValidationJob(payload, fmt.name, filename, want_jsonld)


def router(settings: Settings, access: object = None) -> APIRouter:
    """``GET /validate`` (the form) and ``POST /validate``; validation workers start on the first POST, stop with the app."""
    from kfgraph.web.negotiation import negotiate
    from kfgraph.web.templating import page_templates

    workers = ValidationWorkers(settings)
    templates = page_templates()
    choices = [("auto", "by file type"), *((name, fmt.name) for name, fmt in INPUT_FORMAT_NAMES.items()),
               (TEXT_FORMAT, "release text (run through the pipeline)")]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(workers.close)

    api = APIRouter(lifespan=lifespan)

    def page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        base = {"active": PATH, "choices": choices, "report": None, "error": None, "data": "", "chosen": "auto",
                "limit": settings.max_upload_bytes}
        return templates.TemplateResponse(request, "validate.html", {**base, **context}, status_code=status)

    @api.get(PATH, response_class=HTMLResponse, include_in_schema=False)
    def form_page(request: Request) -> HTMLResponse:
        return page(request)

    @api.post(PATH)
    async def validate(request: Request) -> Response:
        """Validate RDF (by Content-Type), a release text (text/plain) or a form upload against the shapes."""
        wanted = negotiate(request.headers.get("accept"), RESPONSE_FORMATS)
        try:
            job = await job_from_request(request, settings.max_upload_bytes, want_jsonld=wanted is formats.JSON_LD)
            outcome = await run_in_threadpool(workers.run, job, settings.validation_timeout)
        except KfgraphError as error:
            if wanted is not formats.HTML:
                raise
            return page(request, error.http_status, error=error.message)
        report = outcome.report
        headers = {"Vary": "Accept", "X-Kfgraph-Conforms": str(report.conforms).lower()}
        if wanted is formats.TURTLE:
            return Response(report.report_turtle, media_type=formats.TURTLE.content_type, headers=headers)
        if wanted is formats.JSON_LD:
            body = jsonld.with_context((outcome.jsonld or "[]").encode("utf-8"), jsonld.context_url(settings.base_iri))
            return Response(body, media_type=formats.JSON_LD.media_type, headers=headers)
        if wanted is formats.HTML:
            echo = job.payload.decode("utf-8", "replace") if job.source == "data" else ""
            return page(request, report=report, source=job.source, data=echo)
        return JSONResponse(report.to_json(), headers=headers)

    api.workers = workers  # type: ignore[attr-defined]  # for tests: the worker pids
    return api


__all__ = [
    "JSON_SUMMARY",
    "RESPONSE_FORMATS",
    "ValidationJob",
    "ValidationOutcome",
    "ValidationTimeoutError",
    "ValidationWorkers",
    "job_from_request",
    "read_capped_body",
    "router",
]
