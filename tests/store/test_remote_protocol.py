"""RemoteStore's HTTP side without an engine: URLs, authentication, dialects and error mapping (httpx MockTransport)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import httpx
import pytest

from kfgraph.errors import ConfigurationError, QueryError, StoreError
from kfgraph.settings import Settings
from kfgraph.store import GraphUpdate, open_store_url, store_location
from kfgraph.store.oxigraph import OxigraphStore
from kfgraph.store.remote import RemoteStore, query_form
from kfgraph.store.urls import is_store_url, parse_store_url, redact

BASE = "http://localhost:8000/"
EMPTY_SELECT = {"head": {"vars": ["g"]}, "results": {"bindings": []}}


def remote(handler: object, **options: object) -> RemoteStore:
    location = parse_store_url("sparql+http://engine.test:8890/sparql")
    return RemoteStore(location, graph_prefix=BASE, transport=httpx.MockTransport(handler), **options)  # type: ignore[arg-type]


def form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode("utf-8"), keep_blank_values=True)


@pytest.mark.parametrize(("url", "query", "update"), [
    ("sparql+http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql"),
    ("sparql+https://db.example/ds/query", "https://db.example/ds/query", "https://db.example/ds/update"),
    ("SPARQL+HTTP://u:p%40ss@h:7878/query", "http://h:7878/query", "http://h:7878/update"),
])
def test_store_urls_give_query_and_update_endpoints(url: str, query: str, update: str) -> None:
    location = parse_store_url(url)
    assert (location.query_url, location.update_url) == (query, update)
    assert "p@ss" not in repr(location)


def test_userinfo_in_a_url_becomes_credentials_and_is_never_shown() -> None:
    location = parse_store_url("sparql+http://dba:se%3Acret@h:1/sparql")
    assert (location.user, location.password) == ("dba", "se:cret")
    assert redact("http://dba:secret@h:1/x?q=1") == "http://h:1/x?q=1"


def test_a_folder_is_not_a_store_url_and_the_chooser_opens_the_embedded_store(tmp_path: object) -> None:
    assert not is_store_url("kfgraph-store") and not is_store_url("http://h/sparql")
    with pytest.raises(ConfigurationError):
        parse_store_url("http://h/sparql")
    settings = Settings(store=tmp_path / "s")  # type: ignore[operator]
    assert store_location(settings) == tmp_path / "s"  # type: ignore[operator]
    assert isinstance(open_store_url(None, settings=settings), OxigraphStore)
    remote_settings = settings.replace(store_url="sparql+http://h:1/sparql")
    assert isinstance(open_store_url(None, settings=remote_settings), RemoteStore)


@pytest.mark.parametrize(("query", "form_"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# title: x\nPREFIX s: <https://schema.org/>\nBASE <http://b/>\n  ask { ?s ?p ?o }", "ASK"),
    ("PREFIX : <http://e/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("define input:default-graph-exclude <http://g> DESCRIBE <http://x>", "DESCRIBE"),
])
def test_query_form_is_read_after_the_prologue(query: str, form_: str) -> None:
    assert query_form(query) == form_


def test_basic_authentication_when_the_engine_asks_for_basic() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        expected = "Basic " + base64.b64encode(b"kfg:pw").decode()
        if request.headers.get("authorization") != expected:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="sparql"'})
        return httpx.Response(204)

    store = remote(handler, user="kfg", password="pw", dialect="generic")
    store.remove_graphs([BASE + "graph/release/x"])
    store.remove_graphs([BASE + "graph/release/y"])
    assert seen[0] is None and seen[1:] == ["Basic a2ZnOnB3"] * 2  # the second request goes authenticated at once


def test_wrong_credentials_are_a_store_error_that_names_no_password() -> None:
    store = remote(lambda request: httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="x"'}),
                   user="kfg", password="hunter2", dialect="generic")
    with pytest.raises(StoreError) as caught:
        store.replace_graphs([GraphUpdate(BASE + "graph/release/x", "<http://a> <http://b> <http://c> .")])
    assert "HTTP 401" in caught.value.message and "KFGRAPH_STORE_USER" in caught.value.message
    assert "hunter2" not in caught.value.message


def test_engine_errors_map_to_query_and_store_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "nonsense" in form(request)["query"][0]:
            return httpx.Response(400, text="Virtuoso 37000 Error SP030: syntax error\n\nSPARQL query:\nSELECT nonsense")
        return httpx.Response(500, text="out of memory")

    store = remote(handler, dialect="generic")
    with pytest.raises(QueryError) as bad:
        store.query("SELECT nonsense")
    assert bad.value.message == "the store rejected the query: Virtuoso 37000 Error SP030: syntax error"
    with pytest.raises(StoreError, match="HTTP 500"):
        store.query("SELECT * WHERE { ?s ?p ?o }")


def test_writes_group_graphs_per_request_without_splitting_one() -> None:
    updates: list[str] = []
    existing: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        sent = form(request)
        if "query" in sent:  # which graphs exist: the VALUES ones the engine "holds"
            asked = [g for g in sent["query"][0].split() if g.startswith("<")]
            rows = [{"g": {"type": "uri", "value": g.strip("<>")}} for g in asked if g.strip("<>") in existing]
            return httpx.Response(200, json={"head": {"vars": ["g"]}, "results": {"bindings": rows}})
        updates.append(sent["update"][0])
        return httpx.Response(204)

    store = remote(handler, dialect="generic", max_request_triples=6)
    graph = "\n".join(f"<http://a> <http://b> <http://c{i}> ." for i in range(3))
    names = [BASE + f"graph/release/r{n}" for n in range(4)]
    store.replace_graphs([GraphUpdate(name, graph) for name in names])
    assert len(updates) == 4  # 3 triples each (twice: graph and merge), at most 5 per request: never half a graph
    # new graphs: nothing to drop (Virtuoso's DROP costs time that grows with the database)
    assert all("DROP" not in u and u.count("INSERT DATA") == 2 and "DELETE" not in u for u in updates)

    existing.update(names[:2])
    updates.clear()
    store.replace_graphs([GraphUpdate(name, graph) for name in names])
    assert [u.count("DROP SILENT GRAPH") for u in updates] == [1, 1, 0, 0]
    assert all(("DELETE" in u) == ("DROP" in u) for u in updates)  # the merge loses what only the old graph stated


def test_the_merged_default_graph_is_asked_for_in_each_dialect() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        query = form(request)["query"][0]
        if "GROUP BY ?g" in query:  # Virtuoso: all its graphs with their sizes, its own ones to leave out
            sizes = {"http://sys/g": 1, BASE + "graph/release/r1": 5}
            body = {"head": {"vars": ["g", "n"]}, "results": {"bindings": [
                {"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(n)}} for g, n in sizes.items()]}}
            return httpx.Response(200, json=body, headers={"Server": "Virtuoso/07.20"})
        if "VALUES ?g { <http://sys/g> }" in query:  # the triples of its own graphs
            body = {"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [
                {"s": {"type": "uri", "value": "http://sys/s"}, "p": {"type": "uri", "value": "http://sys/p"},
                 "o": {"type": "literal", "value": "x"}}]}}
            return httpx.Response(200, json=body, headers={"Server": "Virtuoso/07.20"})
        if query.strip().endswith("ASK { ?s ?p ?o }"):  # Virtuoso answers ASK as a one-row SELECT
            body = {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
                {"__ASK_RETVAL": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                                  "value": "1"}}]}}
            return httpx.Response(200, json=body, headers={"Server": "Virtuoso/07.20"})
        return httpx.Response(200, json=EMPTY_SELECT, headers={"Server": "Oxigraph/0.5"})

    virtuoso = remote(handler, dialect="virtuoso")
    assert bool(virtuoso.query("ASK { ?s ?p ?o }")) is True
    sent_query = form(sent[-1])["query"][0]
    assert sent_query == "define input:default-graph-exclude <http://sys/g> ASK { ?s ?p ?o }"
    virtuoso.query("ASK {\n GRAPH ?g { ?s ?p ?o } }")
    sent_query = form(sent[-1])["query"][0]
    assert sent_query.startswith("define input:default-graph-exclude <http://sys/g> "
                                 "define input:named-graph-exclude <http://sys/g> ASK")
    assert "\n" not in sent_query.split("ASK")[0]  # pragmas on the first line: the engine's line numbers stay right
    # a query none of whose patterns can match a triple of the engine's graphs is sent as is (pragmas cost time)
    virtuoso.query("ASK { ?s <http://sys/p> 'y' }")
    assert form(sent[-1])["query"] == ["ASK { ?s <http://sys/p> 'y' }"]
    virtuoso.query("ASK { GRAPH ?g { ?s <http://sys/p> 'x' ; <http://our/p> ?o } }")  # both in one graph: never theirs
    assert form(sent[-1])["query"] == ["ASK { GRAPH ?g { ?s <http://sys/p> 'x' ; <http://our/p> ?o } }"]

    oxigraph = remote(handler)  # dialect learnt from the Server header: the merge is its own default graph
    list(oxigraph.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert form(sent[-1])["query"] == ["SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"]
    assert not sent[-1].url.params
    list(oxigraph.query("SELECT * WHERE { ?s ?p ?o }", default_graph=[BASE + "graph/a"]))
    assert form(sent[-1])["default-graph-uri"] == [BASE + "graph/a"]
