"""A remote SPARQL 1.1 store (Virtuoso, Oxigraph server, any SPARQL 1.1 engine) behind the Store interface.

Only standards are spoken: SPARQL 1.1 Query (POST form, ``Accept`` chosen by
query form) for reads, SPARQL 1.1 Update for writes, HTTP basic or digest
authentication (whichever the engine's ``WWW-Authenticate`` asks for).

Writes: ``replace_graphs`` first asks which of the graphs already exist (one
``VALUES`` query per 500 graphs); it sends, per request, for several graphs: for
an existing ``<g>`` a DELETE from the merged default graph (below) of the
triples only ``<g>`` states and ``DROP SILENT GRAPH <g>``, then ``INSERT DATA {
GRAPH <g> { … } }`` and the same triples into the default graph (Virtuoso: only
the DROP and the INSERT DATA into ``<g>``). Dropping only what exists matters:
Virtuoso 7.2 spends time on ``DROP SILENT GRAPH`` that grows with the database
even for an absent graph, which made a first build quadratic (bench/RESULTS.md).
Builds assume one writer: a graph another client creates between the check and
the write is merged, not replaced. One update request is
one transaction on Oxigraph and on Virtuoso, so a graph is never half
replaced, and a request cut by a dropped connection changes nothing (the
engine cannot parse the cut body). A graph is never split across requests;
requests hold up to ``max_request_triples`` triples (Virtuoso compiles each
INSERT DATA into SQL whose length it caps).

The default graph: as on the embedded store, kfgraph queries see the *merge*
of its graphs (those under ``graph_prefix``, the base IRI), each triple once,
kept by the writes above (a union that repeats a triple once per graph makes
joins over much-mentioned entities grow with the square of their releases).
Where it lives depends on the engine (``dialect``, detected from the
``Server`` header unless configured):

* ``oxigraph`` and ``generic``: the engine's own default graph (the engine
  must not be configured to make its default graph a union of named graphs);
* ``virtuoso``: its default graph is the union of all graphs, a *multiset*
  (a triple stated by n graphs is seen n times: the one difference from the
  embedded store; a merged graph made default while kept out of ``GRAPH ?g``
  could not be expressed to Virtuoso 7.2, whose ``named-graph-exclude``
  pragma also empties a ``default-graph-uri``). The engine's own system graphs
  (``virtrdf#``, ``owl#``, ``ldp#`` …: any graph not under ``graph_prefix``)
  are left out with ``define input:default-graph-exclude`` /
  ``input:named-graph-exclude`` pragmas, when those graphs could give the
  query a solution (``foreign_match``: the pragmas slow Virtuoso down by up
  to 3.6×).

Virtuoso quirks handled here, not in the queries: ASK answers as a one-row
SELECT (``__ASK_RETVAL``), turned back into a boolean; ``geo:wktLiteral``
values are stored as Virtuoso geometries (single precision) and come back
typed ``virtrdf:Geometry``: answers are given back as ``geo:wktLiteral``; CONSTRUCT/DESCRIBE are
asked as N-Triples (with ``Accept: */*`` Virtuoso would answer them with a
results document). Errors: a connection failure or any 4xx/5xx on a write is
a ``StoreError`` naming the URL (never the credentials); a 400 on a query is a
``QueryError`` carrying the engine's message.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, cast

import httpx
import pyoxigraph as ox

from kfgraph.errors import ConfigurationError, QueryError, StoreError
from kfgraph.store.base import GraphUpdate, dump_format
from kfgraph.store.foreign_match import ForeignTriples, query_patterns
from kfgraph.store.urls import StoreLocation

log = logging.getLogger(__name__)

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
DIALECTS = ("auto", "virtuoso", "oxigraph", "generic")
_PROLOGUE_ITEM = re.compile(
    r"""\s*(?:\#[^\n]*\n?|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>|define\s+\S+\s+(?:<[^>]*>|"[^"]*"|\S+))""",
    re.IGNORECASE,
)
_FORM = re.compile(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
VIRTUOSO_GEOMETRY = b"http://www.openlinksw.com/schemas/virtrdf#Geometry"
WKT_LITERAL = b"http://www.opengis.net/ont/geosparql#wktLiteral"


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue (comments, BASE, PREFIX)."""
    position = 0
    while match := _PROLOGUE_ITEM.match(sparql, position):
        if match.end() == position:
            break
        position = match.end()
    form = _FORM.match(sparql, position)
    if form is None:
        raise QueryError("malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue")
    return form.group(1).upper()


class _ChallengeAuth(httpx.Auth):
    """HTTP basic or digest, as the server's challenge asks (Virtuoso's ``*-auth`` endpoints want digest)."""

    def __init__(self, user: str, password: str) -> None:
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme == "basic":
            yield from self.basic.auth_flow(request)
            return
        if self.scheme == "digest":
            yield from self.digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        if challenge.startswith("digest"):
            self.scheme = "digest"
            # DigestAuth sends the request once more unauthenticated and answers the fresh challenge.
            yield from self.digest.auth_flow(request)
        elif challenge.startswith("basic"):
            self.scheme = "basic"
            yield from self.basic.auth_flow(request)

    @property
    def requires_request_body(self) -> bool:  # type: ignore[override]
        return True


_EXISTS_CHUNK = 500
"""Graph IRIs per existence query before a write."""
FOREIGN_TRIPLES_HELD = 100_000
"""Up to this many triples of the engine's own graphs are held to test queries against (Virtuoso has ~2,700)."""


