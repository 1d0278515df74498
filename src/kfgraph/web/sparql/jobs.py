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

from kfgraph.errors import ForbiddenQueryError, NotAcceptableError
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


def plan_job(request: QueryRequest, has_graph: Callable[[str], bool]) -> QueryJob:
    """Check ``request`` and return the job to run; raises ``QueryError`` / ``NotAcceptableError``."""
    plan = _analysed(request.query, request.max_depth)
    check_services(plan, request.allowed_service_hosts)
    has_dataset = request.default_graphs is not None or request.named_graphs is not None
    if not has_dataset:
        for iri in (*plan.from_graphs, *plan.from_named_graphs):
            if not has_graph(iri):
                raise ForbiddenQueryError(
                    f"FROM <{iri}> is refused: FROM / FROM NAMED may only name graphs of this store "
                    "(the endpoint never fetches a graph from the web)"
                )
    chosen = request.solutions_format if plan.returns_solutions else request.graph_format
    if isinstance(chosen, str):
        raise NotAcceptableError(chosen)
    if has_dataset:
        return QueryJob(plan.text, chosen, request.max_rows, request.default_graphs, request.named_graphs,
                        prefixes=plan.prefixes)
    union = not (plan.from_graphs or plan.from_named_graphs)
    return QueryJob(plan.text, chosen, request.max_rows, union_default=union, prefixes=plan.prefixes)
