"""Triple Pattern Fragments at /fragments: matches, counts, paging, controls, errors and caching.

The store is the pipeline's graph of data/ (built once per test process); answers are
checked against SPARQL over the same store.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef

from linked_data_store import built_store_path, ld_settings
from web_support import inline_context

from kfgraph import formats
from kfgraph.store import open_store
from kfgraph.vocab import HYDRA, RDFS, SCHEMA, VOID, XSD
from kfgraph.web.app import create_app
from kfgraph.web.jsonld import context_document
from kfgraph.web.linked_data.fragments import parse_term

BASE = "http://localhost:8000/"
ROOT = "http://testserver/fragments"
PAGE = 7


@pytest.fixture(scope="module")
def store() -> Iterator[object]:
    yield open_store(built_store_path(), read_only=True)


@pytest.fixture(scope="module")
def client(store: object) -> Iterator[TestClient]:
    settings = ld_settings(built_store_path()).replace(fragment_page_size=PAGE)
    with TestClient(create_app(settings, store)) as test_client:  # type: ignore[arg-type]
        yield test_client


def count(store: object, pattern: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT * WHERE {{ {pattern} }} }}")  # type: ignore[attr-defined]
    return int(next(iter(rows))["n"].value)


def fetch(client: TestClient, params: dict[str, str]) -> tuple[Graph, Graph, str]:
    """(data graph, metadata graph, fragment URL) of one TriG response."""
    response = client.get("/fragments", params=params, headers={"Accept": "application/trig"})
    assert response.status_code == 200, response.text
    dataset = Dataset()
    dataset.parse(data=response.text, format="trig")
    data, metadata = Graph(), Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        (metadata if g is not None and str(g).endswith("#metadata") else data).add((s, p, o))
    fragment = str(next(metadata.objects(None, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"))))
    return data, metadata, fragment


def test_a_pattern_gives_its_matches_and_their_count(client: TestClient, store: object) -> None:
    data, metadata, fragment = fetch(client, {"predicate": str(RDFS.label), "object": '"KFOR"'})
    kfor = URIRef(BASE + "id/organization/kfor")
    assert set(data) == {(kfor, RDFS.label, Literal("KFOR"))}
    assert metadata.value(URIRef(fragment), VOID.triples) == Literal(1, datatype=XSD.integer)
    assert metadata.value(URIRef(fragment), HYDRA.totalItems) == Literal(1, datatype=XSD.integer)


def test_pages_cover_the_whole_pattern_once(client: TestClient, store: object) -> None:
    total = count(store, f"?s <{SCHEMA.mentions}> ?o")
    assert total > 3 * PAGE, "the test needs a pattern of several pages"
    seen: set[tuple[object, ...]] = set()
    params: dict[str, str] | None = {"predicate": str(SCHEMA.mentions)}
    pages = 0
    while params is not None:
        data, metadata, fragment = fetch(client, params)
        pages += 1
        assert len(data) <= PAGE and not seen & set(data)
        seen |= set(data)
        assert metadata.value(URIRef(fragment), HYDRA.totalItems) == Literal(total, datatype=XSD.integer)
        assert metadata.value(URIRef(fragment), HYDRA.itemsPerPage) == Literal(PAGE, datatype=XSD.integer)
        following = metadata.value(URIRef(fragment), HYDRA.next)
        params = None if following is None else {k: v[0] for k, v in parse_qs(urlsplit(str(following)).query).items()}
    assert len(seen) == total and pages == -(-total // PAGE)


def test_the_controls_say_how_to_ask_for_any_pattern(client: TestClient) -> None:
    _, metadata, fragment = fetch(client, {})
    dataset = URIRef(ROOT + "#dataset")
    assert (dataset, VOID.subset, URIRef(fragment)) in metadata
    search = metadata.value(dataset, HYDRA.search)
    assert str(metadata.value(search, HYDRA.template)) == ROOT + "{?subject,predicate,object}"
    assert metadata.value(search, HYDRA.variableRepresentation) == HYDRA.ExplicitRepresentation
    variables = {str(metadata.value(m, HYDRA.variable)) for m in metadata.objects(search, HYDRA.mapping)}
    assert variables == {"subject", "predicate", "object"}


def test_typed_and_tagged_literals_and_variables(client: TestClient, store: object) -> None:
    date = '"2022-12-21"^^http://www.w3.org/2001/XMLSchema#date'
    data, _, _ = fetch(client, {"subject": "?x", "predicate": str(SCHEMA.datePublished), "object": date})
    assert len(data) == count(store, f'?s <{SCHEMA.datePublished}> "2022-12-21"^^<{XSD.date}>') >= 1
    assert parse_term('"Kosovo"@en', "object") == ox.Literal("Kosovo", language="en")
    assert parse_term("<http://a.example/x>", "subject") == ox.NamedNode("http://a.example/x")
    assert parse_term("", "subject") is None


@pytest.mark.parametrize("params", [{"subject": '"a literal"'}, {"object": "not an iri"}, {"subject": "_:b0"},
                                    {"object": '"open'}, {"page": "0"}, {"page": "two"}])
def test_malformed_requests_are_400(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/fragments", params=params)
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed-query"


def test_a_page_past_the_end_is_404(client: TestClient) -> None:
    assert client.get("/fragments", params={"predicate": str(RDFS.label), "page": "999999"}).status_code == 404


def test_every_format_and_caching(client: TestClient) -> None:
    params = {"predicate": str(RDFS.label), "object": '"KFOR"'}
    for fmt in (formats.TURTLE, formats.N_TRIPLES, formats.N_QUADS, formats.JSON_LD, formats.HTML):
        response = client.get("/fragments", params=params, headers={"Accept": fmt.media_type})
        assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == fmt.media_type
        assert "Accept" in response.headers["vary"] and "max-age" in response.headers["cache-control"]
        if fmt is formats.JSON_LD:
            graph = Graph().parse(data=inline_context(response.content, context_document()), format="json-ld")
            assert (URIRef(BASE + "id/organization/kfor"), RDFS.label, Literal("KFOR")) in graph
        if fmt is formats.HTML:
            assert "/id/organization/kfor" in response.text
        again = client.get("/fragments", params=params,
                           headers={"Accept": fmt.media_type, "If-None-Match": response.headers["etag"]})
        assert again.status_code == 304
