"""A Linked Data page of each kind renders in headless Chromium, with no request leaving loopback.

The real app (with the Linked Data router) runs on uvicorn on a free loopback
port over the test store of ``tests/linked_data_store.py``; links on the pages
are server-relative, so the store's base IRI need not be the server's URL.
Screenshots go to ``test-artifacts/`` (``$KFGRAPH_TEST_ARTIFACTS`` overrides).
Chromium and Playwright come from ``conftest.py`` (skipped when missing).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfgraph.web.server import background_server
from linked_data_store import built_store_path, make_app

from kfgraph.store import open_store
from kfgraph.vocab import sparql_prologue

pytestmark = pytest.mark.browser

BASE = "http://localhost:8000/"
PAGES = {
    "person": "?s a schema:Person ; kfg:rank ?r",
    "organization": "?s a schema:Organization ; kfg:operatesUnder ?m",
    "place": "?s a schema:Place ; wgs:lat ?lat . ?e sem:hasPlace ?s",
    "event": "?s a schema:Event ; sem:hasActor ?a",
    "release": "?s a schema:NewsArticle ; kfg:reportsFigure ?f",
    "membership": "?s a org:Membership",
    "rank": "?s skos:inScheme kfg:RankScheme ; skos:broader ?b . ?p kfg:rank ?s",
}
LISTS = {"ontology": "/ontology", "releases": "/releases", "entities": "/entities?type=organization", "dumps": "/dumps"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def ld_server() -> Iterator[tuple[str, Any]]:
    """(server URL, store) with the real app on uvicorn."""
    store = open_store(built_store_path(), read_only=True)
    port = _free_port()
    with background_server(make_app(store), port=port) as url:
        yield url, store


def _example(store: Any, pattern: str) -> str:
    rows = list(store.query(sparql_prologue() + f"SELECT ?s WHERE {{ {pattern} }} ORDER BY ?s LIMIT 1"))
    assert rows, pattern
    iri = rows[0]["s"].value
    return "/" + iri.removeprefix(BASE).removeprefix("https://w3id.org/kfgraph/")


@pytest.mark.parametrize("kind", [*PAGES, *LISTS])
def test_page_renders_offline(ld_server: tuple[str, Any], browser_page: Any, artifacts: Path, kind: str) -> None:
    url, store = ld_server
    path = LISTS[kind] if kind in LISTS else _example(store, PAGES[kind])
    page = browser_page.page
    response = page.goto(url + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    heading = page.locator("h1").first
    assert heading.is_visible() and heading.inner_text().strip()
    if kind in PAGES:
        assert page.locator(f'a[href="{path}.ttl"]').count() == 1, "links to its Turtle"
        assert page.locator('a[href^="/?query="]').count() == 1, "links to the query behind it"
    if kind == "release":
        mentions = page.locator("a.mention")
        assert mentions.count() > 0 and mentions.first.is_visible()
    if kind == "place":
        page.wait_for_selector(".viz-map[data-ready=true]", timeout=15_000)
        assert page.locator(".viz-map path.viz-place--focus").count() == 1
    if kind == "organization":
        assert page.locator("table.ld-table").count() >= 1
    page.screenshot(path=str(artifacts / f"ld-{kind}.png"), full_page=True)
    assert browser_page.blocked == [], f"requests left loopback: {browser_page.blocked}"
    assert browser_page.page_errors == []
