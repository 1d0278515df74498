"""Property-based fuzzing of the source layer and of one build batch: no record's content escapes as an exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfgraph.errors import SourceError
from kfgraph.pipeline import STORED, ReleaseProcessor
from kfgraph.settings import Settings
from kfgraph.sources import read_input, release_inputs

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=2**63), st.text(max_size=20))
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)
_URLS = st.one_of(
    st.sampled_from(["https://example.org/a", "http://example.org/a b", "javascript:alert(3)", "http://[::1", "http:",
                     "//example.org/x", "HTTPS://EXAMPLE.ORG/", "http://exa\u0000mple.org", "data:text/html,<b>x</b>",
                     "http://example.org/\ud800", " https://example.org/padded ", "http://a/\u00e9\u200b"]),
    st.text(max_size=30).map(lambda t: "http://" + t),
)
_TEXT = st.one_of(st.text(max_size=60), st.sampled_from(["", "   ", "KFOR patrolled near Pristina.", "2023-02-30",
                                                          "\ud800", "x\u0000y", "<script>", "Mar 3 2023"]))
_FIELD = st.one_of(_TEXT, _JSON)
_RECORD = st.fixed_dictionaries(
    {},
    optional={"id": st.one_of(_TEXT, _JSON), "body": st.one_of(_TEXT, _JSON, st.just("PRISTINA - KFOR met the mayor.")),
              "title": _FIELD, "date": st.one_of(_FIELD, st.dates().map(str)), "url": st.one_of(_URLS, _FIELD),
              "extra": _JSON},
)
_RECORDS = st.lists(st.one_of(_RECORD, _JSON), max_size=6)


def _write(records: list[object], lines: bool, folder: Path) -> Path:
    path = folder / ("fuzz.jsonl" if lines else "fuzz.json")
    text = "\n".join(json.dumps(r) for r in records) if lines else json.dumps(records)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=_RECORDS, lines=st.booleans())
def test_every_record_becomes_a_release_or_its_own_source_error(records: list[object], lines: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(records, lines, Path(folder))
        inputs = list(release_inputs(path, max_release_bytes=10_000))
        assert len(inputs) == max(len(records), 1)  # one per record ("no records" for none)
        for item in inputs:
            try:
                release = read_input(item, max_release_bytes=10_000)
            except SourceError as error:
                assert error.source == str(path) and error.reason
                continue
            assert release.url is None or release.url.lower().startswith(("http://", "https://"))
            if release.url is not None:
                ox.NamedNode(release.url)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200), lines=st.booleans(), valid_prefix=st.booleans())
def test_arbitrary_bytes_never_escape_the_stream(data: bytes, lines: bool, valid_prefix: bool) -> None:
    prefix = b'[{"id": "a", "body": "KFOR met."},' if valid_prefix and not lines else b""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("x.jsonl" if lines else "x.json")
        path.write_bytes(prefix + data)
        for item in release_inputs(path, max_release_bytes=10_000):
            try:
                read_input(item, max_release_bytes=10_000)
            except SourceError:
                pass


_PROCESSOR: list[ReleaseProcessor] = []


def _processor() -> ReleaseProcessor:
    if not _PROCESSOR:
        _PROCESSOR.append(ReleaseProcessor.from_settings(Settings(max_release_bytes=10_000)))
    return _PROCESSOR[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=_RECORDS, lines=st.booleans())
def test_a_batch_of_fuzzed_records_gives_one_outcome_each_and_never_raises(records: list[object], lines: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        inputs = list(release_inputs(_write(records, lines, Path(folder)), max_release_bytes=10_000))
        outcomes = _processor().process_batch(inputs)
    assert len(outcomes) == len(inputs)
    for outcome in outcomes:
        assert outcome.reason is None or "kfgraph bug" not in outcome.reason, outcome.reason
        if outcome.status == STORED:
            assert sum(1 for _ in ox.parse(outcome.ntriples, ox.RdfFormat.N_TRIPLES)) == outcome.triples
