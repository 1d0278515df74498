"""``store_on``: a fresh, empty kfgraph store on each backend (embedded Oxigraph, Virtuoso, oxigraph serve)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sparql_engines import BACKENDS, backend_settings, clear_store

from kfgraph.settings import Settings
from kfgraph.store import Store, open_store_url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings pointing at one backend; remote engines are shared by the session and emptied here."""
    engine = None if request.param == "embedded" else request.getfixturevalue(
        "virtuoso_engine" if request.param == "virtuoso" else "oxigraph_engine")
    settings = backend_settings(request.param, engine, tmp_path, workers=1)
    assert isinstance(settings, Settings)
    if engine is not None:
        store = open_store_url(None, settings=settings)
        clear_store(store)
        store.close()
    return settings


@pytest.fixture
def store(backend: Settings) -> Iterator[Store]:
    opened = open_store_url(None, settings=backend)
    yield opened
    opened.close()
