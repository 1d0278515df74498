"""``/sparql``: the SPARQL 1.1 Protocol, read-only, safe by default.

Requests
    GET ``?query=``; POST ``application/x-www-form-urlencoded`` (``query=``);
    POST ``application/sparql-query`` (the body is the query). Repeatable
    ``default-graph-uri`` / ``named-graph-uri`` (URL, or form body) set the dataset.
    A GET with no query answers the Service Description.

Dataset
    By default the default graph is the **union (RDF merge) of all named graphs** (one per
    release) and every named graph is available to ``GRAPH``. ``FROM`` /
    ``FROM NAMED`` in the query select graphs of the store (never fetched; an
    unknown graph is a 400). ``default-graph-uri`` / ``named-graph-uri``
    replace both, as the protocol says (only ``named-graph-uri`` given → empty
    default graph); they too may only name graphs of the store: an unknown one
    gets the same 400 as an unknown ``FROM`` (never a silently empty answer).
    Relative IRIs in a query without ``BASE`` resolve against the endpoint's
    URL (``http://host/sparql``), as ``oxigraph serve`` and the W3C protocol tests do.

Responses
    SELECT/ASK: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE: Turtle,
    N-Triples, JSON-LD, RDF/XML, N-Quads, TriG; chosen from ``Accept``, or
    ``format=`` (short name or media type). ``Server-Timing: query;dur=<ms>``.
    More than ``max_result_rows`` rows/triples are cut: the response then has
    ``X-Kfgraph-Truncated: true``, ``X-Kfgraph-Max-Rows`` and a ``Warning``.

Refusals
    400 malformed / missing / duplicated query, wrong Content-Type, GET with a
    body, SERVICE to a host not allow-listed, FROM of a graph we do not hold;
    403 any update (``update=``, ``application/sparql-update``, update text);
    406 nothing acceptable; 413 body or query too large (``max_query_bytes``);
    429 too many queries waiting from one client; 503 time limit, memory limit,
    or no place for another long-running query. The query is checked, parsed and
    evaluated in a query worker process under these limits (``pool``), and the
    engine executes the canonical text the check read (``canonical``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kfgraph import formats
from kfgraph.errors import (
    NotAcceptableError,
    QueryError,
    RequestTooLargeError,
    UpdateRefusedError,
)
from kfgraph.formats import Format
from kfgraph.settings import Settings
from kfgraph.web import jsonld
from kfgraph.web.sparql import service_description
from kfgraph.web.access import StoreAccess
from kfgraph.web.negotiation import negotiate

PATH = "/sparql"
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_DATASET_KEYS = ("default-graph-uri", "named-graph-uri")


@dataclass(frozen=True)
class ProtocolRequest:
    """A SPARQL protocol request, read from any of the three forms."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


