"""No page, and nothing a page loads, comes from outside the server: every kind of page, found by crawling.

The crawl starts at ``START_PAGES`` (add a page no link reaches there), follows
every same-server link of the HTML it fetches, and keeps one page per *shape*
of URL: ``/id/person/…`` once, ``/entities?type=…`` once, ``/releases`` once.
Each kept page is then opened in Chromium, whose every request not to the
server is blocked and recorded (``conftest.browser_page``), and must load with
status 200, no blocked request and no script error. A new page linked from
the header or any list is covered without changing this test.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from kfgraph.store import open_store
from kfgraph.web.server import background_server
from linked_data_store import built_store_path, make_app

pytestmark = pytest.mark.browser

START_PAGES = ("/", "/search?q=Pristina", "/search?q=kfor&type=release", "/validate")
"""Where the crawl starts; pages that no link reaches belong here too."""
MAX_SHAPES = 80
NOT_PAGES = re.compile(r"^/(?:sparql|dumps/|graph\?|static/|\.well-known/void\.)|\.(?:ttl|jsonld|nt|rdf|nq|trig|gz|json)$")
"""Links to data rather than pages (downloads, RDF representations): fetched by people, not rendered."""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    store = open_store(built_store_path(), read_only=True)
    with background_server(make_app(store)) as url:
        yield url.rstrip("/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.extend(v for k, v in attrs if k == "href" and v)


def shape(path: str) -> str:
    """What pages of one kind share: ``/id/person/*``, ``/entities?type``, ``/search?q&type``."""
    parts = urlsplit(path)
    segments = parts.path.split("/")
    if len(segments) > 3:
        segments = segments[:3] + ["*"]
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True) if name != "page"})
    return "/".join(segments) + ("?" + "&".join(names) if names else "")


def crawl(site: str) -> list[str]:
    """One path per shape of page, reachable from ``START_PAGES``."""
    kept: dict[str, str] = {}
    queue: deque[str] = deque(START_PAGES)
    seen = set(queue)
    with httpx.Client(base_url=site, timeout=30) as client:
        while queue and len(kept) < MAX_SHAPES:
            path = queue.popleft()
            if shape(path) in kept:
                continue
            response = client.get(path, headers={"Accept": "text/html"})
            assert response.status_code == 200, f"{path}: {response.status_code}"
            kept[shape(path)] = path
            if not response.headers["content-type"].startswith("text/html"):
                continue
            parser = _Links()
            parser.feed(response.text)
            for link in parser.links:
                if link.startswith(site):
                    link = link[len(site):]
                if not link.startswith("/") or link.startswith("//") or NOT_PAGES.search(link.split("#")[0]):
                    continue
                link = link.split("#", 1)[0]
                if link not in seen and shape(link) not in kept:
                    seen.add(link)
                    queue.append(link)
    return list(kept.values())


@pytest.fixture(scope="module")
def pages(site: str) -> list[str]:
    found = crawl(site)
    shapes = {shape(p) for p in found}
    for expected in ("/", "/releases", "/entities", "/entities?type", "/search?q", "/validate", "/id/person/*",
                     "/id/place/*", "/id/release/*", "/dumps"):
        assert expected in shapes, f"the crawl missed {expected}: {sorted(shapes)}"
    return found


def test_the_crawl_covers_every_kind_of_page(pages: list[str]) -> None:
    assert len(pages) >= 15


def test_no_page_fetches_anything_from_outside(site: str, pages: list[str], browser_page: Any) -> None:
    page = browser_page.page
    problems = []
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in pages:
        requests.clear()
        response = page.goto(site + path, wait_until="networkidle")
        if response is None or response.status != 200:
            problems.append(f"{path}: status {response.status if response else 'none'}")
        outside = [url for url in requests if not url.startswith((site + "/", "data:", "blob:"))]
        assert any(url == site + "/favicon.ico" for url in requests) or page.evaluate(
            "() => !!document.querySelector('link[rel=icon]')"), f"{path} has no icon"
        if outside:
            problems.append(f"{path}: {outside}")
    assert browser_page.blocked == [], f"requests left the server: {browser_page.blocked}"
    assert browser_page.page_errors == [], browser_page.page_errors
    assert not problems, problems
