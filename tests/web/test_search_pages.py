"""``/search`` (HTML and JSON), the lists read from the search index, the favicon, over the graph of data/releases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kfgraph.store import open_store
from linked_data_store import built_store_path, make_app

BASE = "http://localhost:8000/"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = open_store(built_store_path(), read_only=True)
    with TestClient(make_app(store)) as test_client:
        yield test_client


def test_search_json_by_suffix_and_by_accept(client: TestClient) -> None:
    by_suffix = client.get("/search.json", params={"q": "Prishtina", "limit": 3})
    assert by_suffix.status_code == 200 and by_suffix.headers["content-type"] == "application/json"
    body = by_suffix.json()
    assert body["query"] == "Prishtina"
    first = body["entities"]["items"][0]
    assert first["iri"] == BASE + "id/place/pristina" and first["href"] == "/id/place/pristina"
    assert first["kind"] == "place" and first["releases"] >= 1 and first["mentions"] >= first["releases"]
    assert body["counts"]["place"] >= 1 and len(body["entities"]["items"]) <= 3
    negotiated = client.get("/search", params={"q": "Prishtina", "limit": 3}, headers={"Accept": "application/json"})
    assert negotiated.json() == body and "Accept" in negotiated.headers["vary"]
    page = client.get("/search", params={"q": "Prishtina"}, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "/id/place/pristina" in page.text


def test_search_pages_a_kind_with_totals(client: TestClient) -> None:
    body = client.get("/search.json", params={"q": "kfor", "type": "release", "limit": 2}).json()
    total = body["releases"]["total"]
    assert total > 2 and body["entities"]["total"] == 0 and body["counts"]["release"] == total
    second = client.get("/search.json", params={"q": "kfor", "type": "release", "limit": 2, "page": 2}).json()
    assert second["releases"]["offset"] == 2
    assert {r["iri"] for r in second["releases"]["items"]}.isdisjoint(r["iri"] for r in body["releases"]["items"])
    page = client.get("/search", params={"q": "kfor", "type": "release"})
    assert f"of {total}" in page.text


@pytest.mark.parametrize("params", [{"q": "x", "type": "spaceship"}, {"q": "x", "limit": "0"}, {"q": "x", "page": "0"},
                                    {"q": "x", "limit": "51"}])
def test_bad_parameters_are_400(client: TestClient, params: dict[str, str]) -> None:
    assert client.get("/search.json", params=params).status_code == 400


def test_an_empty_query_finds_nothing_and_says_how_to_search(client: TestClient) -> None:
    body = client.get("/search.json", params={"q": "  "}).json()
    assert body["entities"]["total"] == 0 and body["releases"]["total"] == 0
    assert "any of their names" in client.get("/search").text


def test_every_page_has_the_search_box_and_an_icon(client: TestClient) -> None:
    for path in ("/", "/releases", "/entities", "/validate", "/search?q=kfor", "/id/place/pristina"):
        text = client.get(path, headers={"Accept": "text/html"}).text
        assert 'id="site-search-q"' in text and 'action="/search"' in text, path
        assert 'rel="icon" href="/favicon.ico"' in text, path
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_entities_overview_and_lists_with_totals(client: TestClient) -> None:
    overview = client.get("/entities").text
    assert "Most mentioned" in overview and "Releases: how many releases mention it" in overview
    assert "ORGANIZATION · ORGANIZATION" not in overview
    places = client.get("/entities", params={"type": "place"}).text
    assert "Places 1–" in places and "most mentioned first" in places
    assert "/id/place/pristina" in places
    assert "The SPARQL query behind this list" in places
    posts = client.get("/entities", params={"type": "membership"})
    assert posts.status_code == 200 and "/id/membership/" in posts.text


def test_a_release_without_headline_is_listed_by_its_first_sentence(client: TestClient) -> None:
    text = client.get("/releases").text
    assert "Releases 1–" in text and "newest first" in text
    assert "KFOR&#39;s recent increased presence in Jarinje" in text or "KFOR's recent increased presence in Jarinje" in text
    assert ">/id/release/" not in text  # no raw paths as titles
