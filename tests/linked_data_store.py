"""A store for the Linked Data tests: the real pipeline over ``data/releases``, built once per test process."""

from __future__ import annotations

from pathlib import Path

from kfgraph.pipeline import build
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import OxigraphStore, open_store

RELEASES = PROJECT_ROOT / "data" / "releases"


def build_store(path: Path, settings: Settings) -> OxigraphStore:
    """Build the store at ``path`` from every release in ``data/releases``."""
    store = open_store(path)
    summary = build([RELEASES], settings=settings, store=store)
    assert summary.count("stored") >= 10, summary.to_json()
    store.flush()
    return store


_BUILT: dict[str, Path] = {}


def built_store_path() -> Path:
    """Build the test store once per test process (closed again), and return its folder; removed at exit."""
    if "path" not in _BUILT:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="kfgraph-ld-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        store = build_store(folder / "store", ld_settings(folder / "store"))
        store.close()
        _BUILT["path"] = folder / "store"
    return _BUILT["path"]


def ld_settings(store_path: Path) -> Settings:
    return Settings(store=store_path, workers=1)


def make_app(store: OxigraphStore):  # type: ignore[no-untyped-def]
    """The real app (``create_app``, every router) over ``store``."""
    from kfgraph.web.app import create_app

    return create_app(ld_settings(store.path or Path("unused")), store)
