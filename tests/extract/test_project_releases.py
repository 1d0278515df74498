"""Invariants over every release shipped in data/releases (the seed and the synthetic samples)."""

from __future__ import annotations

from kfgraph import sources
from kfgraph.models import EntityKind
from kfgraph.settings import PROJECT_ROOT

RELEASES = PROJECT_ROOT / "data" / "releases"


def _releases():
    return [r for path in sorted(RELEASES.iterdir()) if path.is_file() for r in sources.read_releases(path)
            ] if RELEASES.is_dir() else []


def test_spans_keys_and_labels_hold_for_every_shipped_release(extractor):
    releases = _releases()
    assert len(releases) >= 13  # the suite must not shrink silently
    for release in releases:
        result = extractor.extract(release)
        text = release.text
        seen: set[tuple[EntityKind, str]] = set()
        for entity in result.entities:
            assert (entity.kind, entity.key) not in seen, (release.identifier, entity.key)
            seen.add((entity.kind, entity.key))
            assert entity.label and entity.label not in entity.alt_labels
            for mention in entity.mentions:
                assert text[mention.start:mention.end] == mention.text, (release.identifier, mention)
        for figure in result.figures:
            assert text[figure.mention.start:figure.mention.end] == figure.mention.text


def test_seed_release_reads_as_annotated(extractor):
    (release,) = sources.read_releases(RELEASES / "2022-12-21-kfor-jarinje-presence.txt")
    result = extractor.extract(release)
    keys = {(e.kind, e.key) for e in result.entities}
    org, place = EntityKind.ORGANIZATION, EntityKind.PLACE
    assert {(org, "kfor"), (org, "rc-e"), (org, "eulex"), (org, "government-of-montenegro"),
            (org, "government-of-serbia"), (place, "jarinje"), (place, "camp-novo-selo"),
            (EntityKind.MANDATE, "unscr-1244"), (EntityKind.PERSON, "angelo-michele-ristuccia")} <= keys
    assert result.dateline_place == "pristina"
    assert [(f.value, f.unit, f.subject) for f in result.figures] == [(3700, "personnel", "kfor"), (27, "countries", "kfor")]
    assert len(result.events) >= 3  # events.find_events is called with the entities
