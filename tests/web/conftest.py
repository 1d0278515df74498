"""Fixtures for the web tests: a small on-disk store, apps built by the factory, a live uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kfgraph.web.app import create_app
from kfgraph.web.server import background_server
from web_support import build_store, make_settings, wait_until_answering

@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "store")


@pytest.fixture(scope="module")
def live_url(store_path: Path) -> Iterator[str]:
    """Base URL of real uvicorn on a free loopback port serving the small store."""
    with background_server(create_app(make_settings(store_path))) as url:
        wait_until_answering(url)
        yield url



@pytest.fixture()
def http(live_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_url, timeout=15) as client:
        yield client


@pytest.fixture()
def app_client(store_path: Path):  # type: ignore[no-untyped-def]
    """Build an ASGI test client for an app with the given setting overrides (lifespan runs)."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        settings = make_settings(store_path, **{"query_workers": 1, **overrides})
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
