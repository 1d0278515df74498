"""Look at a SPARQL request before anything evaluates it.

``analyse`` first writes the query in its canonical text (``canonical``: one line,
no comments, escapes only inside strings, nesting measured), which is also the text
the engine will execute, so the check and the engine read the same query. It then
parses that text with rdflib's SPARQL grammar (syntax only: no
algebra, no evaluation, no I/O) and walks the *whole* parse tree, so a
``SERVICE`` inside a sub-select, an ``EXISTS`` filter, a ``UNION`` branch or
behind ``SILENT`` is found, and one written in a comment or a string literal
is not. It returns a ``QueryPlan``: the query form, the ``FROM`` / ``FROM
NAMED`` graphs and the ``SERVICE`` targets with prefixes and ``BASE``
resolved. Text that is not a query but parses as a SPARQL Update is refused
with ``UpdateRefusedError``.

rdflib's grammar is not safe to use from several threads at once (its first use
builds it; a race there broke it for good), so parsing holds ``_GRAMMAR_LOCK``; the
server parses in its single-threaded query workers, where the time limit also applies.

``check_services`` refuses any ``SERVICE`` whose host is not allow-listed (a
``SERVICE ?var`` is always refused: its host is unknown until evaluation).

>>> plan = analyse("PREFIX ex: <http://example.org/> ASK { SERVICE SILENT ex:s { ?a ?b ?c } }")
>>> plan.form, plan.services
('ASK', ('http://example.org/s',))
>>> plan.text
'PREFIX ex: <http://example.org/> ASK { SERVICE SILENT ex:s { ?a ?b ?c } }'
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from kfgraph.errors import ForbiddenQueryError, QueryError, UpdateRefusedError
from kfgraph.sparql_syntax import explain_syntax_error
from kfgraph.web.sparql.canonical import canonical_text

_GRAMMAR_LOCK = threading.Lock()
"""rdflib's pyparsing grammar is shared by the process and not thread-safe."""
DEFAULT_MAX_DEPTH = 32

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class QueryPlan:
    """What the server must know about a query before it runs."""

    form: str
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    services: tuple[str | None, ...]
    """Every SERVICE target IRI; None for ``SERVICE ?var``."""
    prefixes: tuple[tuple[str, str], ...]
    text: str = ""
    """The canonical text that was checked: the text the engine must execute."""

    @property
    def returns_solutions(self) -> bool:
        return self.form in ("SELECT", "ASK")


def analyse(query: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> QueryPlan:
    """Canonicalise and parse ``query``; raise ``QueryError`` (with line and column) or ``UpdateRefusedError``."""
    text = canonical_text(query, max_depth=max_depth)
    try:
        parsed = _parse(parseQuery, text)
    except ParseBaseException:
        if _is_update(text):
            raise UpdateRefusedError("this endpoint is read-only: SPARQL Update is refused") from None
        with _GRAMMAR_LOCK:  # the explanation may ask rdflib's grammar where it stopped
            explanation = explain_syntax_error(query)
        raise QueryError(f"malformed query: {explanation}") from None
    prologue, body = parsed[0], parsed[1]
    base, prefixes = _prologue(prologue)
    resolve = _Resolver(base, prefixes)
    from_graphs: list[str] = []
    from_named: list[str] = []
    clauses: Iterable[object] = _get(body, "datasetClause") or ()  # type: ignore[assignment]
    for clause in clauses:
        if _get(clause, "default") is not None:
            from_graphs.append(resolve(_get(clause, "default")))
        if _get(clause, "named") is not None:
            from_named.append(resolve(_get(clause, "named")))
    services: list[str | None] = []
    for node in _walk(body):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            term = _get(node, "term")
            services.append(None if isinstance(term, Variable) else resolve(term))
    return QueryPlan(
        _FORMS[body.name], tuple(from_graphs), tuple(from_named), tuple(services), tuple(prefixes.items()), text
    )


def check_services(plan: QueryPlan, allowed_hosts: Iterable[str]) -> None:
    """Raise ``ForbiddenQueryError`` unless every SERVICE names an allow-listed host."""
    allowed = {host.strip().lower() for host in allowed_hosts if host.strip()}
    for target in plan.services:
        if target is None:
            raise ForbiddenQueryError(
                "SERVICE with a variable is refused: this endpoint never contacts a host it cannot check first"
            )
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        if not host or (host not in allowed and parts.netloc.lower() not in allowed):
            listed = ", ".join(sorted(allowed)) or "none"
            raise ForbiddenQueryError(
                f"SERVICE <{target}> is refused: this endpoint does not contact other hosts "
                f"unless the operator allows them (KFGRAPH_ALLOWED_SERVICE_HOSTS; allowed: {listed})"
            )


def _parse(parser: Any, text: str) -> Any:
    """Run an rdflib parser under the grammar lock; a recursion overflow is a refused query, not a crash."""
    with _GRAMMAR_LOCK:
        try:
            return parser(text)
        except RecursionError:
            raise QueryError("query nested too deeply for the query checker; simplify its nesting") from None


def _is_update(text: str) -> bool:
    try:
        update = _parse(parseUpdate, text)
    except (ParseBaseException, QueryError):
        return False
    return bool(_get(update, "request"))


def _get(node: object, key: str) -> object:
    # CompValue.get() tries to resolve variables; read the mapping directly.
    return dict.get(node, key) if isinstance(node, dict) else None  # type: ignore[arg-type]


def _walk(root: object) -> Iterable[object]:
    """Every node under ``root`` (CompValues, parse results, lists), iteratively."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, dict):
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)  # type: ignore[arg-type]


def _prologue(prologue: Iterable[object]) -> tuple[str | None, dict[str, str]]:
    base: str | None = None
    prefixes: dict[str, str] = {}
    for decl in prologue:
        if not isinstance(decl, CompValue):
            continue
        iri = str(_get(decl, "iri"))
        iri = urljoin(base, iri) if base else iri
        if decl.name == "Base":
            base = iri
        elif decl.name == "PrefixDecl":
            prefixes[str(_get(decl, "prefix") or "")] = iri
    return base, prefixes


class _Resolver:
    def __init__(self, base: str | None, prefixes: dict[str, str]) -> None:
        self.base = base
        self.prefixes = prefixes

    def __call__(self, term: object) -> str:
        if isinstance(term, CompValue) and term.name == "pname":
            prefix = str(_get(term, "prefix") or "")
            if prefix not in self.prefixes:
                raise QueryError(f"malformed query: prefix {prefix!r}: is not declared")
            return self.prefixes[prefix] + str(_get(term, "localname") or "")
        if isinstance(term, URIRef):
            return urljoin(self.base, str(term)) if self.base else str(term)
        raise QueryError(f"malformed query: expected an IRI, found {term!r}")
