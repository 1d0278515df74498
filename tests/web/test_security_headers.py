"""Every response carries a Content-Security-Policy; data never becomes a link a browser follows but http(s)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from kfgraph.store import GraphUpdate, open_store
from kfgraph.web.app import create_app
from kfgraph.web.security_headers import CONTENT_SECURITY_POLICY
from kfgraph.web.templating import web_link
from web_support import BASE, FIXTURE, R1, make_settings

PAGES = ["/", "/releases", "/entities", "/validate", "/dumps", "/ontology", "/sparql", "/id/release/r1",
         "/.well-known/void", "/no/such/page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_policy(app_client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = app_client().get(path, headers={"Accept": "text/html"})
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_policy_forbids_inline_and_foreign_scripts() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    ("url", "followable"),
    [("https://jfcnaples.nato.int/kfor/media-center", True), ("http://example.org/a b", True),
     ("javascript:alert(3)", False), ("JAVASCRIPT:alert(3)", False), ("  javascript:alert(3)", False),
     ("data:text/html,<script>alert(1)</script>", False), ("vbscript:x", False), ("//evil.example/", False),
     ("", False)],
)
def test_web_link_keeps_only_http(url: str, followable: bool) -> None:
    assert web_link(url) == (url if followable else "")


@pytest.fixture()
def hostile_store(tmp_path: Path) -> Path:
    """The web fixture plus a release whose original URL and one mentioned IRI are scripts."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG):
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    release = ox.NamedNode(R1)
    by_graph[R1] += [
        ox.Triple(release, ox.NamedNode("https://schema.org/url"), ox.Literal("javascript:alert(3)")),
        ox.Triple(release, ox.NamedNode("https://schema.org/mentions"), ox.NamedNode("javascript:alert(4)")),
    ]
    store = open_store(tmp_path / "store")
    store.replace_graphs([GraphUpdate(g, ox.serialize(t, format=ox.RdfFormat.N_TRIPLES).decode()) for g, t in by_graph.items()])
    store.close()
    return tmp_path / "store"


def test_a_script_url_in_the_data_is_shown_not_linked(hostile_store: Path) -> None:
    """Regression: a release url of javascript:alert(3) became a live "Original" link."""
    with TestClient(create_app(make_settings(hostile_store, query_workers=1))) as client:
        page = client.get("/id/release/r1", headers={"Accept": "text/html"})
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    hrefs = [a.get("href", "") for a in soup.find_all("a")]
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert "javascript:alert(3)" in page.text  # still shown, as text
    assert BASE  # the fixture's base, for the reader
