"""A remote engine that dies in the middle of a build: the build reports the lost releases and exits 1;
rerun, it completes and the dataset equals a clean build's."""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_engines import Engine, EngineUnavailable, assert_same_quads, start_oxigraph, start_virtuoso

from kfgraph.errors import StoreError
from kfgraph.pipeline import STORED, UNREADABLE, build
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import Store, open_store, open_store_url

COUNT, BATCH = 18, 6
"""18 synthetic releases in batches of 6: three store writes, the engine dies after the first."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    try:
        synth = importlib.import_module("synth")
    finally:
        sys.path.remove(str(PROJECT_ROOT / "bench"))
    folder = tmp_path_factory.mktemp("synth-corpus")
    synth.write_corpus(COUNT, 7, folder)
    return folder


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    try:
        started = start_oxigraph(tmp_path / "engine")
    except EngineUnavailable as error:
        pytest.skip(f"oxigraph serve unavailable: {error}")
    yield started
    started.stop()


@pytest.fixture(params=["oxigraph-server", "virtuoso"])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine of its own (it gets killed): ``oxigraph serve`` or Virtuoso."""
    start = start_oxigraph if request.param == "oxigraph-server" else start_virtuoso
    try:
        started = start(tmp_path / "engine")
    except EngineUnavailable as error:
        pytest.skip(f"{request.param} unavailable: {error}")
    yield started
    started.stop()


def release_quads(store: Store) -> list[ox.Quad]:
    out = io.BytesIO()
    store.dump(out, "application/n-quads")
    graph = "http://localhost:8000/id/release/"
    found = ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)
    return [q for q in found if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(graph)]


def test_engine_killed_mid_build_then_rerun_converges_to_a_clean_build(
    any_engine: Engine, corpus: Path, tmp_path: Path
) -> None:
    engine = any_engine
    # write_triples=1: every batch is written as soon as it is validated, so exactly one batch is stored
    settings = Settings(store_url=engine.store_url, store_user=engine.user, store_password=engine.password,
                        workers=1, batch_size=BATCH, write_triples=1)
    store = open_store_url(None, settings=settings)

    def kill_after_first_batch(done: int, total: int) -> None:
        if done == BATCH:
            engine.kill()

    broken = build([corpus], settings=settings, store=store, progress=kill_after_first_batch)
    assert broken.exit_code == 1
    assert broken.count(STORED) == BATCH
    lost = [o for o in broken.outcomes if o.status == UNREADABLE]
    assert len(lost) == COUNT - BATCH
    assert all(o.reason and o.reason.startswith("store write failed: cannot reach the store at") for o in lost)
    assert all(engine.store_url.removeprefix("sparql+") in (o.reason or "") for o in lost)
    assert engine.password == "" or all(engine.password not in (o.reason or "") for o in lost)

    engine.restart()
    rerun = build([corpus], settings=settings, store=store)
    assert rerun.exit_code == 0, rerun.problems()
    assert rerun.count(STORED) == COUNT

    clean_store = open_store(tmp_path / "clean")
    clean = build([corpus], settings=Settings(store=tmp_path / "clean", workers=1, batch_size=BATCH), store=clean_store)
    assert clean.count(STORED) == COUNT
    rebuilt, reference = release_quads(store), release_quads(clean_store)
    assert len({q.graph_name for q in reference}) == COUNT  # every release graph is compared
    assert len(rebuilt) == len(reference)
    assert_same_quads(rebuilt, reference)
    store.close()


def test_cli_build_against_a_dead_store_is_a_clear_error_not_a_crash(
    engine: Engine, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kfgraph.cli import main

    engine.kill()
    code = main(["build", str(corpus), "--store", engine.store_url, "--workers", "1",
                 "--report", str(tmp_path / "report.json")])
    assert code == 2
    assert f"cannot reach the store at {engine.query_url}" in capsys.readouterr().err


def test_a_store_error_names_the_url_but_never_the_password(engine: Engine) -> None:
    settings = Settings(store_url=engine.store_url.replace("://", "://kfg:s3cret-pw@"), store_password="other-pw")
    store = open_store_url(None, settings=settings)
    engine.kill()
    with pytest.raises(StoreError) as caught:
        store.remove_graphs(["http://localhost:8000/graph/release/x"])
    assert engine.query_url in caught.value.message
    assert "s3cret" not in caught.value.message and "other-pw" not in caught.value.message
    assert "s3cret" not in repr(settings) + repr(store) and "other-pw" not in repr(settings)