class RemoteStore:
    """kfgraph's Store interface over a SPARQL 1.1 query and update endpoint."""

    def __init__(
        self,
        location: StoreLocation,
        *,
        graph_prefix: str,
        user: str = "",
        password: str = "",
        timeout: float = 300.0,
        dialect: str = "auto",
        max_request_triples: int = 20_000,
        read_only: bool = False,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if dialect not in DIALECTS:
            raise ConfigurationError(f"store dialect must be one of {', '.join(DIALECTS)}: {dialect!r}")
        self.location = location
        self.url = location.shown
        self.graph_prefix = graph_prefix
        self.read_only = read_only
        self.timeout = timeout
        self.max_request_triples = max_request_triples
        self.path = None
        user = user or location.user
        password = password or location.password
        auth = _ChallengeAuth(user, password) if user else None
        self.client = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=10.0), transport=transport)
        self._dialect = None if dialect == "auto" else dialect
        self._foreign: tuple[str, ...] | None = None
        self._foreign_size = 0
        self._foreign_triples: ForeignTriples | None = None
        self._foreign_triples_read = False


    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r}, dialect={self._dialect or 'auto'})"

    # ------------------------------------------------------------------ HTTP

    def _post(self, url: str, data: dict[str, Any], *, accept: str, params: dict[str, str] | None = None,
              timeout: float | None = None) -> httpx.Response:
        """POST and return the response, read in full; connection failures become ``StoreError``."""
        with self._stream(url, data, accept=accept, params=params, timeout=timeout) as response:
            response.read()
            return response

    @contextmanager
    def _stream(self, url: str, data: dict[str, Any], *, accept: str, params: dict[str, str] | None = None,
                timeout: float | httpx.Timeout | None = None) -> Iterator[httpx.Response]:
        request_timeout = self.client.timeout if timeout is None else timeout
        try:
            with self.client.stream("POST", url, data=data, params=params, headers={"Accept": accept},
                                    timeout=request_timeout) as response:
                self._learn_dialect(response)
                yield response
        except httpx.TimeoutException as error:
            raise StoreError(f"the store at {self.url} did not answer in time ({type(error).__name__})") from None
        except httpx.TransportError as error:
            raise StoreError(f"cannot reach the store at {self.url}: {type(error).__name__}: {error}") from None

    def _learn_dialect(self, response: httpx.Response) -> None:
        if self._dialect is None:
            server = response.headers.get("server", "").lower()
            self._dialect = "virtuoso" if "virtuoso" in server else "oxigraph" if "oxigraph" in server else "generic"
            log.info("store %s: %s dialect", self.url, self._dialect)

    @property
    def dialect(self) -> str:
        if self._dialect is None:
            self._post(self.location.query_url, {"query": "ASK {}"}, accept=RESULTS_JSON)
        assert self._dialect is not None
        return self._dialect

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code < 400:
            return
        text = response.text.strip()[:500]
        if response.status_code in (401, 403):
            raise StoreError(f"the store at {self.url} refused {what} (HTTP {response.status_code}): "
                             "check KFGRAPH_STORE_USER / KFGRAPH_STORE_PASSWORD and the user's rights")
        if response.status_code == 400 and what == "the query":
            # Virtuoso echoes the query after its message (with our pragmas): keep the message only.
            message = text.split("\n\nSPARQL query:", 1)[0].strip()
            raise QueryError(f"the store rejected the query: {message}")
        raise StoreError(f"the store at {self.url} failed {what} (HTTP {response.status_code}): {text}")

    # ------------------------------------------------------------------ writes

    def _update(self, text: str, what: str) -> None:
        if self.read_only:
            raise StoreError("this store was opened read-only")
        response = self._post(self.location.update_url, {"update": text}, accept="*/*")
        self._check(response, what)

    @property
    def keeps_merge(self) -> bool:
        """Whether the engine's default graph holds the merge of our graphs (all dialects but Virtuoso)."""
        return self.dialect != "virtuoso"

    def _drop(self, graph: str) -> list[str]:
        """Operations dropping ``graph`` and, from the merge, the triples no other graph states."""
        drop = f"DROP SILENT GRAPH <{graph}>"
        if not self.keeps_merge:
            return [drop]
        orphans = (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                   f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != <{graph}>) }} }}")
        return [orphans, drop]

    def existing_graphs(self, graphs: Sequence[str]) -> set[str]:
        """Which of ``graphs`` the engine holds (with at least one triple)."""
        found: set[str] = set()
        for start in range(0, len(graphs), _EXISTS_CHUNK):
            values = " ".join(f"<{g}>" for g in graphs[start:start + _EXISTS_CHUNK])
            rows = self._select(f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")
            found.update(row[0] for row in rows)
        return found

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        """Replace each graph, and its part of the merge, in one update request per group of graphs."""
        if not updates:
            return
        if self.read_only:
            raise StoreError("this store was opened read-only")
        existing = self.existing_graphs([u.graph for u in updates])
        group: list[str] = []
        size = 0
        names: list[str] = []
        for update in updates:
            triples = (2 if self.keeps_merge else 1) * (update.ntriples.count("\n") + 1)
            if group and size + triples > self.max_request_triples:
                self._update(" ;\n".join(group), f"storing {len(names)} graph(s)")
                group, size, names = [], 0, []
            if update.graph in existing:
                group += self._drop(update.graph)
            group.append(f"INSERT DATA {{ GRAPH <{update.graph}> {{\n{update.ntriples}\n}} }}")
            if self.keeps_merge:
                group.append(f"INSERT DATA {{\n{update.ntriples}\n}}")
            size += triples
            names.append(update.graph)
        if group:
            self._update(" ;\n".join(group), f"storing {len(names)} graph(s)")

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        if graphs:
            operations = [op for g in graphs for op in self._drop(g)]
            self._update(" ;\n".join(operations), f"dropping {len(graphs)} graph(s)")

    # ------------------------------------------------------------------ reads

    def foreign_graphs(self) -> tuple[str, ...]:
        """Graphs of the engine that are not kfgraph's (Virtuoso's system graphs), looked up once.

        Asked as a bare ``GROUP BY ?g`` and filtered here: Virtuoso 7.2 answers that form from
        its graph index, but reads every quad for ``DISTINCT ?g`` or with a FILTER on ``?g``
        (1,000 releases: 0.05 s against 1.2 s, bench/RESULTS.md).
        """
        if self._foreign is None:
            sizes = self._graph_sizes()
            self._foreign = tuple(sorted(g for g in sizes if not g.startswith(self.graph_prefix)))
            self._foreign_size = sum(sizes[g] for g in self._foreign)
        return self._foreign

    def _graph_sizes(self) -> dict[str, int]:
        """Every graph of the engine, ours or not, with its triple count (the fast form: see ``foreign_graphs``)."""
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {graph: int(count) for graph, count in rows}

    def foreign_triples(self) -> ForeignTriples | None:
        """The triples of ``foreign_graphs``, read once; None when they are too many to hold."""
        if not self._foreign_triples_read:
            foreign = self.foreign_graphs()
            if self._foreign_size <= FOREIGN_TRIPLES_HELD:
                values = " ".join(f"<{g}>" for g in foreign)
                # Blank nodes stand in as one IRI no query names: Virtuoso's "nodeID://…" labels do not parse.
                blank = "<urn:kfgraph:blank-node>"
                response = self._post(self.location.query_url, {"query": (
                    f"SELECT (IF(isBlank(?s0), {blank}, ?s0) AS ?s) ?p (IF(isBlank(?o0), {blank}, ?o0) AS ?o) "
                    f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s0 ?p ?o0 }} }}")}, accept=RESULTS_JSON)
                self._check(response, "the query")
                rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
                self._foreign_triples = ForeignTriples(
                    ox.Quad(row[0], row[1], row[2]) for row in rows)  # type: ignore[arg-type,index,union-attr]
            self._foreign_triples_read = True
        return self._foreign_triples

    def _foreign_exclusion(self, sparql: str) -> str:
        """Which of the engine's own graphs ``sparql`` must leave out: "none", "default" or "all" (``foreign_match``)."""
        if not self.foreign_graphs():
            return "none"
        held = self.foreign_triples()
        return "all" if held is None else held.exclusion(query_patterns(sparql))

    def _select(self, sparql: str) -> list[list[str]]:
        """A small SELECT over the engine's own dataset; rows of term values."""
        response = self._post(self.location.query_url, {"query": sparql}, accept=RESULTS_JSON)
        self._check(response, "the query")
        solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        return [[term.value if term is not None else "" for term in row] for row in solutions]  # type: ignore[union-attr]

    def request_for(
        self, sparql: str, *, default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
        union_default: bool = True,
    ) -> tuple[str, dict[str, Any], dict[str, str]]:
        """(text to send, form data, URL parameters) for a query on kfgraph's dataset.

        With ``default_graph`` / ``named_graphs`` the protocol dataset is sent as is; otherwise,
        when ``union_default``, the default graph is the merge of kfgraph's graphs (see the module docstring).
        """
        data: dict[str, Any] = {}
        params: dict[str, str] = {}
        if default_graph is not None or named_graphs is not None:
            data["default-graph-uri"] = list(default_graph or ())
            data["named-graph-uri"] = list(named_graphs or ())
        elif union_default and self.dialect == "virtuoso":
            exclusion = self._foreign_exclusion(sparql)
            pragmas = [f"define input:default-graph-exclude <{g}>" for g in self.foreign_graphs()] if exclusion != "none" else []
            # named-graph-exclude alone would empty the named graphs on Virtuoso 7.2: only ever with the above
            pragmas += [f"define input:named-graph-exclude <{g}>" for g in self.foreign_graphs()] if exclusion == "all" else []
            # On the query's first line, so the engine's line numbers in error messages stay right.
            sparql = " ".join([*pragmas, sparql])
        data["query"] = sparql
        return sparql, data, params

    @contextmanager
    def open_query(
        self, sparql: str, *, accept: str, timeout: float | httpx.Timeout | None = None, **dataset: Any
    ) -> Iterator[httpx.Response]:
        """Send a query and yield the engine's response unread (for streaming); errors raised as in ``query``."""
        _, data, params = self.request_for(sparql, **dataset)
        with self._stream(self.location.query_url, data, accept=accept, params=params, timeout=timeout) as response:
            if response.status_code >= 400:
                response.read()
                self._check(response, "the query")
            yield response

    def query(
        self, sparql: str, *, default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate a read-only query; the answer as pyoxigraph objects, like the embedded store's."""
        form = query_form(sparql)
        dataset: dict[str, Any] = {}
        if default_graph:
            dataset = {"default_graph": default_graph, "named_graphs": named_graphs or ()}
        elif named_graphs:
            dataset = {"named_graphs": named_graphs}
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        with self.open_query(sparql, accept=N_TRIPLES if graph_form else RESULTS_JSON, **dataset) as response:
            body = b"".join(self.answer_chunks(response))
        if graph_form:
            return as_query_triples(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return fix_ask(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), form)  # type: ignore[no-any-return]

    def answer_chunks(self, response: httpx.Response) -> Iterator[bytes]:
        """The engine's answer as it arrives, with Virtuoso's geometry datatype given back as geo:wktLiteral."""
        if self._dialect != "virtuoso":
            yield from response.iter_bytes()
            return
        keep = len(VIRTUOSO_GEOMETRY) - 1
        pending = b""
        for chunk in response.iter_bytes():
            pending = (pending + chunk).replace(VIRTUOSO_GEOMETRY, WKT_LITERAL)
            if len(pending) > keep:  # hold back a tail that may be the start of a split datatype IRI
                yield pending[:-keep]
                pending = pending[-keep:]
        if pending:
            yield pending

    def has_graph(self, iri: str) -> bool:
        if not iri.startswith(self.graph_prefix):
            return False
        response = self._post(self.location.query_url, {"query": f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"},
                              accept=RESULTS_JSON)
        self._check(response, "the query")
        return bool(fix_ask(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON), "ASK"))

    def graph_names(self) -> Iterator[str]:
        for graph in self._graph_sizes():
            if graph.startswith(self.graph_prefix):
                yield graph

    def triple_count(self) -> int:
        # Counted per graph and summed here, for the reason given in ``foreign_graphs``.
        return sum(count for graph, count in self._graph_sizes().items() if graph.startswith(self.graph_prefix))

    def dump(self, output: IO[bytes], media_type: str, *, graph: str | None = None) -> None:
        """Stream one graph, or every quad of kfgraph's graphs, from the engine into ``output``.

        Rows are parsed and written as they arrive. Virtuoso caps result rows at its
        ``[SPARQL] ResultSetMaxRows``: it must exceed the store's triple count for a full dump.
        """
        fmt, prefixes = dump_format(media_type)
        options: dict[str, object] = {"prefixes": prefixes} if prefixes else {}
        if graph is not None or not fmt.supports_datasets:
            where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
            with self.open_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", accept=N_TRIPLES,
                                 union_default=graph is None) as response:
                triples = ox.parse(cast(IO[bytes], _ResponseReader(self.answer_chunks(response))), format=ox.RdfFormat.N_TRIPLES)
                ox.serialize((q.triple for q in triples), output, fmt, **options)  # type: ignore[arg-type]
            return
        prefix = _string(self.graph_prefix)
        query = f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {prefix})) }}"
        with self.open_query(query, accept=RESULTS_JSON, union_default=False) as response:
            rows = ox.parse_query_results(cast(IO[bytes], _ResponseReader(self.answer_chunks(response))), format=ox.QueryResultsFormat.JSON)
            quads = (ox.Quad(row[1], row[2], row[3], row[0]) for row in rows)  # type: ignore[union-attr]
            ox.serialize(quads, output, fmt, **options)  # type: ignore[arg-type]

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.client.close()


class _ResponseReader(io.RawIOBase):
    """A streamed answer (chunks of an httpx response) as a binary file for pyoxigraph's parsers."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
            except httpx.TransportError as error:
                raise OSError(f"the store's answer was cut: {error}") from None
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def as_query_triples(triples: Any) -> ox.QueryTriples:
    """Triples parsed from an engine as a genuine ``pyoxigraph.QueryTriples`` (via a small in-memory store)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    result = scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def fix_ask(result: Any, form: str) -> Any:
    """Virtuoso answers ASK as a one-row SELECT of ``__ASK_RETVAL``: make it the boolean it is."""
    if form != "ASK" or isinstance(result, ox.QueryBoolean):
        return result
    rows = list(result)
    value = bool(rows) and rows[0][0] is not None and rows[0][0].value not in ("0", "false")
    return ox.parse_query_results('{"head": {}, "boolean": %s}' % ("true" if value else "false"),
                                  format=ox.QueryResultsFormat.JSON)
