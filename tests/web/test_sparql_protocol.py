"""The SPARQL 1.1 Protocol on /sparql, over real HTTP to uvicorn (``http``) or the ASGI client."""

from __future__ import annotations

import csv
import io
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from web_support import FIXTURE, GAZETTEER, R1, R2, R3, build_store, inline_context, make_settings

from kfgraph.web.app import ROUTER_FACTORIES, create_app
from kfgraph.web.jsonld import context_document

SCHEMA = Namespace("https://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HEADLINES = "SELECT ?r ?h WHERE { ?r <https://schema.org/headline> ?h } ORDER BY ?r"
GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CONSTRUCT_R1 = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{R1}> {{ ?s ?p ?o }} }}"
FORM = {"content-type": "application/x-www-form-urlencoded"}
QUERY_BODY = {"content-type": "application/sparql-query"}


def bindings(response: httpx.Response, var: str) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    return [row[var]["value"] for row in response.json()["results"]["bindings"] if var in row]


def fixture_graph(name: str) -> Graph:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graph = Graph()
    for triple in dataset.graph(URIRef(name)):
        graph.add(triple)
    return graph


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(f"graphs differ\nmissing:\n{only_expected.serialize(format='nt')}\nextra:\n{only_actual.serialize(format='nt')}")


# --------------------------------------------------------------- the three ways to send a query


def test_get_query(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES})
    assert bindings(response, "r") == [R1, R2, R3]
    assert "Accept" in response.headers["vary"]


def test_post_form(http: httpx.Client) -> None:
    assert bindings(http.post("/sparql", data={"query": HEADLINES}), "r") == [R1, R2, R3]


