"""Headless Chromium against the real app on a loopback port, over a tiny fixture store.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright's Python
package (never ``playwright install``); without either, browser tests skip.
Every request that does not go to 127.0.0.1 is blocked and recorded, so a
test can assert that the page needs no internet.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.web.app import create_app
from kfgraph.web.server import background_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIXTURE = Path(__file__).with_name("fixture.ttl")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go: $KFGRAPH_TEST_ARTIFACTS, else test-artifacts/ at the repo root."""
    folder = Path(os.environ.get("KFGRAPH_TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _build_store(path: Path, base_iri: str) -> None:
    """The fixture Turtle, resolved against the server's base, as one release graph."""
    import pyoxigraph as ox

    from kfgraph.store import GraphUpdate, open_store

    triples = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, base_iri=base_iri)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    store = open_store(path)
    try:
        store.replace_graphs([GraphUpdate(graph=base_iri + "id/release/fixture", ntriples=ntriples)])
    finally:
        store.close()


@dataclass
class LiveServer:
    url: str
    settings: Settings


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real kfgraph app served by uvicorn on a free loopback port."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    store_path = tmp_path_factory.mktemp("browser") / "store"
    _build_store(store_path, url)
    # max_result_rows is low so one test can see the truncation notice
    settings = Settings(base_iri=url, store=store_path, query_workers=1, query_timeout=10.0, max_result_rows=5)
    with background_server(create_app(settings), port=port):
        yield LiveServer(url=url, settings=settings)


@dataclass
class Browser:
    page: Any
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is missing: pip install playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def browser_page(_chromium: Any) -> Iterator[Browser]:
    """A fresh page; requests to anything but 127.0.0.1 are aborted and recorded."""
    context = _chromium.new_context(viewport={"width": 1280, "height": 900})
    result = Browser(page=context.new_page())

    def guard(route: Any) -> None:
        host = route.request.url.split("/")[2].rsplit(":", 1)[0] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            result.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    result.page.on("pageerror", lambda error: result.page_errors.append(str(error)))

    def csp_violation(message: Any) -> None:  # the page's Content-Security-Policy blocked something it uses
        if message.type == "error" and "Content Security Policy" in message.text:
            result.page_errors.append(message.text)

    result.page.on("console", csp_violation)
    try:
        yield result
    finally:
        context.close()
