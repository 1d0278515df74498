"""A canned extractor for tests of the layers above extraction."""

from __future__ import annotations

from collections.abc import Sequence

from kfgraph.models import Entity, Event, Extraction, Figure, Release


class FakeExtractor:
    """Returns the same entities, events and figures for every release."""

    def __init__(self, entities: Sequence[Entity] = (), events: Sequence[Event] = (),
                 figures: Sequence[Figure] = (), *, dateline_place: str | None = None) -> None:
        self.entities = tuple(entities)
        self.events = tuple(events)
        self.figures = tuple(figures)
        self.dateline_place = dateline_place
        self.seen: list[str] = []

    def extract(self, release: Release) -> Extraction:
        self.seen.append(release.identifier)
        return Extraction(release, self.entities, self.events, self.figures, self.dateline_place)
