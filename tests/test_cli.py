"""The kfgraph command: entry point, export, query and extract output, exit codes."""

from __future__ import annotations

import json
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kfgraph.cli import main
from kfgraph.settings import PROJECT_ROOT

SEED = PROJECT_ROOT / "data" / "releases" / "2022-12-21-kfor-jarinje-presence.txt"


def test_entry_point_in_pyproject_resolves() -> None:
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, attr = scripts["kfgraph"].partition(":")
    assert getattr(import_module(module), attr) is main


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "export", "query", "validate", "extract", "serve", "settings"):
        assert command in out


@pytest.mark.parametrize(("fmt", "parser"), [("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_formats_parse_to_the_same_quads(data_store_path: Path, tmp_path: Path, fmt: str, parser: str) -> None:
    out = tmp_path / f"dump.{fmt}"
    assert main(["export", "--store", str(data_store_path), "--format", fmt, "-o", str(out)]) == 0
    dataset = Dataset()
    dataset.parse(out, format=parser)
    reference = Dataset()
    nq = tmp_path / "reference.nq"
    main(["export", "--store", str(data_store_path), "--format", "nquads", "-o", str(nq)])
    reference.parse(nq, format="nquads")
    assert len(dataset) == len(reference) > 1000


def test_export_without_a_store_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--store", str(tmp_path / "none")]) == 2
    assert "kfgraph build" in capsys.readouterr().err


QUERY = 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?n WHERE { ?x rdfs:label ?n FILTER(?n = "Jarinje") } LIMIT 1'


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats(data_store_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["query", QUERY, "--store", str(data_store_path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "Jarinje"
    else:
        assert "Jarinje" in out and ("(1 row)" in out) == (fmt == "table")


def test_construct_query_gives_turtle(data_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    construct = "CONSTRUCT { ?p a <https://schema.org/Person> } WHERE { ?p a <https://schema.org/Person> } LIMIT 3"
    assert main(["query", construct, "--store", str(data_store_path), "--format", "turtle"]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == 3


def test_query_from_file_and_malformed_query(data_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.rq"
    path.write_text(QUERY, encoding="utf-8")
    assert main(["query", "-f", str(path), "--store", str(data_store_path)]) == 0
    assert main(["query", "SELECT ?x WHERE { ?x", "--store", str(data_store_path)]) == 2
    assert "malformed query" in capsys.readouterr().err


def test_extract_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED)]) == 0
    text = capsys.readouterr().out
    assert "Angelo Michele Ristuccia" in text and "Exercise" in text
    assert main(["extract", str(SEED), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["date_published"] == "2022-12-21"
    assert any(p["rank"] == "Major General" and p["code"] == "OF-7" for p in data["persons"])
    assert {e["type"] for e in data["events"]} >= {"Exercise", "Deployment"}


def test_extract_unreadable_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00\x00")
    assert main(["extract", str(bad)]) == 1
    assert "bad.txt" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback(data_store_path: Path) -> None:
    # "kfgraph export | head -c 10": the pipe closes after the first bytes while the export
    # (far more than a pipe buffer) is still being written
    import subprocess
    import sys

    command = [sys.executable, "-c", "import sys; from kfgraph.cli import main; sys.exit(main(sys.argv[1:]))",
               "export", "--store", str(data_store_path), "--format", "nquads"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10)
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert "Traceback" not in stderr
    assert code == 1
