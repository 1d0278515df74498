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
    503 past ``validation_timeout`` or ``worker_memory_limit``. Parsing and
    validation run in confined worker processes (``workers.ValidationWorkers``:
    no network, capped memory), never in the event loop; a worker past a limit is
    killed and replaced, so a runaway validation cannot hold the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kfgraph import formats
from kfgraph.errors import KfgraphError, RequestTooLargeError
from kfgraph.formats import Format, Kind
from kfgraph.rdf_input import INPUT_FORMAT_NAMES, UnsupportedRdfFormatError, input_format
from kfgraph.settings import Settings
from kfgraph.web.validation.workers import (
    ValidationJob,
    ValidationMemoryError,
    ValidationOutcome,
    ValidationTimeoutError,
    ValidationWorkers,
    WorkerError,
)
from kfgraph.web import jsonld
from kfgraph.web.validation.sniffing import sniff

PATH = "/validate"

JSON_SUMMARY = Format("JSON validation summary", "application/json", "json", Kind.RESULTS, ("json",))
RESPONSE_FORMATS: tuple[Format, ...] = (JSON_SUMMARY, formats.TURTLE, formats.JSON_LD, formats.HTML)
"""What ``POST /validate`` answers, default first."""
TEXT_FORMAT = "text"
"""The ``format`` form value (and ``text/plain`` body) for a release text."""


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
    if filename == "data":  # pasted into the form's text area: RDF or a release, told apart by content
        sniffed = sniff(payload.decode("utf-8", "replace"))
        return ValidationJob(payload, sniffed.name if sniffed else None, filename, want_jsonld)
    try:
        fmt = input_format(media_type=media_type) if media_type else None
    except UnsupportedRdfFormatError:
        fmt = None
    if fmt is None:  # browsers send application/octet-stream for .ttl and friends
        fmt = input_format(filename=filename)
    return ValidationJob(payload, fmt.name, filename, want_jsonld)


async def _echo(request: Request, job: ValidationJob | None) -> dict[str, str]:
    """What the form shows again after a POST: the pasted text, the chosen format, how the input was read."""
    if job is None:  # refused before the form was read (too large, no form): nothing to give back
        return {}
    form = await request.form()  # already read and cached by job_from_request
    chosen = str(form.get("format") or "auto")
    data = job.payload.decode("utf-8", "replace") if job.source == "data" else ""
    read_as = job.input_format or "a release text"
    return {"data": data, "chosen": chosen, "read_as": read_as}


def router(settings: Settings, access: object = None) -> APIRouter:
    """``GET /validate`` (the form) and ``POST /validate``; validation workers start on the first POST, stop with the app."""
    from kfgraph.web.negotiation import negotiate
    from kfgraph.web.templating import page_templates

    workers = ValidationWorkers(settings)
    templates = page_templates()
    choices = [("auto", "by content (pasted) or file type (uploaded)"), *((name, fmt.name) for name, fmt in INPUT_FORMAT_NAMES.items()),
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
                "read_as": "",
                "limit": settings.max_upload_bytes}
        return templates.TemplateResponse(request, "validate.html", {**base, **context}, status_code=status)

    @api.get(PATH, response_class=HTMLResponse, include_in_schema=False)
    def form_page(request: Request) -> HTMLResponse:
        return page(request)

    @api.post(PATH)
    async def validate(request: Request) -> Response:
        """Validate RDF (by Content-Type), a release text (text/plain) or a form upload against the shapes."""
        wanted = negotiate(request.headers.get("accept"), RESPONSE_FORMATS)
        job: ValidationJob | None = None
        try:
            job = await job_from_request(request, settings.max_upload_bytes, want_jsonld=wanted is formats.JSON_LD)
            outcome = await run_in_threadpool(workers.run, job, settings.validation_timeout)
        except KfgraphError as error:
            if wanted is not formats.HTML:
                raise
            return page(request, error.http_status, error=error.message, **await _echo(request, job))
        report = outcome.report
        headers = {"Vary": "Accept", "X-Kfgraph-Conforms": str(report.conforms).lower()}
        if wanted is formats.TURTLE:
            return Response(report.report_turtle, media_type=formats.TURTLE.content_type, headers=headers)
        if wanted is formats.JSON_LD:
            body = jsonld.with_context((outcome.jsonld or "[]").encode("utf-8"), jsonld.context_url(settings.base_iri))
            return Response(body, media_type=formats.JSON_LD.media_type, headers=headers)
        if wanted is formats.HTML:
            return page(request, 200, report=report, source=job.source, **await _echo(request, job))
        return JSONResponse(report.to_json(), headers=headers)

    api.workers = workers  # type: ignore[attr-defined]  # for tests: the worker pids
    return api


__all__ = [
    "JSON_SUMMARY",
    "RESPONSE_FORMATS",
    "ValidationJob",
    "ValidationMemoryError",
    "ValidationOutcome",
    "ValidationTimeoutError",
    "ValidationWorkers",
    "job_from_request",
    "read_capped_body",
    "router",
]
