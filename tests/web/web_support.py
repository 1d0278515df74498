"""Shared helpers of the web tests (imported by conftest and the test modules)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kfgraph.settings import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "small.trig"
BASE = "http://localhost:8000/"
R1, R2, R3 = (f"{BASE}id/release/r{i}" for i in (1, 2, 3))
GAZETTEER = f"{BASE}graph/gazetteer"


def build_store(path: Path, trig: Path = FIXTURE) -> Path:
    store = ox.Store(str(path))
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return path


def make_settings(store: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"store": store, "query_workers": 2, "query_timeout": 10.0}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
