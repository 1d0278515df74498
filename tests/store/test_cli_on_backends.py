"""``kfgraph build/query/export/validate --store DIR|URL`` on every backend."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kfgraph.cli import main
from kfgraph.settings import PROJECT_ROOT, Settings

SEED = PROJECT_ROOT / "data" / "releases" / "2022-12-21-kfor-jarinje-presence.txt"


def store_arg(settings: Settings) -> str:
    return settings.store_url or str(settings.store)


def test_build_query_export_validate(backend: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    if backend.store_user:
        monkeypatch.setenv("KFGRAPH_STORE_USER", backend.store_user)
        monkeypatch.setenv("KFGRAPH_STORE_PASSWORD", backend.store_password)
    where = store_arg(backend)
    assert main(["build", str(SEED), "--store", where, "--workers", "1", "--report", str(tmp_path / "r.json")]) == 0
    assert backend.store_password == "" or backend.store_password not in capsys.readouterr().err

    query = ("PREFIX schema: <https://schema.org/> SELECT ?d WHERE { ?r schema:identifier "
             '"2022-12-21-kfor-jarinje-presence" ; schema:datePublished ?d }')
    assert main(["query", query, "--store", where, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["d", "2022-12-21"]

    out = tmp_path / "dump.nq"
    assert main(["export", "--store", where, "--format", "nquads", "-o", str(out)]) == 0
    graphs = {q.graph_name.value for q in ox.parse(out.read_bytes(), format=ox.RdfFormat.N_QUADS)}  # type: ignore[union-attr]
    assert "http://localhost:8000/id/release/2022-12-21-kfor-jarinje-presence" in graphs
    assert "http://localhost:8000/graph/gazetteer" in graphs

    assert main(["validate", "--store", where]) == 0
    # the shared graphs, then the release graph, then the build record and the summaries
    assert "4 of 4 conform" in capsys.readouterr().err
