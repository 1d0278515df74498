"""The query page at ``/``: rendered by the real app, assets local, examples and prefixes present."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from kfgraph.queries import examples
from kfgraph.settings import Settings
from kfgraph.store import open_store
from kfgraph.vocab import PREFIXES, sparql_prologue
from kfgraph.web.app import create_app
from kfgraph.web.templating import NAV, TEMPLATES_DIR

STATIC_DIR = TEMPLATES_DIR.parent / "static"
SVG_NS = "http://www.w3.org/2000/svg"  # CodeMirror creates SVG elements: a namespace, never fetched
NAMESPACES = (*PREFIXES.values(), SVG_NS)
URL = re.compile(r"https?://[^\s\"'<>)\\]*")


@pytest.fixture()
def client() -> Iterator[TestClient]:
    app = create_app(Settings(), open_store(None))
    with TestClient(app) as test_client:
        yield test_client


def page(client: TestClient, **params: str) -> BeautifulSoup:
    response = client.get("/", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def page_data(soup: BeautifulSoup) -> dict[str, object]:
    script = soup.find("script", id="page-data")
    assert script is not None
    return dict(json.loads(script.string or ""))


def test_editor_is_prefilled_with_every_prefix(client: TestClient) -> None:
    soup = page(client)
    textarea = soup.find("textarea", id="query")
    assert textarea is not None
    assert textarea.text.startswith(sparql_prologue())
    assert len(PREFIXES) == textarea.text.count("PREFIX ")
    assert soup.find("label", attrs={"for": "query"}) is not None


def test_every_example_is_selectable(client: TestClient) -> None:
    soup = page(client)
    expected = examples()
    assert len(expected) >= 1
    options = [o for o in soup.select("select#example option") if o.get("value")]
    assert [(o["value"], o.text) for o in options] == [(e.name, e.title) for e in expected]
    data = page_data(soup)
    assert data["examples"] == [{"name": e.name, "title": e.title, "text": e.text} for e in expected]


def test_query_from_the_url_is_loaded_and_escaped(client: TestClient) -> None:
    query = 'ASK { ?s ?p "</textarea><script>alert(1)</script>" }'
    soup = page(client, query=query, run="1")
    textarea = soup.find("textarea", id="query")
    assert textarea is not None and textarea.text == query
    assert not [s for s in soup.find_all("script") if "alert(1)" in (s.string or "")]
    assert page_data(soup)["run"] is True
    assert page_data(page(client, query=query))["run"] is False


def test_download_links_point_at_sparql_and_work(client: TestClient) -> None:
    soup = page(client)
    query = soup.find("textarea", id="query").text  # type: ignore[union-attr]
    for fmt, media_type in (("csv", "text/csv"), ("json", "application/sparql-results+json")):
        link = soup.find("a", id=f"download-{fmt}")
        assert link is not None
        href = str(link["href"])
        assert urlsplit(href).path == "/sparql"
        assert parse_qs(urlsplit(href).query) == {"query": [query], "format": [fmt]}
        response = client.get(href)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
    turtle = soup.find("a", id="download-turtle")
    assert turtle is not None and parse_qs(urlsplit(str(turtle["href"])).query)["format"] == ["turtle"]


def test_header_navigation(client: TestClient) -> None:
    soup = page(client)
    links = soup.select("header nav a")
    assert [(a.text, a["href"]) for a in links] == list(NAV)
    assert [a.text for a in links if a.get("aria-current") == "page"] == ["Query"]


def local_assets(soup: BeautifulSoup) -> list[str]:
    refs = [str(tag.get("src") or tag.get("href")) for tag in soup.find_all(["script", "link"])]
    return [ref for ref in refs if ref != "None"]


def test_assets_are_served_locally(client: TestClient) -> None:
    soup = page(client)
    assets = local_assets(soup)
    assert {"/static/kfgraph.css", "/static/query.js", "/static/vendor/codemirror-sparql.min.js"} <= set(assets)
    for ref in assets:
        assert ref.startswith("/static/") or ref == "/favicon.ico", ref
        response = client.get(ref)
        assert response.status_code == 200, ref
        assert len(response.content) > 100, ref


def test_no_external_references(client: TestClient) -> None:
    """Nothing may need the internet: every URL is ours (the data base IRI) or a namespace IRI never fetched."""
    soup = page(client)
    for tag in soup.find_all(True):
        for attribute in ("src", "href", "action", "srcset", "poster", "data"):
            value = tag.get(attribute)
            if value is not None:
                assert not URL.match(str(value)), f"<{tag.name} {attribute}={value!r}>"
    texts = {"/": client.get("/").text}
    texts.update({ref: client.get(ref).text for ref in local_assets(soup)})
    checked = 0
    for where, text in texts.items():
        if where.startswith("/static/vendor/") and not where.endswith("codemirror-sparql.min.js"):
            # Chart.js, Leaflet and vis-timeline keep their banners and messages, which name their
            # home pages; nothing there is fetched: CSS may only use relative url()s, and the browser
            # tests record every request the pages make.
            assert "@import" not in text
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), f"{where}: an absolute url()"
            continue
        for url in URL.findall(text):
            assert url.startswith((*NAMESPACES, Settings().base_iri)), f"{where}: external reference {url}"
            checked += 1
    assert checked >= len(PREFIXES)  # the scan did see the namespace IRIs
    assert "@import" not in texts["/static/kfgraph.css"]
    assert "url(" not in texts["/static/kfgraph.css"]


def test_vendored_editor_is_small_and_licensed() -> None:
    vendor = STATIC_DIR / "vendor"
    assert (vendor / "codemirror-sparql.min.js").stat().st_size < 500_000
    assert "MIT License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert "esbuild" in (vendor / "README.md").read_text(encoding="utf-8")
