"""What travels from ``/sparql`` to an evaluator, and the check that turns a request into a job.

``QueryRequest``  the query as the client sent it, the formats negotiated for each kind of
                  result, the protocol dataset and the server's limits; picklable, so it goes
                  to a worker process as it is.
``plan_job``      checks the request (``safety.analyse``: canonical text, nesting, syntax,
                  update refusal; SERVICE hosts; FROM only of graphs the store holds) and
                  returns the ``QueryJob`` to evaluate: its ``query`` is the canonical text
                  the check read, never the client's text.
``QueryJob``      one checked query to evaluate and serialise.

The query worker processes run ``plan_job`` themselves, so parsing happens under the time
limit and the memory cap, one query per process; in-process evaluators run it in a thread
(rdflib's grammar is then guarded by a lock).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import pyoxigraph as ox

from kfgraph.errors import ForbiddenQueryError, NotAcceptableError, QueryError
from kfgraph.formats import Format
from kfgraph.web.sparql.safety import QueryPlan, analyse, check_services


@dataclass(frozen=True)
class QueryRequest:
    """A query to check and evaluate, with everything the check needs."""

    query: str
    solutions_format: Format | str
    """Format for SELECT / ASK results, or why none is acceptable (the 406 message)."""
    graph_format: Format | str
    """Format for CONSTRUCT / DESCRIBE results, or why none is acceptable."""
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    """From ``default-graph-uri``; None = not given."""
    named_graphs: tuple[str, ...] | None = None
    """From ``named-graph-uri``; None = not given."""
    allowed_service_hosts: tuple[str, ...] = ()
    max_depth: int = 32
    base_iri: str | None = None
    """Base of relative IRIs in a query without ``BASE`` (the endpoint's URL, as the protocol's tests expect)."""


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
    """Base IRI of relative IRIs in a query without ``BASE``."""
    written: str | None = None
    """The query as the client wrote it, when ``query`` (the canonical text) differs: error messages point into it."""


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    result_format: Format
    rows: int
    truncated: bool
    seconds: float


@functools.lru_cache(maxsize=512)
def _analysed(query: str, max_depth: int) -> QueryPlan:
    return analyse(query, max_depth=max_depth)


_LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"


def plan_job(request: QueryRequest, has_graph: Callable[[str], bool]) -> QueryJob:
    """Check ``request`` and return the job to run; raises ``QueryError`` / ``NotAcceptableError``.

    Every graph the request names, by ``FROM`` / ``FROM NAMED`` or by ``default-graph-uri`` /
    ``named-graph-uri``, must be a graph of the store: an unknown one is refused alike (400).
    """
    base = request.base_iri
    if base is not None:
        try:
            ox.NamedNode(base)
        except ValueError:
            raise QueryError(f"the request's URL is not a valid base IRI: {base!r}") from None
    plan = _analysed(request.query, request.max_depth)
    check_services(plan, request.allowed_service_hosts)
    has_dataset = request.default_graphs is not None or request.named_graphs is not None
    if has_dataset:
        named = [("default-graph-uri", iri) for iri in request.default_graphs or ()]
        named += [("named-graph-uri", iri) for iri in request.named_graphs or ()]
    else:
        named = [("FROM", urljoin(base, iri) if base else iri) for iri in plan.from_graphs]
        named += [("FROM NAMED", urljoin(base, iri) if base else iri) for iri in plan.from_named_graphs]
    for how, iri in named:
        if not has_graph(iri):
            raise ForbiddenQueryError(
                f"{how} <{iri}> is refused: FROM / FROM NAMED / default-graph-uri / named-graph-uri may only "
                f"name graphs of this store (the endpoint never fetches a graph from the web; list them with "
                f"{_LIST_GRAPHS})"
            )
    chosen = request.solutions_format if plan.returns_solutions else request.graph_format
    if isinstance(chosen, str):
        raise NotAcceptableError(chosen)
    written = request.query if request.query != plan.text else None
    if has_dataset:
        return QueryJob(plan.text, chosen, request.max_rows, request.default_graphs, request.named_graphs,
                        prefixes=plan.prefixes, base_iri=base, written=written)
    union = not (plan.from_graphs or plan.from_named_graphs)
    return QueryJob(plan.text, chosen, request.max_rows, union_default=union, prefixes=plan.prefixes, base_iri=base,
                    written=written)
