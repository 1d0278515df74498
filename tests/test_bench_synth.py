"""The benchmark corpus generator (bench/synth.py): deterministic, varied, genre-shaped."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("synth")
    finally:
        sys.path.remove(str(BENCH))


def test_same_seed_same_corpus_other_seed_other_corpus(synth: ModuleType) -> None:
    first = list(synth.generate(30, 7))
    assert list(synth.generate(30, 7)) == first
    assert list(synth.generate(30, 8)) != first
    # release N does not depend on how many are asked for
    assert list(synth.generate(10, 7)) == first[:10]


def test_count_and_file_names(synth: ModuleType) -> None:
    pairs = list(synth.generate(25, 1))
    assert len(pairs) == 25
    names = [name for name, _ in pairs]
    assert len(set(names)) == 25
    for index, name in enumerate(names):
        match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)-synth-(\d{6})\.txt", name)
        assert match, name
        assert 2004 <= int(match[1]) <= 2025
        assert int(match[4]) == index


def test_every_event_type_appears(synth: ModuleType) -> None:
    releases = list(synth.generate_releases(150, 1))
    seen = {etype for release in releases for etype in release.event_types}
    assert seen == set(synth.EVENT_TYPES)
    assert len(synth.EVENT_TYPES) == 12


def test_boilerplate_and_genre_markers(synth: ModuleType) -> None:
    texts = [text for _, text in synth.generate(200, 3)]
    site = [t for t in texts if t.startswith("Search our content")]
    assert len(site) > 100  # most releases are KFOR site pages
    for text in site:
        assert "KFOR  /  Media Center  /  Archive" in text
        assert re.search(r"^[A-Z][a-z]{2} \d\d \d{4}$", text, re.M)  # date line "Dec 21 2022"
        assert re.search(r"^[A-Z][A-Z ]+ [-–] ", text, re.M)  # dateline "PRISTINA -"
        assert "Story by " in text
        assert text.rstrip().endswith("Camp Film City\n10000, Pristina")
    joined = "\n".join(texts)
    assert "Resolution 1244" in joined or "UNSCR 1244" in joined
    assert re.search(r"\d,\d{3} personnel from \d+ countries", joined)
    assert re.search(r"\b(Maj\. Gen\.|Brig\. Gen\.|Lt\. Col\.)", joined)
    assert re.search(r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", joined)
    assert re.search(r"\bon \d{1,2} (January|February|March|April|May|June|July|August|"
                     r"September|October|November|December) \d{4}\b", joined)
    assert "/" in joined and re.search(r"Pejë/Peć|Ferizaj/Uroševac|Gjilan/Gnjilane|Mitrovicë/Mitrovica", joined)


def test_length_distribution(synth: ModuleType) -> None:
    sizes = sorted(len(text.encode()) for _, text in synth.generate(200, 5))
    median = sizes[len(sizes) // 2]
    assert 1500 <= median <= 4000
    typical = sum(1500 <= s <= 4500 for s in sizes) / len(sizes)
    assert typical >= 0.6


def test_cli_writes_files(synth: ModuleType, tmp_path: Path) -> None:
    assert synth.main(["--count", "5", "--seed", "2", "--out", str(tmp_path / "c")]) == 0
    files = sorted(p.name for p in (tmp_path / "c").glob("*.txt"))
    assert files == sorted(name for name, _ in synth.generate(5, 2))


def test_an_invented_officer_keeps_one_rank(synth: ModuleType) -> None:
    # a person with two ranks across releases is rare in the genre; the corpus must not make it common
    pattern = re.compile(r"\b(Colonel|Lieutenant Colonel|Major|Captain|First Lieutenant|Sergeant Major|"
                         r"Brigadier General) ([A-Z][a-zé]+ [A-Z][a-zćé]+)\b")
    ranks: dict[str, set[str]] = {}
    for _, text in synth.generate(300, 4):
        for rank, name in pattern.findall(text):
            if name.split()[0] in synth.D.FIRST_NAMES:
                ranks.setdefault(name, set()).add(rank)
    assert len(ranks) > 20
    assert all(len(found) == 1 for found in ranks.values()), {n: r for n, r in ranks.items() if len(r) > 1}
