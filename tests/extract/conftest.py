"""Fixtures for extraction tests: the project's gazetteer and a release builder."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kfgraph.extract import Gazetteer, RuleExtractor, load_gazetteer
from kfgraph.models import Entity, EntityKind, Extraction, Release
from kfgraph.settings import PROJECT_ROOT


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(PROJECT_ROOT / "data" / "gazetteer")


@pytest.fixture(scope="session")
def extractor(gazetteer: Gazetteer) -> RuleExtractor:
    return RuleExtractor(gazetteer)


def make_release(*paragraphs: str, title: str | None = None, dateline: str | None = None,
                 byline: str | None = None) -> Release:
    return Release(identifier="test-release", source="test-release.txt", title=title, date_published=None,
                   dateline=dateline, byline=byline, paragraphs=tuple(paragraphs), checksum="sha256:0")


@pytest.fixture
def run(extractor: RuleExtractor) -> Callable[..., Extraction]:
    """Extract from paragraphs; also checks spans against the text and that no key occurs twice."""

    def _run(*paragraphs: str, **kwargs: str | None) -> Extraction:
        release = make_release(*paragraphs, **kwargs)
        result = extractor.extract(release)
        text = release.text
        idents = [(e.kind, e.key) for e in result.entities]
        assert len(idents) == len(set(idents)), idents  # one entity per kind and key
        for entity in result.entities:
            for mention in entity.mentions:
                assert text[mention.start:mention.end] == mention.text, (entity.key, mention)
        for figure in result.figures:
            assert text[figure.mention.start:figure.mention.end] == figure.mention.text
        return result

    return _run


def _by_key(result: Extraction, kind: EntityKind) -> dict[str, Entity]:
    found = [e for e in result.entities if e.kind is kind]
    keys = [e.key for e in found]
    assert len(keys) == len(set(keys)), keys
    return {e.key: e for e in found}


@pytest.fixture
def by_key() -> Callable[[Extraction, EntityKind], dict[str, Entity]]:
    """Entities of one kind by key; fails if a key occurs twice (an unmerged duplicate)."""
    return _by_key