def router(settings: Settings, access: StoreAccess) -> APIRouter:
    """The ``/sparql`` routes for one app."""
    routes = APIRouter()

    async def answer(request: Request, protocol: ProtocolRequest) -> Response:
        started = time.perf_counter()
        if protocol.query is None:
            return await _describe(request, settings, protocol)
        if len(protocol.query.encode("utf-8")) > settings.max_query_bytes:
            raise RequestTooLargeError(f"the query is over the limit of {settings.max_query_bytes} bytes (max_query_bytes)")
        endpoint = str(request.url.replace(query="", fragment=""))
        dataset = _has_dataset(protocol)
        checked = access.request(  # checked where it is evaluated: in a query worker, under the limits
            protocol.query,
            solutions_format=_choice(request, protocol, formats.RESULTS_FORMATS),
            graph_format=_choice(request, protocol, formats.GRAPH_FORMATS),
            default_graphs=protocol.default_graphs if dataset else None,
            named_graphs=protocol.named_graphs if dataset else None,
            base_iri=endpoint,
        )
        outcome = await access.evaluate(checked, client=request.client.host if request.client else "")
        fmt = outcome.result_format
        headers = {
            "Vary": "Accept",
            "Server-Timing": f"query;dur={outcome.seconds * 1000:.1f}, "
            f"total;dur={(time.perf_counter() - started) * 1000:.1f}",
            "X-Kfgraph-Rows": str(outcome.rows),
        }
        if outcome.truncated:
            limit = settings.max_result_rows
            headers["X-Kfgraph-Truncated"] = "true"
            headers["X-Kfgraph-Max-Rows"] = str(limit)
            headers["Warning"] = f'199 kfgraph "result cut at {limit} rows (max_result_rows); add LIMIT/OFFSET"'
        body = outcome.body
        if fmt == formats.JSON_LD:  # (==: a copy came back from the worker) name the one context
            body = jsonld.with_context(body, jsonld.context_url(settings.base_iri))
        return Response(body, media_type=fmt.content_type, headers=headers)

    @routes.get(PATH, summary="SPARQL query (GET) or the Service Description")
    async def sparql_get(request: Request) -> Response:
        if request.headers.get("transfer-encoding") or request.headers.get("content-length", "0") != "0":
            raise QueryError("a GET request must not have a body: send the query in ?query= or use POST")
        params = request.query_params.multi_items()
        return await answer(request, _protocol(params, query_required=False))

    @routes.post(PATH, summary="SPARQL query (POST form or application/sparql-query)")
    async def sparql_post(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        url_params = request.query_params.multi_items()
        if content_type == SPARQL_UPDATE:
            raise UpdateRefusedError("this endpoint is read-only: SPARQL Update is refused")
        body = await _read_body(request, settings.max_request_bytes)
        text = _decode(body)
        if content_type == FORM:
            params = url_params + parse_qsl(text, keep_blank_values=True)
            return await answer(request, _protocol(params, query_required=True))
        if content_type == SPARQL_QUERY:
            if any(key == "query" for key, _ in url_params):
                raise QueryError("two queries: one in the URL (?query=) and one in the body")
            if not text.strip():
                raise QueryError("missing query: the request body is empty")
            return await answer(request, _protocol([*url_params, ("query", text)], query_required=True))
        shown = content_type or "none"
        raise QueryError(
            f"unsupported Content-Type {shown!r}: POST {FORM} (query=...) or {SPARQL_QUERY} (the query as the body)"
        )

    return routes


def _has_dataset(protocol: ProtocolRequest) -> bool:
    return bool(protocol.default_graphs or protocol.named_graphs)


def _protocol(params: list[tuple[str, str]], *, query_required: bool) -> ProtocolRequest:
    keys = [key for key, _ in params]
    if "update" in keys:
        raise UpdateRefusedError("this endpoint is read-only: SPARQL Update (update=) is refused")
    queries = [value for key, value in params if key == "query"]
    if len(queries) > 1:
        raise QueryError(f"two queries: the request has {len(queries)} 'query' parameters; send exactly one")
    graphs = {key: tuple(value for k, value in params if k == key) for key in _DATASET_KEYS}
    for iri in (*graphs["default-graph-uri"], *graphs["named-graph-uri"]):
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise QueryError(f"default-graph-uri / named-graph-uri must be absolute IRIs: {iri!r}") from None
    formats_asked = [value for key, value in params if key == "format"]
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise QueryError("missing query: the 'query' parameter is empty")
    if query is None and (query_required or any(graphs.values())):
        raise QueryError("missing query: give the query in the 'query' parameter")
    return ProtocolRequest(
        query, graphs["default-graph-uri"], graphs["named-graph-uri"], formats_asked[-1] if formats_asked else None
    )


def _choice(request: Request, protocol: ProtocolRequest, offered: tuple[Format, ...]) -> Format | str:
    """The format to answer in if the query's results are of the ``offered`` kind, else why none fits."""
    try:
        return _choose(request, protocol, offered)
    except NotAcceptableError as error:
        return error.message


def _choose(request: Request, protocol: ProtocolRequest, offered: tuple[Format, ...]) -> Format:
    if protocol.format:
        fmt = formats.by_name(protocol.format, among=offered)
        if fmt is None:
            names = ", ".join(fmt.short_names[0] for fmt in offered)
            raise NotAcceptableError(f"format={protocol.format!r} is not available for this query; use one of {names}")
        return fmt
    return negotiate(request.headers.get("accept"), offered)


async def _describe(request: Request, settings: Settings, protocol: ProtocolRequest) -> Response:
    offered = service_description.OFFERED
    fmt = formats.by_name(protocol.format, among=offered) if protocol.format else None
    if fmt is None:
        fmt = negotiate(request.headers.get("accept"), offered)
    endpoint = str(request.url.replace(query=""))
    body = await run_in_threadpool(service_description.render, endpoint, settings, fmt)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(f"request body of {declared} bytes is over the limit of {limit} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(f"the request body is not UTF-8: {error}") from None