def test_post_form_with_charset_parameter(http: httpx.Client) -> None:
    body = httpx.QueryParams({"query": HEADLINES}).__str__()
    response = http.post("/sparql", content=body, headers={"content-type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert bindings(response, "r") == [R1, R2, R3]


def test_post_sparql_query(http: httpx.Client) -> None:
    assert bindings(http.post("/sparql", content=HEADLINES, headers=QUERY_BODY), "r") == [R1, R2, R3]


# --------------------------------------------------------------- the dataset


def test_default_graph_is_the_union_of_all_graphs(http: httpx.Client) -> None:
    query = "SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    assert bindings(http.get("/sparql", params={"query": query}), "label") == ["Alpha Example", "Beta Sample", "Testville"]
    assert bindings(http.get("/sparql", params={"query": GRAPHS}), "g") == [GAZETTEER, R1, R2, R3]


def test_default_graph_uri_replaces_the_union(http: httpx.Client) -> None:
    one = http.get("/sparql", params={"query": HEADLINES, "default-graph-uri": R1})
    assert bindings(one, "r") == [R1]
    two = http.get("/sparql", params=[("query", HEADLINES), ("default-graph-uri", R1), ("default-graph-uri", R3)])
    assert bindings(two, "r") == [R1, R3]
    form = http.post("/sparql", data={"query": HEADLINES, "default-graph-uri": [R2]})
    assert bindings(form, "r") == [R2]
    body = http.post("/sparql", params={"default-graph-uri": R3}, content=HEADLINES, headers=QUERY_BODY)
    assert bindings(body, "r") == [R3]


def test_named_graph_uri_limits_graph_and_empties_the_default(http: httpx.Client) -> None:
    response = http.get("/sparql", params=[("query", GRAPHS), ("named-graph-uri", R1), ("named-graph-uri", R2)])
    assert bindings(response, "g") == [R1, R2]
    assert bindings(http.get("/sparql", params={"query": HEADLINES, "named-graph-uri": R1}), "r") == []


def test_from_clause_names_a_graph_of_the_store(http: httpx.Client) -> None:
    query = f"SELECT ?r ?h FROM <{R2}> WHERE {{ ?r <https://schema.org/headline> ?h }}"
    assert bindings(http.get("/sparql", params={"query": query}), "r") == [R2]
    named = f"SELECT ?g FROM NAMED <{R3}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    assert bindings(http.get("/sparql", params={"query": named}), "g") == [R3]


def test_unknown_dataset_graphs_are_refused_like_an_unknown_from(http: httpx.Client) -> None:
    """An unknown graph named any way gets the same clear 400, never a silently empty answer."""
    unknown = "http://localhost:8000/id/release/no-such-release"
    answers = [
        http.get("/sparql", params={"query": HEADLINES, "default-graph-uri": unknown}),
        http.get("/sparql", params=[("query", HEADLINES), ("default-graph-uri", R1), ("default-graph-uri", unknown)]),
        http.post("/sparql", data={"query": HEADLINES, "named-graph-uri": [unknown]}),
        http.get("/sparql", params={"query": f"SELECT * FROM <{unknown}> WHERE {{ ?s ?p ?o }}"}),
        http.get("/sparql", params={"query": f"SELECT * FROM NAMED <{unknown}> WHERE {{ ?s ?p ?o }}"}),
    ]
    for response in answers:
        message = error(response, 400, "forbidden-query")
        assert f"<{unknown}> is refused" in message and "graphs of this store" in message


def test_w3c_query_content_type_construct_resolves_against_the_endpoint(http: httpx.Client) -> None:
    """W3C SPARQL 1.1 Protocol test ``query_content_type_construct``: relative IRIs and no BASE."""
    response = http.post("/sparql", content="CONSTRUCT { <s> <p> 1 } WHERE {}", headers={**QUERY_BODY,
                         "accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    endpoint = str(http.base_url).rstrip("/") + "/sparql"
    expected = f'<{endpoint[: endpoint.rindex("/") + 1]}s> <{endpoint[: endpoint.rindex("/") + 1]}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    assert response.text.strip() == expected
    # the query's own BASE wins, and relative FROM resolves the same way
    based = http.post("/sparql", content="BASE <http://a.example/> CONSTRUCT { <s> <p> 1 } WHERE {}",
                      headers={**QUERY_BODY, "accept": "application/n-triples"})
    assert based.text.strip().startswith("<http://a.example/s>")
    relative = http.get("/sparql", params={"query": "SELECT * FROM <id/release/r1> WHERE { ?s ?p ?o }"})
    assert relative.status_code == 400 and f"<{endpoint[: endpoint.rindex('/') + 1]}id/release/r1>" in relative.text


def test_bad_graph_iri_is_400(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES, "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed-query"


# --------------------------------------------------------------- result formats


def test_select_as_xml(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES}, headers={"accept": "application/sparql-results+xml"})
    assert response.headers["content-type"] == "application/sparql-results+xml"
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    uris = [e.text for e in ET.fromstring(response.content).findall(".//s:binding[@name='r']/s:uri", ns)]
    assert uris == [R1, R2, R3]


def test_select_as_csv_and_tsv(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES}, headers={"accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["r", "h"]
    assert rows[2] == [R2, 'Exercise with a tab\there and "quotes"']
    response = http.get("/sparql", params={"query": HEADLINES}, headers={"accept": "text/tab-separated-values"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    lines = response.text.splitlines()
    assert lines[0] == "?r\t?h"
    assert lines[2] == f'<{R2}>\t"Exercise with a tab\\there and \\"quotes\\""'
    assert len(lines) == 4


def test_ask(http: httpx.Client) -> None:
    yes = http.post("/sparql", content=f"ASK {{ <{R1}> ?p ?o }}", headers=QUERY_BODY)
    no = http.post("/sparql", content="ASK { <http://nowhere.example/x> ?p ?o }", headers=QUERY_BODY)
    assert (yes.json()["boolean"], no.json()["boolean"]) == (True, False)
    xml = http.post("/sparql", content="ASK {}", headers={**QUERY_BODY, "accept": "application/sparql-results+xml"})
    assert "<boolean>true</boolean>" in xml.text


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_in_every_rdf_format(http: httpx.Client, media_type: str, rdflib_format: str) -> None:
    response = http.get("/sparql", params={"query": CONSTRUCT_R1}, headers={"accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    if rdflib_format in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(data=response.text, format=rdflib_format)
        actual = Graph()
        for s, p, o, _ in dataset.quads():
            actual.add((s, p, o))
    elif rdflib_format == "json-ld":  # names the served context: put it in place of the reference
        assert response.json()["@context"] == "http://localhost:8000/context.jsonld"
        actual = Graph().parse(data=inline_context(response.text, context_document()), format="json-ld")
    else:
        actual = Graph().parse(data=response.text, format=rdflib_format)
    assert_isomorphic(fixture_graph(R1), actual)


def test_describe(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": f"DESCRIBE <{BASE_PERSON}beta>", "format": "nt"})
    graph = Graph().parse(data=response.text, format="nt")
    assert (URIRef(f"{BASE_PERSON}beta"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Beta Sample", lang="en")) in graph


BASE_PERSON = "http://localhost:8000/id/person/"


def test_format_parameter_overrides_accept(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES, "format": "csv"}, headers={"accept": "application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("text/csv")
    response = http.post("/sparql", data={"query": CONSTRUCT_R1, "format": "jsonld"}, headers={"accept": "text/turtle"})
    assert response.headers["content-type"] == "application/ld+json"
    assert_isomorphic(fixture_graph(R1), Graph().parse(data=inline_context(response.text, context_document()), format="json-ld"))


def test_406_when_nothing_is_acceptable(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES}, headers={"accept": "text/turtle"})
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not-acceptable"
    assert http.get("/sparql", params={"query": CONSTRUCT_R1, "format": "csv"}).status_code == 406
    assert http.get("/sparql", params={"query": HEADLINES, "format": "yaml"}).status_code == 406


# --------------------------------------------------------------- bad requests


def error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert (body["status"], body["code"]) == (status, code)
    return str(body["message"])


def test_malformed_query_says_line_and_column(http: httpx.Client) -> None:
    message = error(http.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"}), 400, "malformed-query")
    assert "line 2, column 3" in message and "a triple pattern needs a subject, a predicate and an object" in message


def test_query_oxigraph_rejects_is_400_with_position(http: httpx.Client) -> None:
    # rdflib's grammar accepts this; oxigraph's evaluation rejects the undeclared prefix.
    message = error(http.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:p ?o }"}), 400, "malformed-query")
    assert "line 1, column 21" in message and 'the prefix "nope:" is not declared' in message, message


def test_missing_query(http: httpx.Client) -> None:
    error(http.post("/sparql", data={"default-graph-uri": R1}), 400, "malformed-query")
    error(http.get("/sparql", params={"query": " "}), 400, "malformed-query")
    error(http.post("/sparql", content="", headers=QUERY_BODY), 400, "malformed-query")
    error(http.get("/sparql", params={"default-graph-uri": R1}), 400, "malformed-query")


def test_two_queries(http: httpx.Client) -> None:
    message = error(http.get("/sparql", params=[("query", HEADLINES), ("query", "ASK {}")]), 400, "malformed-query")
    assert "two queries" in message
    error(http.post("/sparql", params={"query": "ASK {}"}, data={"query": HEADLINES}), 400, "malformed-query")
    error(http.post("/sparql", params={"query": "ASK {}"}, content=HEADLINES, headers=QUERY_BODY), 400, "malformed-query")


def test_wrong_content_type(http: httpx.Client) -> None:
    message = error(http.post("/sparql", content=HEADLINES, headers={"content-type": "text/plain"}), 400, "malformed-query")
    assert "Content-Type" in message
    error(http.post("/sparql", content=HEADLINES), 400, "malformed-query")


def test_get_with_a_body(http: httpx.Client) -> None:
    message = error(http.request("GET", "/sparql", params={"query": HEADLINES}, content=b"x=1"), 400, "malformed-query")
    assert "body" in message


def test_request_too_large(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(max_request_bytes=200)
    assert client.post("/sparql", content=HEADLINES, headers=QUERY_BODY).status_code == 200
    padded = HEADLINES + "\n#" + "x" * 300
    response = client.post("/sparql", content=padded, headers=QUERY_BODY)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request-too-large"


def test_an_unexpected_fault_is_a_logged_500(store_path, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    def broken(settings, access):  # type: ignore[no-untyped-def]
        routes = APIRouter()

        @routes.get("/broken")
        async def boom() -> None:
            raise RuntimeError("secret detail")

        return routes

    app = create_app(make_settings(store_path, query_workers=1), routers=(*ROUTER_FACTORIES, broken))
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/broken")
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal-error"
    assert "secret detail" not in response.text
    assert any("secret detail" in (record.exc_text or "") or record.exc_info for record in caplog.records)


# --------------------------------------------------------------- service description, CORS, timing


def test_bare_get_is_the_service_description(http: httpx.Client, live_url: str) -> None:
    response = http.get("/sparql", headers={"accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(f"{live_url}/sparql")
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph
    default_graph = graph.value(graph.value(service, SD.defaultDataset), SD.defaultGraph)
    assert "union" in str(graph.value(default_graph, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    as_jsonld = http.get("/sparql", headers={"accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"] == "application/ld+json"
    assert isomorphic(graph, Graph().parse(data=inline_context(as_jsonld.text, context_document()), format="json-ld"))
    page = http.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and "sd:SPARQL11Query" in page.text
    assert http.get("/sparql", headers={"accept": "image/png"}).status_code == 406


def test_cors(http: httpx.Client) -> None:
    preflight = http.options(
        "/sparql",
        headers={
            "origin": "https://yasgui.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    simple = http.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://yasgui.example"})
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "server-timing" in simple.headers["access-control-expose-headers"].lower()


def test_server_timing(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": HEADLINES})
    assert re.fullmatch(r"query;dur=\d+\.\d, total;dur=\d+\.\d", response.headers["server-timing"])


# --------------------------------------------------------------- the row cap


def test_row_cap_cuts_and_says_so(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(max_result_rows=2)
    response = client.get("/sparql", params={"query": HEADLINES})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == 2
    assert response.headers["x-kfgraph-truncated"] == "true"
    assert response.headers["x-kfgraph-max-rows"] == "2"
    assert "max_result_rows" in response.headers["warning"]
    graph = client.get("/sparql", params={"query": CONSTRUCT_R1, "format": "nt"})
    assert graph.headers["x-kfgraph-truncated"] == "true"
    assert len(graph.text.strip().splitlines()) == 2
    exact = client.get("/sparql", params={"query": HEADLINES + " LIMIT 2"})
    assert len(exact.json()["results"]["bindings"]) == 2
    assert "x-kfgraph-truncated" not in exact.headers


def test_health_after_many_parallel_clients(http: httpx.Client, live_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> list[str]:
        with httpx.Client(base_url=live_url, timeout=15) as client:
            return bindings(client.get("/sparql", params={"query": HEADLINES + f" # {i}"}), "r")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(16)))
    assert results == [[R1, R2, R3]] * 16


def test_two_apps_in_one_process_do_not_interfere(app_client) -> None:  # type: ignore[no-untyped-def]
    capped = app_client(max_result_rows=1)
    plain = app_client()
    assert len(capped.get("/sparql", params={"query": HEADLINES}).json()["results"]["bindings"]) == 1
    assert len(plain.get("/sparql", params={"query": HEADLINES}).json()["results"]["bindings"]) == 3
    assert capped.app.state.store_access is not plain.app.state.store_access


def test_a_store_object_is_served_inline(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kfgraph.settings import Settings
    from kfgraph.store import open_store

    store = open_store(build_store(tmp_path / "store"))
    with TestClient(create_app(Settings(), store=store)) as client:
        assert bindings(client.get("/sparql", params={"query": HEADLINES}), "r") == [R1, R2, R3]
        assert client.app.state.store_access.evaluator.pids() == []
