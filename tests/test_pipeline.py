"""The pipeline end to end: determinism, bad input reported per file, quarantine, atomic replacement."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kfgraph.cli import main
from kfgraph.models import Entity, EntityKind, Extraction, Rank, Release
from kfgraph.pipeline import QUARANTINED, STORED, UNREADABLE, ReleaseProcessor, build
from kfgraph.settings import Settings
from kfgraph.store import open_store

from kfgraph.settings import PROJECT_ROOT

RELEASES = PROJECT_ROOT / "data" / "releases"

SEED = RELEASES / "2022-12-21-kfor-jarinje-presence.txt"

GOOD = """Search our content

Mar 3 2023

PRISTINA - KFOR soldiers of Regional Command-East patrolled near the Merdare crossing on 2 March 2023 together with the Kosovo Police.

Story by KFOR Public Affairs Office
"""


def sorted_nquads(store) -> list[str]:
    buffer = io.BytesIO()
    store.dump(buffer, "application/n-quads")
    return sorted(buffer.getvalue().decode("utf-8").splitlines())


def test_two_builds_give_the_same_dataset(tmp_path: Path) -> None:
    """Isomorphic, but for the build record ({base}graph/builds), which says when each build ran."""
    dumps = []
    for name, workers in (("a", 1), ("b", 2)):
        store = open_store(tmp_path / name)
        build([RELEASES], settings=Settings(store=tmp_path / name, workers=workers, batch_size=4), store=store)
        dumps.append([line for line in sorted_nquads(store) if not line.endswith(f"<{BUILDS}> .")])
        store.close()
    assert "_:" not in "".join(dumps[0])  # no blank nodes, so equal sorted N-Quads means isomorphic
    assert dumps[0] == dumps[1]


def test_bad_files_are_reported_and_the_rest_is_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023-03-03-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("PRISTINA - KFOR a visité le camp.".encode("latin-1"))
    (folder / "truncated.json").write_text('{"id": "x", "body": "KFOR patrol', encoding="utf-8")
    store = open_store(None)
    summary = build([folder], settings=Settings(workers=1), store=store)
    by_file = {Path(o.source).name: o for o in summary.outcomes}
    assert by_file["2023-03-03-good.txt"].status == STORED
    for name in ("binary.txt", "empty.txt", "latin1.txt", "truncated.json"):
        assert by_file[name].status == UNREADABLE, name
        assert by_file[name].reason
    assert "UTF-8" in by_file["latin1.txt"].reason
    graphs = set(store.graph_names())
    assert any(g.endswith("/id/release/2023-03-03-good") for g in graphs)
    assert summary.exit_code == 1


def test_cli_build_exit_codes_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023-03-03-good.txt").write_text(GOOD, encoding="utf-8")
    assert main(["build", str(folder), "--store", str(tmp_path / "s"), "--workers", "1"]) == 0
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00\x00")
    report = tmp_path / "report.json"
    assert main(["build", str(folder), "--store", str(tmp_path / "s"), "--report", str(report), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "broken.txt" in err and "stored 1" in err
    problems = json.loads(report.read_text())["problems"]
    assert [Path(p["source"]).name for p in problems] == ["broken.txt"]
    assert main(["build", str(tmp_path / "missing"), "--store", str(tmp_path / "s")]) == 2


class _BadRankExtractor:
    """Gives every release a person whose rank code breaks the rank pattern."""

    def extract(self, release: Release) -> Extraction:
        person = Entity(EntityKind.PERSON, "jane-doe", "Jane Doe", rank=Rank("Major General", "XX-7"))
        return Extraction(release, (person,))


def test_nonconforming_release_is_quarantined_and_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(workers=1)
    store = open_store(None)
    build([SEED], settings=settings, store=store)
    assert any(g.endswith("2022-12-21-kfor-jarinje-presence") for g in store.graph_names())

    real = ReleaseProcessor.from_settings(settings)
    bad = ReleaseProcessor(_BadRankExtractor(), real.minter, real.validator)
    monkeypatch.setattr(ReleaseProcessor, "from_settings", classmethod(lambda cls, s: bad))
    summary = build([SEED], settings=settings, store=store)
    [outcome] = summary.outcomes
    assert outcome.status == QUARANTINED
    assert outcome.results and any(r.severity == "Violation" for r in outcome.results)
    assert "conform" in outcome.reason
    assert not any(g.endswith("2022-12-21-kfor-jarinje-presence") for g in store.graph_names())


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk-first-build-bulk-loaded"])
def test_rebuilding_a_release_replaces_its_graph(tmp_path: Path, on_disk: bool) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    release = folder / "2023-03-03-good.txt"
    release.write_text(GOOD, encoding="utf-8")
    store = open_store(tmp_path / "store" if on_disk else None)
    build([folder], settings=Settings(workers=1), store=store)
    in_a_release = 'ASK {{ GRAPH ?g {{ ?x <http://www.w3.org/2000/01/rdf-schema#label> "{}" }} FILTER(CONTAINS(STR(?g), "/id/release/")) }}'
    assert store.query(in_a_release.format("Merdare"))
    release.write_text(GOOD.replace("Merdare", "Jarinje"), encoding="utf-8")
    build([folder], settings=Settings(workers=1), store=store)
    assert not store.query(in_a_release.format("Merdare"))
    assert store.query(in_a_release.format("Jarinje"))


class _CrashingExtractor:
    """Stands for an extractor bug that only one release triggers."""

    def extract(self, release: Release) -> Extraction:
        if "Merdare" in release.text:
            raise ValueError("boom")
        return Extraction(release)


def test_an_extractor_bug_on_one_release_does_not_stop_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023-03-03-a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "2023-03-03-b.txt").write_text(GOOD.replace("Merdare", "Jarinje"), encoding="utf-8")
    settings = Settings(workers=1)
    real = ReleaseProcessor.from_settings(settings)
    crashing = ReleaseProcessor(_CrashingExtractor(), real.minter, real.validator)
    monkeypatch.setattr(ReleaseProcessor, "from_settings", classmethod(lambda cls, s: crashing))
    summary = build([folder], settings=settings, store=open_store(None))
    status = {Path(o.source).name: (o.status, o.reason) for o in summary.outcomes}
    assert status["2023-03-03-b.txt"] == (STORED, None)
    assert status["2023-03-03-a.txt"][0] == UNREADABLE and "ValueError: boom" in status["2023-03-03-a.txt"][1]


BUILDS = "http://localhost:8000/graph/builds"
PROV = "http://www.w3.org/ns/prov#"


def generated_by(store) -> dict[str, str]:
    rows = store.query(f"SELECT ?g ?a WHERE {{ GRAPH <{BUILDS}> {{ ?g <{PROV}wasGeneratedBy> ?a }} }}")
    return {row["g"].value: row["a"].value for row in rows}


def test_each_build_is_a_prov_activity_that_generated_its_graphs(tmp_path: Path) -> None:
    from kfgraph import __version__

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023-03-03-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "2023-03-04-other.txt").write_text(GOOD.replace("Merdare", "Jarinje"), encoding="utf-8")
    store = open_store(tmp_path / "s")
    summary = build([folder], settings=Settings(store=tmp_path / "s", workers=1), store=store)
    first = generated_by(store)
    graphs = set(store.graph_names()) - {BUILDS}
    assert set(first) == graphs and len(set(first.values())) == 1, "every graph, by one build"
    (activity,) = set(first.values())
    facts = {row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: row["o"].value for row in store.query(
        f"SELECT ?p ?o WHERE {{ GRAPH <{BUILDS}> {{ <{activity}> ?p ?o }} }}")}
    assert facts["releasesStored"] == "2" == str(summary.count(STORED)) and facts["triplesStored"] == str(summary.triples)
    assert facts["startedAtTime"] <= facts["endedAtTime"]
    version = store.query(f"""SELECT ?v WHERE {{ GRAPH <{BUILDS}> {{ <{activity}> <{PROV}wasAssociatedWith> ?agent .
        ?agent <https://schema.org/softwareVersion> ?v }} }}""")
    assert [row["v"].value for row in version] == [__version__]

    # a second build of one file: that release (and the shared graphs) move to the new activity, the other stays
    (folder / "2023-03-04-other.txt").unlink()
    build([folder], settings=Settings(store=tmp_path / "s", workers=1), store=store)
    second = generated_by(store)
    other = next(g for g in first if g.endswith("2023-03-04-other"))
    assert second[other] == activity and len(set(second.values())) == 2
    activities = store.query(f"SELECT ?a WHERE {{ GRAPH <{BUILDS}> {{ ?a a <{PROV}Activity> }} }}")
    assert len(list(activities)) == 2

    # whatever a build keeps or drops, the record names exactly the graphs present
    (folder / "2023-03-03-good.txt").write_bytes(b"\x00\x01binary")
    build([folder], settings=Settings(store=tmp_path / "s", workers=1), store=store)
    assert set(generated_by(store)) == set(store.graph_names()) - {BUILDS}
    store.remove_graphs([g for g in store.graph_names() if g.endswith("2023-03-03-good")])
    build([folder], settings=Settings(store=tmp_path / "s", workers=1), store=store)
    assert set(generated_by(store)) == set(store.graph_names()) - {BUILDS}
    store.close()
