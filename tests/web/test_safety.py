"""The endpoint never contacts another host unless allow-listed, and never updates the store."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from loopback import Listener

from kfgraph.errors import ForbiddenQueryError, QueryError, UpdateRefusedError
from kfgraph.web.sparql.safety import analyse, check_services
from web_support import R1

FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def forbidden_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }} }} }} }}",
        f"PREFIX remote: <{url}> SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE remote:sparql {{ ?s ?p ?o }} }} }}",
        f"BASE <{url}> SELECT * WHERE {{ GRAPH ?g {{ MINUS {{ SERVICE <sparql> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}x> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ]


def updates(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/x"
    return [
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <{R1}>",
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        f"DELETE WHERE {{ GRAPH <{R1}> {{ ?s ?p ?o }} }}",
        f"CLEAR GRAPH <{R1}>",
        "DROP ALL",
        "CREATE GRAPH <http://example.org/new>",
        f"COPY <{R1}> TO <http://example.org/copy>",
    ]


def test_service_from_and_load_never_reach_the_listener(http: httpx.Client, listener: Listener) -> None:
    count_before = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    for query in forbidden_queries(listener.port):
        for response in (
            http.get("/sparql", params={"query": query}),
            http.post("/sparql", data={"query": query}),
            http.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}),
        ):
            assert response.status_code == 400, (query, response.text)
            assert response.json()["error"]["code"] == "forbidden-query", query
            assert "refused" in response.json()["error"]["message"]
    for update in updates(listener.port):
        for response in (
            http.get("/sparql", params={"update": update}),
            http.post("/sparql", data={"update": update}),
            http.post("/sparql", content=update, headers={"content-type": "application/sparql-update"}),
            http.get("/sparql", params={"query": update}),
            http.post("/sparql", content=update, headers={"content-type": "application/sparql-query"}),
        ):
            assert response.status_code == 403, (update, response.text)
            assert response.json()["error"]["code"] == "update-refused"
    time.sleep(0.3)
    assert listener.connections == 0
    count_after = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert count_after == count_before


def test_service_in_comments_and_strings_is_not_a_service(http: httpx.Client, listener: Listener) -> None:
    query = (
        f"# SERVICE <http://127.0.0.1:{listener.port}/>\n"
        f'SELECT ?x WHERE {{ BIND("SERVICE <http://127.0.0.1:{listener.port}/> {{}}" AS ?x) }}'
    )
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")
    assert listener.connections == 0


def test_an_allow_listed_host_is_contacted(app_client, listener: Listener) -> None:  # type: ignore[no-untyped-def]
    """Positive control: the refusal above is what keeps the listener silent."""
    client = app_client(allowed_service_hosts=("127.0.0.1",))
    query = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?x ?y ?z }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "remote"}}]
    assert listener.connections == 1
    still_refused = client.get("/sparql", params={"query": "ASK { SERVICE <http://other.example/> {} }"})
    assert still_refused.status_code == 400


@pytest.mark.parametrize("query", forbidden_queries(9)[:10])
def test_analyse_finds_every_service(query: str) -> None:
    plan = analyse(query)
    assert plan.services
    with pytest.raises(ForbiddenQueryError):
        check_services(plan, ())


def test_analyse_resolves_prefixes_and_base() -> None:
    plan = analyse("BASE <http://a.example/q/> PREFIX r: <../r/> SELECT * FROM r:g { SERVICE <s> {} SERVICE r:t {} }")
    assert plan.from_graphs == ("http://a.example/r/g",)
    assert sorted(s or "" for s in plan.services) == ["http://a.example/q/s", "http://a.example/r/t"]
    check_services(plan, ("a.example",))
    with pytest.raises(ForbiddenQueryError):
        check_services(plan, ("b.example",))


@pytest.mark.parametrize("update", updates(9))
def test_analyse_refuses_update_text(update: str) -> None:
    with pytest.raises(UpdateRefusedError):
        analyse(update)


def test_analyse_reports_syntax_errors() -> None:
    with pytest.raises(QueryError) as caught:
        analyse("PREFIX a: <http://a/>")
    assert not isinstance(caught.value, UpdateRefusedError)
    with pytest.raises(QueryError, match="not declared"):
        analyse("SELECT * { SERVICE nope:x {} }")
