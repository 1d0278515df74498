"""A build holds under bad records, huge or slow releases, link loops and a killed main process."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kfgraph.cli import main
from kfgraph.extract.fake import FakeExtractor
from kfgraph.models import Extraction, Release
from kfgraph.pipeline import STORED, UNREADABLE, ReleaseProcessor, build, work_units
from kfgraph.settings import Settings
from kfgraph.sources import find_release_files, release_inputs
from kfgraph.store import open_store

BODY = "PRISTINA - KFOR soldiers patrolled near the Merdare crossing on {day} March 2023 with the Kosovo Police."


def record(n: int, **fields: object) -> dict[str, object]:
    return {"id": f"rec-{n}", "title": f"Patrol {n}", "date": f"2023-03-{n % 28 + 1:02d}",
            "url": f"https://example.org/releases/{n}", "body": BODY.format(day=n % 28 + 1), **fields}


def stored_urls(store_path: Path) -> set[str]:
    store = open_store(store_path, read_only=True)
    try:
        rows = store.query("SELECT ?u WHERE { ?r <https://schema.org/url> ?u }")
        return {row["u"].value for row in rows}  # type: ignore[union-attr]
    finally:
        store.close()


# --------------------------------------------------------------------------- one bad record


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_url_with_a_space_costs_only_its_own_record(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The break: this record crashed `kfgraph build` with a traceback and none of its batch was stored."""
    records = [record(1), record(2, url="http://example.org/a b"), record(3)]
    path = tmp_path / f"batch{suffix}"
    text = json.dumps(records) if suffix == ".json" else "\n".join(json.dumps(r) for r in records)
    path.write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    code = main(["build", str(path), "--store", str(tmp_path / "store"), "--workers", "1", "--report", str(report)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["stored"], data["unreadable"]) == (2, 1)
    (problem,) = data["problems"]
    where = "record 1" if suffix == ".json" else "line 2"
    assert problem["source"] == str(path)
    assert problem["record"] == f'{where} (id "rec-2")'
    assert problem["reason"] == (
        f"{where} (id \"rec-2\"): field 'url' is not a valid URL: 'http://example.org/a b' (Invalid IRI code point ' ')"
    )
    assert stored_urls(tmp_path / "store") == {"https://example.org/releases/1", "https://example.org/releases/3"}


def test_a_javascript_url_is_dropped_with_a_warning_and_the_release_stored(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps([record(1, url="javascript:alert(3)"), record(2, url="  JAVASCRIPT:alert(1)")]))
    summary = build([path], settings=Settings(workers=1), store=(store := open_store(tmp_path / "store")))
    store.close()
    assert [o.status for o in summary.outcomes] == [STORED, STORED]
    assert summary.exit_code == 0
    warnings = summary.to_json()["warnings"]
    assert warnings == [
        {"source": str(path), "identifier": "rec-1", "record": 'record 0 (id "rec-1")',
         "warnings": ["field 'url' dropped: 'javascript:alert(3)' is not an http(s) link"]},
        {"source": str(path), "identifier": "rec-2", "record": 'record 1 (id "rec-2")',
         "warnings": ["field 'url' dropped: 'JAVASCRIPT:alert(1)' is not an http(s) link"]},
    ]
    assert stored_urls(tmp_path / "store") == set()


def test_html_canonical_links_keep_only_http(tmp_path: Path) -> None:
    page = "<html><head><link rel='canonical' href='{}'></head><body><article><p>{}</p></article></body></html>"
    (tmp_path / "a.html").write_text(page.format("javascript:alert(3)", BODY.format(day=1)))
    (tmp_path / "b.html").write_text(page.format("https://example.org/b", BODY.format(day=2)))
    summary = build([tmp_path], settings=Settings(workers=1), store=open_store(None))
    assert [(Path(o.source).name, o.status, o.warnings) for o in summary.outcomes] == [
        ("a.html", STORED, ("field 'canonical link' dropped: 'javascript:alert(3)' is not an http(s) link",)),
        ("b.html", STORED, ()),
    ]


def test_bad_fields_and_broken_json_keep_the_good_records(tmp_path: Path) -> None:
    lines = [
        json.dumps(record(1)),
        json.dumps(record(2, title=["not", "a", "string"])),
        '{"id": "rec-3", "body": ',  # broken line: only this one is lost
        json.dumps(record(4, date="someday")),
        json.dumps(record(5, body="x" * 3000)),  # over the size limit below
        json.dumps(record(6, id="rec-1")),  # the same id again
        json.dumps(record(7)),
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "truncated.json").write_text(json.dumps([record(8), record(9)])[:-40], encoding="utf-8")
    summary = build([tmp_path], settings=Settings(workers=1, max_release_bytes=2000), store=open_store(None))
    got = [(o.record, o.status, o.reason) for o in summary.outcomes]
    assert [(r, s) for r, s, _ in got] == [
        ('line 1 (id "rec-1")', STORED),
        ('line 2 (id "rec-2")', UNREADABLE),
        ("line 3", UNREADABLE),
        ('line 4 (id "rec-4")', UNREADABLE),
        ('line 5 (id "rec-5")', UNREADABLE),
        ('line 6 (id "rec-1")', UNREADABLE),
        ('line 7 (id "rec-7")', STORED),
        ('record 0 (id "rec-8")', STORED),
        ("record 1 onward", UNREADABLE),
    ]
    reasons = [reason for _, _, reason in got]
    assert reasons[1].endswith("field 'title' must be a string, not array")
    assert reasons[2].startswith("line 3 is not valid JSON: ")
    assert reasons[3].endswith("field 'date' is not a date: 'someday'")
    assert reasons[4].endswith("field 'body' is 3000 bytes, over the limit of 2000 (max_release_bytes)")
    assert reasons[5] == f"identifier 'rec-1' already used by {tmp_path / 'mixed.jsonl'} line 1 (id \"rec-1\") in this build"
    assert reasons[8].startswith("record 1 onward: not valid JSON") and reasons[8].endswith("(the file looks truncated)")


# --------------------------------------------------------------------------- limits


def test_a_20_mb_text_file_is_refused_unread_and_the_rest_stored(tmp_path: Path) -> None:
    (tmp_path / "2023-03-01-good.txt").write_text(BODY.format(day=1), encoding="utf-8")
    with (tmp_path / "2023-03-02-huge.txt").open("w", encoding="utf-8") as huge:
        sentence = BODY.format(day=2) + "\n\n"
        huge.write(sentence * (20_000_000 // len(sentence) + 1))
    summary = build([tmp_path], settings=Settings(workers=1), store=open_store(None))
    by_name = {Path(o.source).name: o for o in summary.outcomes}
    assert by_name["2023-03-01-good.txt"].status == STORED
    huge_outcome = by_name["2023-03-02-huge.txt"]
    assert huge_outcome.status == UNREADABLE
    size = (tmp_path / "2023-03-02-huge.txt").stat().st_size
    assert huge_outcome.reason == (
        f"{size} bytes, over the limit of 1000000 for one release (max_release_bytes): refused unread"
    )


class _SlowExtractor(FakeExtractor):
    """Never finishes a release whose text names 'Slowtown' (a stand-in for a pathological input)."""

    def extract(self, release: Release) -> Extraction:
        while "Slowtown" in release.text:
            time.sleep(0.01)
        return super().extract(release)


def test_a_release_past_the_time_limit_is_reported_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(workers=1, release_timeout=0.5)
    real = ReleaseProcessor.from_settings(settings)
    slow = ReleaseProcessor(_SlowExtractor(), real.minter, real.validator, release_timeout=0.5)
    monkeypatch.setattr(ReleaseProcessor, "from_settings", classmethod(lambda cls, s: slow))
    (tmp_path / "2023-03-01-a.txt").write_text(BODY.format(day=1), encoding="utf-8")
    (tmp_path / "2023-03-02-b.txt").write_text("PRISTINA - KFOR visited Slowtown today.", encoding="utf-8")
    (tmp_path / "2023-03-03-c.txt").write_text(BODY.format(day=3), encoding="utf-8")
    summary = build([tmp_path], settings=settings, store=open_store(None))
    assert [o.status for o in summary.outcomes] == [STORED, UNREADABLE, STORED]
    assert summary.outcomes[1].reason == (
        "reading, extracting and mapping this release took longer than 0.5 s (release_timeout); nothing stored"
    )


class _DyingExtractor(FakeExtractor):
    """Kills its worker process on a release naming 'Crashtown' (as the kernel's OOM killer would)."""

    def extract(self, release: Release) -> Extraction:
        if "Crashtown" in release.text:
            os._exit(137)
        return super().extract(release)


def test_a_worker_that_dies_costs_only_its_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(workers=2, batch_size=1)
    real = ReleaseProcessor.from_settings(settings)
    dying = ReleaseProcessor(_DyingExtractor(), real.minter, real.validator)
    monkeypatch.setattr(ReleaseProcessor, "from_settings", classmethod(lambda cls, s: dying))  # inherited by fork
    for day in range(1, 7):
        text = "PRISTINA - KFOR visited Crashtown." if day == 3 else BODY.format(day=day)
        (tmp_path / f"2023-03-0{day}-r.txt").write_text(text, encoding="utf-8")
    summary = build([tmp_path], settings=settings, store=open_store(None))
    assert [(Path(o.source).name, o.status) for o in summary.outcomes if o.status != STORED] == [
        ("2023-03-03-r.txt", UNREADABLE)
    ]
    assert summary.count(STORED) == 5
    (lost,) = summary.problems()
    assert lost.reason == "the worker process reading this batch died (out of memory?), also when run alone; nothing stored"


# --------------------------------------------------------------------------- streaming


def test_a_json_file_of_many_records_is_streamed_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps([record(n) for n in range(10)]), encoding="utf-8")
    (tmp_path / "z.txt").write_text(BODY.format(day=9), encoding="utf-8")
    units = list(work_units([path, tmp_path / "z.txt"], size=3, max_release_bytes=10_000))
    assert [len(u.inputs) for u in units] == [3, 3, 3, 2]
    assert [u.files_done for u in units] == [0, 0, 0, 2]
    assert [i.where for i in units[3].inputs] == ['record 9 (id "rec-9")', None]


def test_records_are_read_one_at_a_time(tmp_path: Path) -> None:
    """The stream hands out the first record before the file's later bytes are parsed (they are garbage here)."""
    path = tmp_path / "lazy.json"
    path.write_bytes(json.dumps([record(1), record(2)]).encode()[:-1] + b"," + b"@" * 100_000)
    inputs = release_inputs(path)
    assert next(inputs).identifier == "rec-1"
    assert next(inputs).identifier == "rec-2"
    rest = next(inputs)
    assert rest.problem is not None and rest.where == "record 2 onward"


def test_deep_nesting_is_refused_without_building_it(tmp_path: Path) -> None:
    """ijson's item builder grows with the square of the depth: 100k '[' took gigabytes."""
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" + json.dumps(record(1)).encode() + b"," + b"[" * 100_000)
    first, second = release_inputs(path)
    assert first.identifier == "rec-1"
    assert second.problem is not None and second.problem.reason.endswith("refused: nested more than 64 levels deep")


def test_a_build_with_workers_streams_a_json_file_across_them(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(record(n)) for n in range(12)), encoding="utf-8")
    store = open_store(None)
    summary = build([path], settings=Settings(workers=2, batch_size=4), store=store)
    assert [o.status for o in summary.outcomes] == [STORED] * 12
    assert [o.identifier for o in summary.outcomes] == [f"rec-{n}" for n in range(12)]


# --------------------------------------------------------------------------- paths


def test_symlink_loops_and_every_skipped_path_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "2023-03-01-a.txt").write_text(BODY.format(day=1), encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root)  # back to an ancestor
    (root / "zz-again").symlink_to(root / "sub")  # the same folder under another name
    (root / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "README.md").write_text("notes", encoding="utf-8")
    (root / ".draft.txt").write_text("draft", encoding="utf-8")
    found = find_release_files([root])
    assert [p.relative_to(root).as_posix() for p in found.files] == ["sub/2023-03-01-a.txt"]
    assert sorted((Path(s.path).relative_to(root).as_posix(), s.reason) for s in found.skipped) == [
        (".draft.txt", "hidden"),
        ("README.md", "not a release file type (.md)"),
        ("broken.txt", "broken symbolic link"),
        ("sub/loop", "symbolic link loop: leads back to a folder being read"),
        ("zz-again", "folder already read under another name"),
    ]
    report = tmp_path / "report.json"
    assert main(["build", str(root), "--store", str(tmp_path / "store"), "--workers", "1", "--report", str(report)]) == 0
    err = capsys.readouterr().err
    assert f"skipped: {root / 'sub' / 'loop'}: symbolic link loop" in err
    assert f"skipped: {root / 'broken.txt'}: broken symbolic link" in err
    assert "skipped 5 path(s) that are not releases (listed in the report)" in err
    assert len(json.loads(report.read_text())["skipped"]) == 5


# --------------------------------------------------------------------------- workers die with the build


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_kill_9_of_the_build_leaves_no_worker_running(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(400):
        (corpus / f"2023-01-{n:04d}.txt").write_text(BODY.format(day=n % 28 + 1) + f" Release {n}.", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFGRAPH_")}
    build_process = subprocess.Popen(
        [sys.executable, "-m", "kfgraph.cli", "build", str(corpus), "--store", str(tmp_path / "store"), "--workers", "2"],
        env={**env, "KFGRAPH_BATCH_SIZE": "2"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and build_process.poll() is None:
        workers = _children(build_process.pid)
        time.sleep(0.1)
    assert len(workers) >= 2, "the build's pool did not start"
    os.kill(build_process.pid, signal.SIGKILL)
    build_process.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "pool workers outlived the build"
