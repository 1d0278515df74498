"""One JSON-LD context, served at /context.jsonld and named by every JSON-LD response."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from linked_data_store import built_store_path, make_app

from kfgraph.store import open_store
from kfgraph.vocab import PREFIXES

BASE = "http://localhost:8000/"
CONTEXT = BASE + "context.jsonld"
JSONLD = {"Accept": "application/ld+json"}
TURTLE = "@prefix ex: <http://example.org/> . ex:a a ex:Thing ."


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = open_store(built_store_path(), read_only=True)
    with TestClient(make_app(store), base_url=BASE.rstrip("/")) as test_client:  # type: ignore[arg-type]
        yield test_client


def test_the_context_maps_every_published_prefix(client: TestClient) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200 and response.headers["content-type"] == "application/ld+json"
    context = response.json()["@context"]
    for prefix, namespace in PREFIXES.items():
        assert context[prefix] == namespace
    assert context["hydra"] == "http://www.w3.org/ns/hydra/core#" and context["void"] == "http://rdfs.org/ns/void#"
    assert "max-age" in response.headers["cache-control"]


@pytest.mark.parametrize("request_", [
    ("GET", "/id/organization/kfor", None),
    ("GET", "/id/organization/kfor.jsonld?page=1", None),
    ("GET", "/.well-known/void", None),
    ("GET", "/ontology", None),
    ("GET", "/shapes", None),
    ("GET", "/sparql", None),
    ("GET", "/sparql?query=CONSTRUCT%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%203", None),
    ("GET", "/sparql?query=CONSTRUCT%20%7B%7D%20WHERE%20%7B%7D", None),
    ("GET", "/graph?graph=http%3A%2F%2Flocalhost%3A8000%2Fgraph%2Flinks", None),
    ("GET", "/fragments?object=%22KFOR%22", None),
    ("POST", "/validate", TURTLE),
], ids=lambda r: f"{r[0]} {r[1][:40]}")
def test_every_jsonld_response_names_the_context(client: TestClient, request_: tuple[str, str, str | None]) -> None:
    method, path, body = request_
    headers = dict(JSONLD, **({"Content-Type": "text/turtle"} if body else {}))
    response = client.request(method, path, headers=headers, content=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert isinstance(document, dict) and document["@context"] == CONTEXT, str(document)[:300]
