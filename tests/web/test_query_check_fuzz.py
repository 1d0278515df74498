"""Property: whatever the query text, the check and the engine together never open a connection.

Queries are built from pieces chosen to make two SPARQL readers disagree: SERVICE spelled
in any case or with escapes, targets written as IRIs, prefixed names, relative IRIs under
BASE, escaped IRIs, variables, other spellings of loopback; comments ended by CR, LF or
both; white space SPARQL does not know; strings in every quoting with escapes that
close them early for a reader that decodes first; nesting. Each query goes through the
check and, if the check lets it pass, through the engine *in this process*, without the
worker's network namespace: this tests the check itself. The target of every SERVICE is
a loopback listener that counts connections.

Power check: with the canonical text taken out (the check reading the raw text, as at
commit 2d12e83), this fuzz found the CR-ended-comment SSRF in each of three runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loopback import Listener

from kfgraph import formats
from kfgraph.errors import KfgraphError
from kfgraph.web.sparql.jobs import QueryRequest, plan_job
from kfgraph.web.sparql.workers import evaluate

EXAMPLES = 300

LISTENER = Listener()  # one for the module: hypothesis calls the test many times


@pytest.fixture(scope="module", autouse=True)
def _close_listener() -> Iterator[None]:
    yield
    LISTENER.close()


def _hosts(port: int) -> list[str]:
    return [f"127.0.0.1:{port}", f"localhost:{port}", f"2130706433:{port}", f"[::ffff:127.0.0.1]:{port}",
            f"127.1:{port}", f"0x7f000001:{port}"]


SERVICE_WORDS = ["SERVICE", "service", "SeRvIcE", "SERV\\u0049CE", "SERVICE SILENT", "SERVICE\tSILENT", "SERVICE#\rSILENT"]
BREAKS = [" ", "\n", "\r", "\r\n", "\t", "#x\r", "#x\n", "#x\r\n", "#\r", "\u2028", "\u0085", "\f", "\v", "\u00a0",
          "/**/", "#SERVICE\r"]
LINE_ENDS = ["#x\r", "#\r", "#x\n", "\r", "\n", "\r\n", "#x\r\n", " "]
"""Around the SERVICE: where one reader's comment may end and the other's not."""
OPEN_CLOSE = [("{", "}"), ("OPTIONAL {", "}"), ("{ } UNION {", "}"), ("FILTER EXISTS {", "}"), ("MINUS {", "}"),
              ("{ SELECT * WHERE {", "} }"), ("GRAPH ?g {", "}")]
QUOTES = ['"', "'", '"""', "'''", '"\\u0022', "'\\u0027", '"\\"', "<"]


@st.composite
def targets(draw: st.DrawFn) -> tuple[str, str, str]:
    """(prologue, bindings before the SERVICE, target as written)."""
    host = draw(st.sampled_from(_hosts(LISTENER.port)))
    path = draw(st.sampled_from(["", "sparql", "s\\u0070arql", "%73parql"]))
    form = draw(st.sampled_from(["iri", "escaped", "prefixed", "relative", "variable"]))
    if form == "iri":
        return "", "", f"<http://{host}/{path}>"
    if form == "escaped":
        return "", "", f"<http\\u003A//{host}/{path}>"
    if form == "prefixed":
        return f"PREFIX p: <http://{host}/> ", "", f"p:{path.replace('%', 'x') or 'x'}"
    if form == "relative":
        return f"BASE <http://{host}/> ", "", f"<{path}>"
    return "", f"VALUES ?endpoint {{ <http://{host}/> }} ", "?endpoint"


@st.composite
def queries(draw: st.DrawFn) -> str:
    prologue, bindings, target = draw(targets())
    service = f"{bindings}{draw(st.sampled_from(SERVICE_WORDS))}{draw(st.sampled_from(BREAKS))}{target} {{ ?a ?b ?c }}"
    for _ in range(draw(st.integers(0, 2))):
        before, after = draw(st.sampled_from(OPEN_CLOSE))
        service = f"{before}{draw(st.sampled_from(BREAKS))}{service}{draw(st.sampled_from(BREAKS))}{after}"
    if draw(st.integers(0, 2)) == 0:  # hide it from one reader: inside a string or comment as one of them sees it
        quote = draw(st.sampled_from(QUOTES))
        closing = quote.replace("\\u0022", "").replace("\\u0027", "").replace("<", ">") or quote
        service = f'BIND({quote}{draw(st.sampled_from(BREAKS))} AS ?h) {service} BIND({closing} AS ?k)'
    noise = draw(st.text(alphabet=st.sampled_from(list("{}()#\"'<>\\ \r\n?.;")), max_size=6)) if draw(st.integers(0, 3)) == 0 else ""
    form = draw(st.sampled_from(["SELECT * WHERE", "ASK", "CONSTRUCT WHERE", "DESCRIBE ?a WHERE"]))
    before, after = draw(st.sampled_from(LINE_ENDS)), draw(st.sampled_from(LINE_ENDS))
    return f"{prologue}{form} {{ {before}{service}{after}{noise} }}"


STORE = ox.Store()
STORE.add(ox.Quad(ox.NamedNode("http://e.example/s"), ox.NamedNode("http://e.example/p"), ox.Literal("o")))


def check_then_run(query: str) -> str:
    request = QueryRequest(query, formats.SPARQL_JSON, formats.N_TRIPLES, max_rows=10)
    try:
        job = plan_job(request, lambda iri: False)
    except KfgraphError as error:
        return f"refused {error.code}"
    try:
        evaluate(STORE, job)
    except (KfgraphError, OSError) as error:
        return f"engine {type(error).__name__}"
    return "answered"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_no_query_reaches_the_listener(query: str) -> None:
    before = LISTENER.connections
    outcome = check_then_run(query)
    assert LISTENER.connections == before, (query, outcome)


def test_the_pieces_do_reach_the_listener_without_the_check() -> None:
    """Positive control: the engine alone does call these targets, so silence above is the check's doing."""
    before = LISTENER.connections
    for host in _hosts(LISTENER.port)[:2]:
        try:
            list(STORE.query(f"SELECT * {{ SERVICE SILENT <http://{host}/sparql> {{ ?a ?b ?c }} }}"))
        except OSError:
            pass
    try:
        list(STORE.query(f"SELECT * WHERE {{ #\r SERVICE <http://127.0.0.1:{LISTENER.port}/> {{ ?a ?b ?c }}\n}}"))
    except OSError:
        pass
    assert LISTENER.connections - before == 3
