"""Shared fixtures: settings for tests and one store built from data/ per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kfgraph.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "data"
RELEASES = DATA / "releases"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's KFGRAPH_* settings."""
    import os

    for name in list(os.environ):
        if name.startswith("KFGRAPH_") and name != "KFGRAPH_TEST_ARTIFACTS":
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def data_store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An on-disk store built by the real pipeline from data/releases, once per session."""
    from kfgraph.pipeline import build
    from kfgraph.store import open_store

    path = tmp_path_factory.mktemp("data-store") / "store"
    settings = Settings(store=path, workers=1)
    store = open_store(path)
    summary = build([RELEASES], settings=settings, store=store)
    store.close()
    assert summary.count("stored") >= 13, summary.to_json()
    yield path


@pytest.fixture(scope="session")
def shapes_validator() -> object:
    """The shapes of this checkout with the shared graphs a build of it writes (ontology/, data/gazetteer/)."""
    from kfgraph.shared_graphs import validator_from_settings

    return validator_from_settings(Settings())


# --------------------------------------------------------------------------- remote SPARQL engines (issue 6)
# Started once per session on loopback when their binaries exist (CI installs both); skipped otherwise.


@pytest.fixture(scope="session")
def virtuoso_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A Virtuoso (Debian virtuoso-opensource) with a generated ini and dba password."""
    from sparql_engines import EngineUnavailable, start_virtuoso

    try:
        engine = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except EngineUnavailable as error:
        pytest.skip(f"Virtuoso unavailable: {error}")
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def oxigraph_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """``oxigraph serve`` (PyPI oxigraph) as a generic SPARQL 1.1 store."""
    from sparql_engines import EngineUnavailable, start_oxigraph

    try:
        engine = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    except EngineUnavailable as error:
        pytest.skip(f"oxigraph serve unavailable: {error}")
    yield engine
    engine.stop()
